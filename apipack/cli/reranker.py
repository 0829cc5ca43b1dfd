"""``apipack reranker train``: train the cross-encoder reranker from the served index."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("reranker", help="train the cross-encoder reranker").add_subparsers(
        dest="reranker_cmd", metavar="CMD")
    train = group.add_parser("train", help="train on requests with hard negatives mined from the index")
    train.add_argument("--index", type=Path)
    train.add_argument("--out", type=Path, required=True, help="folder for the trained cross-encoder")
    train.add_argument("--apis", type=int, default=300, help="APIs sampled for training pairs")
    train.add_argument("--per-api", type=int, default=6)
    train.add_argument("--negatives", type=int, default=4)
    train.add_argument("--epochs", type=int, default=1)
    train.add_argument("--blend", type=float, default=0.5, help="weight of the cross-encoder vs fused score")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--unnamed-share", type=float, default=0.0,
                       help="share of requests mined without naming the API (slower)")
    train.add_argument("--pairs", type=Path, help="save the mined pairs here (JSONL), or reuse them if present")
    train.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    from apipack.settings import load_settings
    from retrieval.embedder import load_embedder, resolve_model_path
    from retrieval.index import load_index
    from retrieval.reranker_train import TrainOptions, casual_queries, make_pairs, train_reranker
    from retrieval.searcher import Searcher

    settings = load_settings()
    index = load_index(args.index or settings.index_dir)
    searcher = Searcher(index, load_embedder(settings.embed_model))
    options = TrainOptions(apis=args.apis, per_api=args.per_api, negatives=args.negatives, epochs=args.epochs,
                           blend=args.blend, seed=args.seed, unnamed_share=args.unnamed_share)
    started = time.perf_counter()
    if args.pairs and args.pairs.is_file():
        pairs = [tuple(json.loads(line)) for line in args.pairs.read_text().splitlines() if line]
    else:
        pairs = make_pairs(searcher, options, casual_queries(index, options.seed))
        if args.pairs:
            args.pairs.write_text("".join(json.dumps(p) + "\n" for p in pairs))
    print(f"{len(pairs)} pairs in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    out = train_reranker(pairs, resolve_model_path(settings.embed_model), args.out, options)
    print(f"reranker written to {out} ({time.perf_counter() - started:.0f} s); "
          f"use it with APIPACK_RERANKER={out}")
    return 0
