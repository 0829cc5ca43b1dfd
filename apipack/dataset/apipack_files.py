"""Reading API Pack's released files (``total_data_cleaned_<lang>.json``, a JSON array each) into
Records, so users who have the 1M-record dataset can index or evaluate on it.

Released records lack our fields: ``target`` comes from the record's ``lang`` label (or the file
name), ``api_id`` from the ``unique_id`` (``<api file name>_<i>``), ``provider`` from ``output``,
``endpoint_id`` is derived. Our own ``.jsonl`` files are read by the same entry point.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson

from apipack.dataset.records import Record, record_from_dict
from apipack.errors import DatasetFileError, UnknownLanguageError
from apipack.snippets.targets_table import TargetInfo, resolve_target

_FILE_LANG = re.compile(r"total_data_cleaned_(.+?)\.jsonl?$")


def target_from_file_name(path: Path) -> TargetInfo | None:
    m = _FILE_LANG.search(path.name)
    if not m:
        return None
    try:
        return resolve_target(m.group(1))
    except UnknownLanguageError:
        return None


def read_records(path: Path) -> Iterator[Record]:
    """Records of one file: API Pack's JSON array (``.json``) or our JSONL (``.jsonl``)."""
    path = Path(path)
    info = target_from_file_name(path)
    if path.suffix == ".jsonl":
        with open(path, "rb") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    yield record_from_dict(_loads(line, path, n), target_info=info)
        return
    data = _loads(path.read_bytes(), path, 0)
    if not isinstance(data, list):
        raise DatasetFileError(f"{path}: expected a JSON array of records (API Pack's released layout)")
    for item in data:
        if isinstance(item, dict):
            yield record_from_dict(item, target_info=info)


def find_record_files(folder: Path) -> list[Path]:
    """``total_data_cleaned_*.json[l]`` under ``folder``; our JSONL wins over a JSON of the same language."""
    found: dict[str, Path] = {}
    for p in sorted(Path(folder).glob("total_data_cleaned_*.json*")):
        m = _FILE_LANG.search(p.name)
        if m and (m.group(1) not in found or p.suffix == ".jsonl"):
            found[m.group(1)] = p
    return [found[k] for k in sorted(found)]


def _loads(raw: bytes, path: Path, line: int) -> object:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        where = f"{path}:{line}" if line else str(path)
        raise DatasetFileError(f"{where}: not valid JSON ({exc}); is it a total_data_cleaned_<lang> file?") from exc
