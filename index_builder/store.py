"""The endpoint store inside a version folder: API table, endpoint rows and the parsed specs.

- ``apis.json``: one entry per API (id, title, description, provider, spec path and hash, its
  row range in the endpoint table and its range in the dense-vector table).
- ``endpoints.jsonl``: one light row per endpoint, in index order (id, api, method, path,
  operationId, summary, the lexical text and the indexed instructions).
- ``specs/<key>.pkl.gz``: the ``ApiSpec`` (document and endpoints) that rendering and checking
  need, loaded lazily by the reader. Pickle round-trips the model exactly; the files are written
  by this builder only, and a file that fails to load is reported as a corrupt index.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from apipack.openapi.model import ApiSpec

SPECS = "specs"


def spec_key(api_id: str) -> str:
    return hashlib.sha1(api_id.encode()).hexdigest()[:20]


def spec_file(folder: Path, api_id: str) -> Path:
    return folder / SPECS / f"{spec_key(api_id)}.pkl.gz"


def write_spec(folder: Path, spec: ApiSpec) -> None:
    path = spec_file(folder, spec.api_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb", compresslevel=1) as fh:
        pickle.dump(spec, fh, protocol=pickle.HIGHEST_PROTOCOL)


def link_spec(old_folder: Path, new_folder: Path, api_id: str) -> None:
    """Carry an unchanged API's stored spec into a new version (hard link, copy as a fallback)."""
    src, dst = spec_file(old_folder, api_id), spec_file(new_folder, api_id)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        dst.write_bytes(src.read_bytes())


def read_spec(folder: Path, api_id: str) -> ApiSpec:
    with gzip.open(spec_file(folder, api_id), "rb") as fh:
        spec = pickle.load(fh)
    if not isinstance(spec, ApiSpec):
        raise TypeError(f"stored spec for {api_id} is a {type(spec).__name__}, not an ApiSpec")
    return spec


def write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with open(path, "w") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_rows(path: Path, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The endpoint table; ``drop`` leaves fields out (the searcher never reads the lexical text)."""
    rows = []
    with open(path) as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                for key in drop:
                    row.pop(key, None)
                rows.append(row)
    return rows
