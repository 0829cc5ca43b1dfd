"""Loading a published index: validation of the manifest and files, then lazy access to specs.

``load_index(INDEX_DIR)`` reads ``INDEX_DIR/current`` (or a version folder given directly),
checks the manifest (schema version, embedding model and dimension when expected ones are
given), checks that every file is there and readable, and returns a ``LoadedIndex``. Problems
raise ``IndexNotReadyError`` (nothing published yet), ``IndexCorruptError`` (a file missing or
unreadable) or ``IndexMismatchError`` (another schema version or embedding model), each naming
the file and what to run next.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from apipack.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexNotReadyError,
    NotFoundError,
    UnknownApiError,
)
from apipack.lru import Lru
from apipack.openapi.model import ApiSpec, Endpoint
from index_builder import publish, store
from index_builder.lexical import LexicalIndex
from index_builder.manifest import MANIFEST, REQUIRED_FILES, SCHEMA_VERSION
from retrieval.types import ApiInfo

log = logging.getLogger(__name__)
REBUILD = "rebuild it with `apipack index build`"


def _folder(index_dir: Path) -> Path:
    if (index_dir / MANIFEST).is_file():  # a version folder given directly
        return index_dir
    if not index_dir.exists():
        raise IndexNotReadyError(f"no index at {index_dir}: the folder does not exist; "
                                 "build one with `apipack index build SPECS --out DIR`")
    version = publish.current_version(index_dir)
    if version is None:
        raise IndexNotReadyError(f"no index published in {index_dir} (no 'current' pointer); "
                                 "build one with `apipack index build SPECS --out DIR`")
    folder = publish.version_dir(index_dir, version)
    if not folder.is_dir():
        raise IndexCorruptError(f"index {index_dir}: 'current' names version {version!r} but "
                                f"{folder} is missing; {REBUILD}")
    return folder


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise IndexCorruptError(f"index version {folder} has no {MANIFEST} (an unfinished build?); "
                                f"{REBUILD}") from None
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"{path} is not readable JSON ({exc}); {REBUILD}") from None
    if not isinstance(manifest, dict):
        raise IndexCorruptError(f"{path} does not hold a JSON object; {REBUILD}")
    return manifest


def check_manifest(manifest: dict[str, Any], where: Path, *, expect_model: str | None = None,
                   expect_dim: int | None = None) -> None:
    schema = manifest.get("schema_version")
    if schema != SCHEMA_VERSION:
        raise IndexMismatchError(f"index {where} has schema version {schema!r}; this apipack reads "
                                 f"version {SCHEMA_VERSION}; {REBUILD}")
    emb = manifest.get("embedding")
    if not isinstance(emb, dict) or "model" not in emb or "dim" not in emb:
        raise IndexCorruptError(f"{where / MANIFEST} lacks the embedding model and dimension; {REBUILD}")
    if expect_model is not None and emb["model"] != expect_model:
        raise IndexMismatchError(f"index {where} was embedded with {emb['model']!r} but queries would "
                                 f"use {expect_model!r}; set APIPACK_EMBED_MODEL to match or {REBUILD}")
    if expect_dim is not None and emb["dim"] != expect_dim:
        raise IndexMismatchError(f"index {where} has {emb['dim']}-dim vectors but the embedding model "
                                 f"gives {expect_dim}; {REBUILD}")


class LoadedIndex:
    def __init__(self, folder: Path, manifest: dict[str, Any], spec_cache_size: int = 256,
                 cut_cache_size: int = 2048) -> None:
        self.folder = folder
        self.manifest = manifest
        self.version: str = str(manifest.get("version", folder.name))
        try:
            api_rows = json.loads((folder / "apis.json").read_text())
            # "lex" is the BM25 source text, only read by builds (~100 MB of a served corpus index)
            self.rows: list[dict[str, Any]] = store.read_rows(folder / "endpoints.jsonl", drop=("lex",))
            # memory-mapped: the vectors stay in the page cache, shared by every worker process
            self.dense = np.load(folder / "dense.npy", mmap_mode="r")
            self.dense_owner = np.load(folder / "dense_owner.npy")
            self.api_dense = np.load(folder / "api_dense.npy")
            self.lexical = LexicalIndex.load(folder)
        except (OSError, ValueError, KeyError, EOFError) as exc:
            raise IndexCorruptError(f"index {folder}: a file cannot be read ({exc}); {REBUILD}") from None
        self.api_rows: dict[str, dict[str, Any]] = {a["api_id"]: a for a in api_rows}
        self.api_order = [a["api_id"] for a in api_rows]
        n = manifest.get("counts", {}).get("endpoints")
        if (n != len(self.rows) or self.dense.shape[0] != len(self.dense_owner)
                or self.lexical.matrix.shape[0] != len(self.rows) or len(self.api_dense) != len(api_rows)):
            raise IndexCorruptError(f"index {folder}: files disagree on the number of endpoints "
                                    f"(manifest {n}, table {len(self.rows)}); {REBUILD}")
        if self.dense.shape[1] != manifest["embedding"]["dim"]:
            raise IndexCorruptError(f"index {folder}: dense.npy has {self.dense.shape[1]} dims, the "
                                    f"manifest says {manifest['embedding']['dim']}; {REBUILD}")
        self.row_of = {row["endpoint_id"]: i for i, row in enumerate(self.rows)}
        self.api_index = {a: i for i, a in enumerate(self.api_order)}
        # the parsed specs used to render and check calls, least recently used dropped first: all of
        # a corpus' specs in memory would cost several GiB
        self._specs: Lru[str, ApiSpec] = Lru(spec_cache_size)
        # one-endpoint cuts, what answers render from: kilobytes each, read in about a millisecond
        self._cuts: Lru[str, ApiSpec] = Lru(cut_cache_size)
        self._by_title = {a["title"].lower(): a["api_id"] for a in api_rows if a.get("title")}

    @cached_property
    def faiss(self) -> Any:
        import faiss

        try:
            # memory-mapped: the graph and vectors stay in the page cache, shared by every worker
            # (read into each process's heap they cost ~160 MB a worker for the whole corpus);
            # FAISS releases before mid-2025 lack the flag and read the file into memory
            return faiss.read_index(str(self.folder / "faiss.index"), getattr(faiss, "IO_FLAG_MMAP_IFC", 0))
        except RuntimeError as exc:
            raise IndexCorruptError(f"index {self.folder}: faiss.index is unreadable ({exc}); {REBUILD}") from None

    @cached_property
    def apis(self) -> dict[str, ApiInfo]:
        return {a: ApiInfo(api_id=a, title=r["title"], description=r["description"], provider=r["provider"],
                           endpoint_count=r["endpoint_count"]) for a, r in self.api_rows.items()}

    def resolve_api(self, name_or_id: str) -> str:
        """An API id, or an exact ``info.title`` (case-insensitive), to the API id."""
        key = name_or_id.strip()
        if key in self.api_rows:
            return key
        low = key.lower()
        for api_id in self.api_rows:
            if api_id.lower() == low:
                return api_id
        if low in self._by_title:
            return self._by_title[low]
        raise UnknownApiError(f"unknown API {name_or_id!r}: not an API id or title in index {self.version}; "
                              "GET /apis or `apipack index info --apis` lists them", param="api")

    def rows_of(self, api_id: str) -> slice:
        r0, r1 = self.api_rows[api_id]["rows"]
        return slice(r0, r1)

    def vecs_of(self, api_id: str) -> slice:
        v0, v1 = self.api_rows[api_id]["vecs"]
        return slice(v0, v1)

    @property
    def spec_cache_size(self) -> int:
        return self._specs.max_entries

    @spec_cache_size.setter
    def spec_cache_size(self, value: int) -> None:
        self._specs.max_entries = value

    def spec(self, api_id: str) -> ApiSpec:
        """The whole parsed spec (document and endpoints): for whole-API work."""
        api_id = self.resolve_api(api_id)
        spec = self._specs.get(api_id)
        if spec is None:
            spec = self._stored(f"spec of {api_id}", lambda: store.read_spec(self.folder, api_id))
            self._specs.put(api_id, spec)
        return spec

    def endpoint_spec(self, endpoint_id: str) -> ApiSpec:
        """The spec cut to one endpoint (``apipack.openapi.endpoint_slice``): what rendering and
        checking an answer for it read, without unpickling the whole spec."""
        cut = self._cuts.get(endpoint_id)
        if cut is not None:
            return cut
        i = self._row_index(endpoint_id)
        row = self.rows[i]
        api_id = row["api_id"]
        position = i - self.api_rows[api_id]["rows"][0]
        cut = self._stored(f"cut of {row['method']} {row['path']} ({api_id})",
                           lambda: store.read_cut(self.folder, api_id, position))
        ep = cut.endpoints[0]
        if (ep.method, ep.path) != (row["method"], row["path"]):
            raise IndexCorruptError(f"index {self.folder}: the stored cut for {row['method']} {row['path']} "
                                    f"holds {ep.method} {ep.path}; {REBUILD}")
        self._cuts.put(endpoint_id, cut)
        return cut

    def _stored(self, what: str, read: Callable[[], ApiSpec]) -> ApiSpec:
        try:
            return read()
        except FileNotFoundError:
            raise IndexCorruptError(f"index {self.folder}: the stored {what} is missing; {REBUILD}") from None
        except Exception as exc:  # any unpickling failure means a damaged file
            raise IndexCorruptError(f"index {self.folder}: the stored {what} is unreadable "
                                    f"({type(exc).__name__}: {exc}); {REBUILD}") from None

    def _row_index(self, endpoint_id: str) -> int:
        i = self.row_of.get(endpoint_id)
        if i is None:
            raise NotFoundError(f"endpoint {endpoint_id!r} is not in index {self.version}", param="endpoint_id")
        return i

    def endpoints_of(self, api_id: str) -> list[Endpoint]:
        return list(self.spec(api_id).endpoints)

    def endpoint_table(self, api_id: str) -> list[dict[str, Any]]:
        """The API's endpoints as listed to users (id, method, path, operationId, summary), from
        the table in memory: listing a big API must not unpickle its spec."""
        keys = ("endpoint_id", "method", "path", "operation_id", "summary")
        return [{k: row[k] for k in keys} for row in self.rows[self.rows_of(self.resolve_api(api_id))]]

    def endpoint(self, endpoint_id: str) -> Endpoint:
        return self.endpoint_spec(endpoint_id).endpoints[0]


def load_index(index_dir: Path, *, expect_model: str | None = None, expect_dim: int | None = None) -> LoadedIndex:
    index_dir = Path(index_dir)
    folder = _folder(index_dir)
    manifest = _read_manifest(folder)
    check_manifest(manifest, folder, expect_model=expect_model, expect_dim=expect_dim)
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise IndexCorruptError(f"index {folder} is missing {name}; {REBUILD}")
    return LoadedIndex(folder, manifest)
