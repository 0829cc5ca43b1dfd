"""The endpoint store inside a version folder: API table, endpoint rows and the parsed specs.

- ``apis.json``: one entry per API (id, title, description, provider, spec path and hash, its
  row range in the endpoint table and its range in the dense-vector table).
- ``endpoints.jsonl``: one light row per endpoint, in index order (id, api, method, path,
  operationId, summary, the lexical text and the indexed instructions).
- ``specs/<key>.pkl.gz``: the ``ApiSpec`` (document and endpoints), loaded lazily by the reader
  for whole-API work (listing endpoints, checking an LLM's call against every route).
- ``specs/<key>.cuts``: one ``endpoint_slice`` per endpoint, in the spec's endpoint order (the
  order of the API's rows), each a zlib-compressed pickle: what rendering one answer reads. A
  big API's whole spec takes up to a second to unpickle (microsoft.com/graph: 1.2 s); a cut takes
  a millisecond. Layout: a little-endian uint32 count ``n``, ``n + 1`` uint64 offsets from the
  start of the file, then the blobs.

Pickle round-trips the model exactly; the files are written by this builder only, and a file
that fails to load is reported as a corrupt index.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from apipack.openapi.endpoint_slice import endpoint_slice
from apipack.openapi.model import ApiSpec

SPECS = "specs"


def spec_key(api_id: str) -> str:
    return hashlib.sha1(api_id.encode()).hexdigest()[:20]


def spec_file(folder: Path, api_id: str) -> Path:
    return folder / SPECS / f"{spec_key(api_id)}.pkl.gz"


def cuts_file(folder: Path, api_id: str) -> Path:
    return folder / SPECS / f"{spec_key(api_id)}.cuts"


def write_spec(folder: Path, spec: ApiSpec) -> None:
    """Store the whole spec and its per-endpoint cuts."""
    path = spec_file(folder, spec.api_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb", compresslevel=1) as fh:
        pickle.dump(spec, fh, protocol=pickle.HIGHEST_PROTOCOL)
    blobs = [zlib.compress(pickle.dumps(endpoint_slice(spec, ep), protocol=pickle.HIGHEST_PROTOCOL), 1)
             for ep in spec.endpoints]
    offsets, at = [], 4 + 8 * (len(blobs) + 1)
    for blob in blobs:
        offsets.append(at)
        at += len(blob)
    offsets.append(at)
    with open(cuts_file(folder, spec.api_id), "wb") as fh:
        fh.write(struct.pack(f"<I{len(offsets)}Q", len(blobs), *offsets))
        fh.writelines(blobs)


def link_spec(old_folder: Path, new_folder: Path, api_id: str) -> None:
    """Carry an unchanged API's stored spec and cuts into a new version (hard links, copies as a
    fallback)."""
    for file_of in (spec_file, cuts_file):
        src, dst = file_of(old_folder, api_id), file_of(new_folder, api_id)
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


def read_cut(folder: Path, api_id: str, position: int) -> ApiSpec:
    """The cut of the API's ``position``-th endpoint (its row's place among the API's rows)."""
    with open(cuts_file(folder, api_id), "rb") as fh:
        (count,) = struct.unpack("<I", fh.read(4))
        if not 0 <= position < count:
            raise ValueError(f"endpoint {position} asked of a cuts file holding {count}")
        fh.seek(4 + 8 * position)
        start, end = struct.unpack("<2Q", fh.read(16))
        fh.seek(start)
        cut = pickle.loads(zlib.decompress(fh.read(end - start)))
    if not isinstance(cut, ApiSpec) or len(cut.endpoints) != 1:
        raise TypeError(f"stored cut {position} of {api_id} is not a one-endpoint ApiSpec")
    return cut


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
