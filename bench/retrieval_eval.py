"""Retrieval evaluation: endpoint hit@1 / hit@3 / MRR and API hit@1, with and without the API named,
for dense only, lexical only, fused, and fused + reranker.

Query sets:
  portal  -- ../shared/queries/portal_dev.jsonl (requests as developers type them; ``api`` plus
             ``also_correct`` are the acceptable APIs, ``method`` + ``path`` the endpoint)
  heldout -- ``instruction_test`` paraphrases from records JSONL (``apipack dataset build``);
             never indexed (the index holds ``instruction`` only), sampled deterministically

Usage:
  python bench/retrieval_eval.py --index INDEX_DIR [--portal FILE] [--records FILE.jsonl]
      [--heldout-n 500] [--heldout-offset 0] [--reranker DIR] [--modes dense,lexical,fused,fused+rerank] [--json OUT]
Prints a JSON summary and a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODES = {  # name -> Searcher keyword arguments
    "dense": {"channels": ("dense",)},
    "lexical": {"channels": ("lexical",)},
    "fused": {},
    "fused+rrf": {"fusion": "rrf"},
    "fused+rerank": {"rerank": True},
}


def portal_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for line in path.read_text().splitlines():
        if line.strip():
            q = json.loads(line)
            cases.append({"query": q["query"], "api": q["api"], "apis": [q["api"], *q.get("also_correct", [])],
                          "method": q["method"], "path": q["path"]})
    return cases


def heldout_cases(paths: list[Path], n: int, seed: int = 0, offset: int = 0) -> list[dict[str, Any]]:
    """``n`` cases from ``offset`` on in one fixed shuffle: offset 500 gives a sample disjoint from
    the default 500 (a check set for changes made while reading the first sample's failures)."""
    seen: dict[str, dict[str, Any]] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            line = line.strip().rstrip(",")  # JSONL, or the one-record-a-line JSON array of total_data_*.json
            if line in ("", "[", "]"):
                continue
            rec = json.loads(line)
            eid = rec.get("endpoint_id")
            if eid and rec.get("instruction_test") and eid not in seen:
                seen[eid] = {"query": rec["instruction_test"], "api": rec["api_id"], "apis": [rec["api_id"]],
                             "method": rec["method"], "path": rec["api_call_data"]["path"]}
    cases = sorted(seen.values(), key=lambda c: (c["api"], c["method"], c["path"]))
    random.Random(seed).shuffle(cases)
    return cases[offset:offset + n]


def score(searcher: Any, cases: list[dict[str, Any]], named: bool, k: int = 10) -> dict[str, float]:
    h1 = h3 = mrr = api1 = 0.0
    latencies = []
    for c in cases:
        t = time.perf_counter()
        result = searcher.search(c["query"], k, api=c["api"] if named else None)
        latencies.append(time.perf_counter() - t)
        rank = next((i for i, h in enumerate(result.hits, 1)
                     if h.api_id in c["apis"] and h.method == c["method"] and h.path == c["path"]), None)
        h1 += rank == 1
        h3 += rank is not None and rank <= 3
        mrr += 1.0 / rank if rank else 0.0
        api1 += bool(result.hits) and result.hits[0].api_id in c["apis"]
    n = max(len(cases), 1)
    latencies.sort()
    return {"endpoint_hit@1": round(h1 / n, 3), "endpoint_hit@3": round(h3 / n, 3), "mrr": round(mrr / n, 3),
            "api_hit@1": round(api1 / n, 3), "n": len(cases),
            "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else 0.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--portal", type=Path, default=REPO.parent / "shared" / "queries" / "portal_dev.jsonl")
    ap.add_argument("--records", type=Path, nargs="+",
                    help="records JSONL with instruction_test (held-out set), e.g. a dataset's splits/curl/level*.jsonl")
    ap.add_argument("--heldout-n", type=int, default=500)
    ap.add_argument("--heldout-offset", type=int, default=0,
                    help="skip this many held-out cases of the shuffle (500: a sample disjoint from the default)")
    ap.add_argument("--reranker", help="cross-encoder folder for fused+rerank")
    ap.add_argument("--modes", default="dense,lexical,fused,fused+rerank")
    ap.add_argument("--embed-model", default="all-MiniLM-L6-v2")
    ap.add_argument("--json", type=Path, help="also write the JSON summary here")
    args = ap.parse_args()

    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    index = load_index(args.index)
    embedder = load_embedder(args.embed_model)
    sets = {"portal_dev": portal_cases(args.portal)}
    if args.records:
        name = "heldout" if not args.heldout_offset else f"heldout@{args.heldout_offset}"
        sets[name] = heldout_cases(args.records, args.heldout_n, offset=args.heldout_offset)
    reranker = None
    if args.reranker:
        from retrieval.rerank import load_reranker

        reranker = load_reranker(args.reranker, threads=os.cpu_count() or 1)
    results: dict[str, Any] = {"index": index.version, "endpoints": index.manifest["counts"]["endpoints"],
                               "rows": []}
    for mode in args.modes.split(","):
        kw = dict(MODES[mode])
        if kw.pop("rerank", False):
            if reranker is None:
                print(f"skipping {mode}: no --reranker given", file=sys.stderr)
                continue
            kw["reranker"] = reranker
        searcher = Searcher(index, embedder, **kw)
        for set_name, cases in sets.items():
            for named in (True, False):
                row = {"set": set_name, "mode": mode, "api_named": named, **score(searcher, cases, named)}
                results["rows"].append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=1))
    print()
    print("| set | mode | API named | endpoint hit@1 | hit@3 | MRR | API hit@1 | n |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results["rows"]:
        print(f"| {r['set']} | {r['mode']} | {'yes' if r['api_named'] else 'no'} | {r['endpoint_hit@1']:.3f} | "
              f"{r['endpoint_hit@3']:.3f} | {r['mrr']:.3f} | {r['api_hit@1']:.3f} | {r['n']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
