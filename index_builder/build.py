"""Building an index version from specs, and replacing or removing one API in the served one.

Every path ends in ``_assemble``: it takes one ``ApiPart`` per API (endpoint rows, their dense
vectors, the API's vector, where its stored spec comes from), writes the tables, the FAISS index
and the lexical index into a staging folder, writes the manifest last and publishes atomically
(``index_builder.publish``). A full build makes every part from a spec (embedding through the
text-hash cache); an update reads the other APIs' parts back from the served version, so only
the changed API is embedded.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from apipack.errors import IndexBuildError, UnknownApiError
from apipack.openapi.model import ApiSpec
from index_builder import publish, store
from index_builder.embeddings import EmbeddingCache, TextEmbedder, embed_texts
from index_builder.lexical import LexicalIndex
from index_builder.manifest import MANIFEST, make_manifest, write_json_atomic
from index_builder.texts import api_text, dense_text, lexical_text, path_literal_tokens, seed_instruction
from index_builder.tokens import tokenize

log = logging.getLogger(__name__)

FAISS_KINDS = ("auto", "flat", "hnsw")


@dataclass
class BuildOptions:
    faiss_kind: str = "auto"  # auto: exact (flat) below hnsw_threshold vectors, HNSW above
    hnsw_threshold: int = 50_000
    keep_versions: int = 2
    cache_dir: Path | None = None  # embedding cache; None disables it
    max_instructions: int = 3  # indexed instructions embedded per endpoint (from records)
    progress: Callable[[str], None] | None = None


@dataclass
class ApiPart:
    meta: dict[str, Any]
    rows: list[dict[str, Any]]
    vectors: np.ndarray  # (texts, dim)
    owners: np.ndarray  # local endpoint index of each vector
    api_vector: np.ndarray
    spec_from: Path | None = None  # old version folder to link the stored spec from
    texts: list[str] = field(default_factory=list)


def _api_meta(spec: ApiSpec) -> dict[str, Any]:
    return {"api_id": spec.api_id, "title": spec.title, "description": spec.description[:2000],
            "provider": spec.provider, "spec_path": spec.spec_path, "content_hash": spec.content_hash}


def _part_texts(spec: ApiSpec, instructions: dict[str, list[str]], max_instr: int
                ) -> tuple[list[dict[str, Any]], list[str], list[int]]:
    rows, texts, owners = [], [], []
    for i, ep in enumerate(spec.endpoints):
        eid = ep.endpoint_id
        instr = instructions.get(eid) or [seed_instruction(ep, spec.title)]
        rows.append({"endpoint_id": eid, "api_id": spec.api_id, "method": ep.method, "path": ep.path,
                     "operation_id": ep.operation_id, "summary": ep.summary[:300],
                     "lex": lexical_text(ep, spec) + " " + " ".join(instr[:max_instr]),
                     "ptok": path_literal_tokens(ep.path),
                     "instructions": instr[:max_instr]})
        texts.append(dense_text(ep, spec.title))
        owners.append(i)
        for text in instructions.get(eid, [])[:max_instr]:
            texts.append(text)
            owners.append(i)
    return rows, texts, owners


def parts_from_specs(specs: Iterable[ApiSpec], staging: Path, embedder: TextEmbedder,
                     instructions: dict[str, list[str]] | None, options: BuildOptions) -> list[ApiPart]:
    """Store each spec and collect its texts, then embed all texts at once (length-batched)."""
    instructions = instructions or {}
    pending: list[tuple[dict[str, Any], list[dict[str, Any]], list[str], list[int], str]] = []
    seen: set[str] = set()
    for spec in specs:
        if not spec.endpoints:
            log.info("skipping %s: no endpoints", spec.api_id)
            continue
        if spec.api_id in seen:
            raise IndexBuildError(f"API id {spec.api_id!r} given twice; pass each spec once")
        seen.add(spec.api_id)
        store.write_spec(staging, spec)
        rows, texts, owners = _part_texts(spec, instructions, options.max_instructions)
        pending.append((_api_meta(spec), rows, texts, owners, api_text(spec)))
        if options.progress and len(pending) % 200 == 0:
            options.progress(f"read {len(pending)} specs")
    if not pending:
        raise IndexBuildError("no endpoints to index: the inputs hold no spec with paths")
    cache = EmbeddingCache(options.cache_dir, embedder.name) if options.cache_dir else None
    all_texts = [t for p in pending for t in p[2]] + [p[4] for p in pending]

    def report(done: int, total: int) -> None:
        if options.progress:
            options.progress(f"embedded {done}/{total} new texts")

    vecs = embed_texts(embedder, all_texts, cache, progress=report)
    parts, at = [], 0
    n_ep_texts = len(all_texts) - len(pending)
    for j, (meta, rows, texts, owners, _) in enumerate(pending):
        parts.append(ApiPart(meta, rows, vecs[at:at + len(texts)], np.asarray(owners, dtype=np.int32),
                             vecs[n_ep_texts + j], texts=texts))
        at += len(texts)
    return parts


def parts_from_version(folder: Path, skip: set[str]) -> list[ApiPart]:
    """The parts of a published version, minus the APIs in ``skip`` (no embedding needed)."""
    apis = json.loads((folder / "apis.json").read_text())
    rows = store.read_rows(folder / "endpoints.jsonl")
    dense = np.load(folder / "dense.npy", mmap_mode="r")
    owners = np.load(folder / "dense_owner.npy")
    api_dense = np.load(folder / "api_dense.npy")
    parts = []
    for i, api in enumerate(apis):
        if api["api_id"] in skip:
            continue
        r0, r1 = api.pop("rows")
        v0, v1 = api.pop("vecs")
        api.pop("endpoint_count", None)
        parts.append(ApiPart(api, rows[r0:r1], np.asarray(dense[v0:v1]), owners[v0:v1] - r0,
                             api_dense[i], spec_from=folder))
    return parts


def _faiss_index(vectors: np.ndarray, kind: str, threshold: int) -> tuple[Any, str]:
    import faiss

    if kind not in FAISS_KINDS:
        raise IndexBuildError(f"unknown FAISS index kind {kind!r}; use one of {', '.join(FAISS_KINDS)}")
    if kind == "auto":
        kind = "hnsw" if len(vectors) >= threshold else "flat"
    dim = vectors.shape[1]
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 256  # >= the searcher's candidate count
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index, kind


def _assemble(parts: list[ApiPart], staging: Path, index_dir: Path, version: str,
              embedder: TextEmbedder, options: BuildOptions, started: float) -> Path:
    import faiss

    parts = sorted(parts, key=lambda p: p.meta["api_id"])
    apis, rows, owners = [], [], []
    vec_blocks = []
    r = v = 0
    for part in parts:
        if part.spec_from is not None:
            store.link_spec(part.spec_from, staging, part.meta["api_id"])
        n_rows, n_vecs = len(part.rows), len(part.vectors)
        apis.append({**part.meta, "endpoint_count": n_rows, "rows": [r, r + n_rows], "vecs": [v, v + n_vecs]})
        rows.extend(part.rows)
        owners.append(part.owners.astype(np.int32) + r)
        vec_blocks.append(part.vectors)
        r += n_rows
        v += n_vecs
    dense = np.ascontiguousarray(np.vstack(vec_blocks), dtype=np.float32)
    np.save(staging / "dense.npy", dense)
    np.save(staging / "dense_owner.npy", np.concatenate(owners))
    np.save(staging / "api_dense.npy", np.vstack([p.api_vector for p in parts]).astype(np.float32))
    if options.progress:
        options.progress(f"building FAISS index over {len(dense)} vectors")
    index, kind = _faiss_index(dense, options.faiss_kind, options.hnsw_threshold)
    faiss.write_index(index, str(staging / "faiss.index"))
    if options.progress:
        options.progress("building lexical index")
    LexicalIndex.build([tokenize(row["lex"]) for row in rows]).save(staging)
    store.write_rows(staging / "endpoints.jsonl", rows)
    (staging / "apis.json").write_text(json.dumps(apis))
    manifest = make_manifest(
        version=version, model_name=embedder.name, dim=embedder.dim, faiss_kind=kind, apis=len(apis),
        endpoints=len(rows), sources={a["api_id"]: a["content_hash"] for a in apis},
        build_seconds=time.perf_counter() - started,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), extra={"vectors": len(dense)})
    write_json_atomic(staging / MANIFEST, manifest)  # last: a version without it is incomplete
    return publish.publish(index_dir, staging, version, keep=options.keep_versions)


def build_index(specs: Iterable[ApiSpec], index_dir: Path, embedder: TextEmbedder, *,
                instructions: dict[str, list[str]] | None = None,
                options: BuildOptions | None = None) -> Path:
    """Build a whole new version from ``specs`` and publish it; returns the version folder."""
    options = options or BuildOptions()
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    version = publish.new_version()
    staging = publish.staging_dir(index_dir, version)
    parts = parts_from_specs(specs, staging, embedder, instructions, options)
    return _assemble(parts, staging, index_dir, version, embedder, options, started)


def _served(index_dir: Path) -> Path:
    version = publish.current_version(index_dir)
    if version is None:
        raise IndexBuildError(f"no index is published in {index_dir}; run `apipack index build` first")
    return publish.version_dir(index_dir, version)


def _check_model(folder: Path, embedder: TextEmbedder) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    emb = manifest["embedding"]
    if emb["model"] != embedder.name or emb["dim"] != embedder.dim:
        raise IndexBuildError(
            f"the served index was embedded with {emb['model']} ({emb['dim']} dims), not "
            f"{embedder.name} ({embedder.dim}); rebuild it with `apipack index build`")


def add_api(index_dir: Path, spec: ApiSpec, embedder: TextEmbedder, *,
            instructions: dict[str, list[str]] | None = None,
            options: BuildOptions | None = None) -> Path:
    """Add one API, or replace it when its id is already indexed; the others are not re-embedded."""
    options = options or BuildOptions()
    started = time.perf_counter()
    served = _served(index_dir)
    _check_model(served, embedder)
    version = publish.new_version()
    staging = publish.staging_dir(index_dir, version)
    new = parts_from_specs([spec], staging, embedder, instructions, options)
    parts = parts_from_version(served, skip={spec.api_id}) + new
    return _assemble(parts, staging, index_dir, version, embedder, options, started)


def remove_api(index_dir: Path, api_id: str, embedder: TextEmbedder, *,
               options: BuildOptions | None = None) -> Path:
    options = options or BuildOptions()
    started = time.perf_counter()
    served = _served(index_dir)
    _check_model(served, embedder)
    known = {a["api_id"] for a in json.loads((served / "apis.json").read_text())}
    if api_id not in known:
        raise UnknownApiError(f"API {api_id!r} is not in the index; `apipack index info` lists them")
    parts = parts_from_version(served, skip={api_id})
    if not parts:
        raise IndexBuildError(f"removing {api_id!r} would leave the index empty; build a new one instead")
    version = publish.new_version()
    staging = publish.staging_dir(index_dir, version)
    return _assemble(parts, staging, index_dir, version, embedder, options, started)
