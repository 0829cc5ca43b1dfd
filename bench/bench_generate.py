"""Latency of the ``grounded`` backend for one answer, after warm-up: p50 / p99 per stage.

    python bench/bench_generate.py [--specs samples/specs] [--index DIR] [--n 300] [--warmup 30]

Builds an index of ``--specs`` in a temporary folder (or uses ``--index``), then answers ``--n``
requests one at a time, cycling through the 10 languages, each request made from an endpoint's
summary or operationId plus a value ("... for id 4711"), half of them naming the API. Prints JSON
and a markdown table: wall time per stage, and the process CPU time of one answer (less
sensitive than wall time to other work on a shared machine; the load average is reported).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from apipack.snippets.targets_table import TARGETS  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _requests(specs: list, n: int, seed: int) -> list[tuple[str, str, str | None]]:
    rng = random.Random(seed)
    endpoints = [(s, e) for s in specs for e in s.endpoints]
    langs = list(TARGETS)
    out = []
    for i in range(n):
        spec, ep = rng.choice(endpoints)
        what = ep.summary or (ep.operation_id or "").replace("_", " ") or f"{ep.method.lower()} {ep.path}"
        text = f"{what.rstrip('.').lower()} for id {rng.randint(100, 99999)}"
        out.append((text, langs[i % len(langs)], spec.api_id if i % 2 else None))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specs", type=Path, default=REPO / "samples" / "specs")
    ap.add_argument("--index", type=Path, default=None, help="an index already built from --specs")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from apipack.openapi import load_spec
    from generation.backends import GroundedBackend
    from generation.types import GenerationRequest
    from index_builder.build import build_index
    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    files = sorted(p for p in args.specs.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
    specs = [load_spec(p, api_id=p.relative_to(args.specs).with_suffix("").as_posix()) for p in files]
    embedder = load_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index or Path(tmp)
        if args.index is None:
            t0 = time.perf_counter()
            build_index(specs, index_dir, embedder)
            build_s = time.perf_counter() - t0
        else:
            build_s = float("nan")
        index = load_index(index_dir)
        backend = GroundedBackend(Searcher(index, embedder), index)
        reqs = _requests(specs, args.warmup + args.n, args.seed)
        for text, lang, api in reqs[:args.warmup]:
            backend.generate(GenerationRequest(text, language=lang, api=api))
        load_before = os.getloadavg()[0]
        totals: list[float] = []
        cpu: list[float] = []
        stages: dict[str, list[float]] = {}
        statuses: dict[str, int] = {}
        for text, lang, api in reqs[args.warmup:]:
            t0, c0 = time.perf_counter(), time.process_time()
            gen = backend.generate(GenerationRequest(text, language=lang, api=api))
            totals.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            statuses[gen.status] = statuses.get(gen.status, 0) + 1
            for name in ("search", "values", "render", "check"):
                if name in gen.timings_ms:
                    stages.setdefault(name, []).append(gen.timings_ms[name])
    result = {
        "specs": len(specs), "endpoints": sum(len(s.endpoints) for s in specs), "requests": len(totals),
        "warmup": args.warmup, "index_build_s": round(build_s, 2), "statuses": statuses,
        "total_ms": {"p50": round(statistics.median(totals), 2), "p99": round(_pct(totals, 0.99), 2),
                     "mean": round(statistics.fmean(totals), 2)},
        "cpu_ms": {"p50": round(statistics.median(cpu), 2), "p99": round(_pct(cpu, 0.99), 2)},
        "stages_ms": {k: {"p50": round(statistics.median(v), 3), "p99": round(_pct(v, 0.99), 3)}
                      for k, v in stages.items()},
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)], "cpus": os.cpu_count(),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(), "python": platform.python_version(),
    }
    print(json.dumps(result, indent=2))
    print()
    print("| stage | p50 ms | p99 ms |")
    print("| --- | --- | --- |")
    for k, v in result["stages_ms"].items():
        print(f"| {k} | {v['p50']} | {v['p99']} |")
    print(f"| **total (one answer)** | **{result['total_ms']['p50']}** | **{result['total_ms']['p99']}** |")
    print(f"| CPU time of one answer (all threads) | {result['cpu_ms']['p50']} | {result['cpu_ms']['p99']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
