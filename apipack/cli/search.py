"""``apipack search QUERY [--api API]``: ranked endpoints for a request, from the served index."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="find the endpoints that match a request")
    p.add_argument("query")
    p.add_argument("--api", help="limit to one API (id or exact title)")
    p.add_argument("-k", type=int, default=5, help="number of endpoints")
    p.add_argument("--index", type=Path)
    p.add_argument("--reranker", help="cross-encoder folder (default: the reranker setting; 'none' disables)")
    p.add_argument("--json", action="store_true", help="print the SearchResult as JSON")
    p.set_defaults(handler=_search)


def _search(args: argparse.Namespace) -> int:
    from apipack.settings import load_settings
    from retrieval import load_searcher

    settings = load_settings()
    reranker = settings.reranker if args.reranker is None else (None if args.reranker == "none" else args.reranker)
    searcher = load_searcher(args.index or settings.index_dir, settings.embed_model, reranker)
    result = searcher.search(args.query, args.k, api=args.api)
    if args.json:
        print(json.dumps(asdict(result), indent=2))
        return 0
    named = "named" if result.api_named else f"found, confidence {result.api_confidence:.2f}"
    print(f"API: {result.api_id} ({named})")
    for i, hit in enumerate(result.hits, start=1):
        print(f"{i}. {hit.score:.3f} {hit.api_id} {hit.method} {hit.path}  {hit.summary[:70]}")
    return 0
