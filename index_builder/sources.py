"""What an index is built from: spec files or folders, and/or records JSONL from ``apipack dataset build``.

Specs are read with ``apipack.openapi`` (``iter_spec_files`` finds them, ``load_spec`` parses
them). Records contribute their ``instruction`` texts (never ``instruction_test``: those are
held out for evaluation) and, through ``spec_path``, the specs they came from (looked up under
``corpus_root``). A spec that cannot be loaded is skipped with a warning so one bad file does
not stop a corpus build; the count of skipped specs is reported.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from apipack.errors import ApipackError, IndexBuildError
from apipack.openapi.model import ApiSpec

log = logging.getLogger(__name__)


@dataclass
class Sources:
    spec_inputs: list[Path] = field(default_factory=list)
    instructions: dict[str, list[str]] = field(default_factory=dict)  # endpoint_id -> texts
    record_specs: dict[str, str] = field(default_factory=dict)  # api_id -> spec_path (from records)
    skipped: list[str] = field(default_factory=list)


def is_records(path: Path) -> bool:
    return path.is_file() and path.name.endswith((".jsonl", ".jsonl.gz"))


def read_records(path: Path, sources: Sources) -> None:
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise IndexBuildError(f"{path}:{n}: not a JSON record ({exc})") from None
            eid, text = rec.get("endpoint_id"), rec.get("instruction")
            if eid and text:
                texts = sources.instructions.setdefault(eid, [])
                if text not in texts:
                    texts.append(text)
            if rec.get("api_id") and rec.get("spec_path"):
                sources.record_specs.setdefault(rec["api_id"], rec["spec_path"])


def collect(inputs: Sequence[Path]) -> Sources:
    sources = Sources()
    for path in inputs:
        if not path.exists():
            raise IndexBuildError(f"input {path} does not exist")
        if is_records(path):
            read_records(path, sources)
        else:
            sources.spec_inputs.append(path)
    return sources


def iter_specs(sources: Sources, corpus_root: Path | None, *, max_bytes: int | None = None,
               cache_dir: Path | None = None) -> Iterator[ApiSpec]:
    """Every spec named by the inputs, each once (records' specs after the given specs).

    ``cache_dir`` is the loader's parse cache (specs unchanged since the last build parse once)."""
    from apipack.openapi import iter_spec_files, load_spec

    seen: set[str] = set()
    todo: list[tuple[Path, str, str]] = []
    if sources.spec_inputs:
        for path, api_id in iter_spec_files(sources.spec_inputs):
            todo.append((Path(path), api_id, api_id + Path(path).suffix))
    for api_id, spec_path in sorted(sources.record_specs.items()):
        if corpus_root is None:
            raise IndexBuildError("records name their specs relative to the corpus: pass --corpus DIR")
        todo.append((corpus_root / spec_path, api_id, spec_path))
    for path, api_id, spec_path in todo:
        if api_id in seen:
            continue
        seen.add(api_id)
        try:
            kwargs: dict = {"api_id": api_id, "spec_path": spec_path, "cache_dir": cache_dir}
            if max_bytes is not None:
                kwargs["max_bytes"] = max_bytes
            yield load_spec(path, **kwargs)
        except ApipackError as exc:
            log.warning("skipping %s: %s", path, exc.message)
            sources.skipped.append(f"{path}: {exc.message}")
