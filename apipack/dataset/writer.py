"""Record files: our JSONL per language and, on request, API Pack's JSON-array format.

File names follow API Pack's (``total_data_cleaned_<lang>``, ``lang`` a short name such as
``curl`` or ``python``): ``.jsonl`` holds API Pack's fields and ours, one record a line;
``.json`` is API Pack's released layout, a JSON array of its fields only. Writers stream: a
build never holds a whole language in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import orjson

from apipack.dataset.records import Record, record_from_dict

JSONL_NAME = "total_data_cleaned_{lang}.jsonl"
JSON_NAME = "total_data_cleaned_{lang}.json"


def jsonl_line(record: Record) -> bytes:
    return orjson.dumps(record.to_dict()) + b"\n"


def api_pack_item(record: Record) -> bytes:
    return orjson.dumps(record.to_api_pack())


class JsonArrayWriter:
    """Streams items into a JSON array, one item a line (``[`` ... ``]``), as API Pack's files are."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self._first = True
        fh.write(b"[\n")

    def write_item(self, item: bytes) -> None:
        if not self._first:
            self._fh.write(b",\n")
        self._fh.write(item)
        self._first = False

    def close(self) -> None:
        self._fh.write(b"\n]\n" if not self._first else b"]\n")


def write_jsonl(path: Path, records: Iterable[Record]) -> int:
    n = 0
    with open(path, "wb") as fh:
        for rec in records:
            fh.write(jsonl_line(rec))
            n += 1
    return n


def write_api_pack_json(path: Path, records: Iterable[Record]) -> int:
    n = 0
    with open(path, "wb") as fh:
        writer = JsonArrayWriter(fh)
        for rec in records:
            writer.write_item(api_pack_item(rec))
            n += 1
        writer.close()
    return n


def read_jsonl(path: Path) -> Iterator[Record]:
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield record_from_dict(orjson.loads(line))
