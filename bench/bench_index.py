"""Index benchmarks: build time and peak memory, size on disk, query latency.

  python bench/bench_index.py --index DIR [--build SPECS... [--no-cache]] [--reranker DIR] [--queries FILE]

--build runs ``apipack index build SPECS --out DIR`` in a child process and reports its wall time
and peak RSS (``getrusage(RUSAGE_CHILDREN)``). Latency is measured in this process after a warm-up:
``Searcher.search`` alone (API not named and named), and search + cross-encoder rerank of 20
candidates when --reranker is given. Prints JSON and a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def latency(searcher, queries: list[tuple[str, str]], named: bool, rounds: int) -> dict[str, float]:
    for q, api in queries[:20]:  # warm-up
        searcher.search(q, 5, api=api if named else None)
    times = []
    for _ in range(rounds):
        for q, api in queries:
            t = time.perf_counter()
            searcher.search(q, 5, api=api if named else None)
            times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 1), "p99_ms": round(percentile(times, 0.99), 1),
            "n": len(times)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--build", type=Path, nargs="*", help="spec inputs: build the index first")
    ap.add_argument("--no-cache", action="store_true", help="build without the embedding cache (cold)")
    ap.add_argument("--reranker", help="cross-encoder folder for search + rerank latency")
    ap.add_argument("--queries", type=Path, default=REPO.parent / "shared" / "queries" / "portal_dev.jsonl")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    out: dict = {"machine": f"{os.cpu_count()} cores"}
    if args.build:
        cmd = [sys.executable, "-m", "apipack.cli.main", "index", "build", *map(str, args.build),
               "--out", str(args.index)] + (["--no-cache"] if args.no_cache else [])
        t = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=REPO)
        out["build_seconds"] = round(time.perf_counter() - t, 1)
        out["build_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        out["build_cold"] = bool(args.no_cache)

    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    t = time.perf_counter()
    index = load_index(args.index)
    embedder = load_embedder()
    searcher = Searcher(index, embedder)
    out["load_seconds"] = round(time.perf_counter() - t, 2)
    out["index"] = {"version": index.version, **index.manifest["counts"], "faiss": index.manifest["faiss"]["kind"],
                    "size_mb": round(folder_size(index.folder) / 2**20, 1),
                    "built_in_s": index.manifest.get("build_seconds")}
    queries = [(q["query"], q["api"]) for q in map(json.loads, args.queries.read_text().splitlines()) if q]
    out["search_not_named"] = latency(searcher, queries, False, args.rounds)
    out["search_named"] = latency(searcher, queries, True, args.rounds)
    if args.reranker:
        from retrieval.rerank import load_reranker

        # one process uses every core (the CLI, evaluations); a served worker reranks on one thread
        for threads in sorted({os.cpu_count() or 1, 1}, reverse=True):
            rr = Searcher(index, embedder, load_reranker(args.reranker, threads=threads), rerank_candidates=20)
            out[f"search_rerank20_not_named_{threads}t"] = latency(rr, queries, False, 1)
            out[f"search_rerank20_named_{threads}t"] = latency(rr, queries, True, 1)
    print(json.dumps(out, indent=1))
    print("\n| measure | value |\n| --- | --- |")
    for key, value in out.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        print(f"| {key} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
