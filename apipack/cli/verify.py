"""``apipack verify``: run rendered snippets with the real toolchains against a local echo server."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from apipack.snippets.targets_table import TARGETS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "verify", help="run snippets against a local echo server and check what arrives",
        description="Render endpoints of the given specs in each target, run every snippet with the real "
                    "toolchain (curl, python3, node, go, ruby, php, gcc+libcurl, java+okhttp; swift is "
                    "checked statically), pointed at a local echo server, and compare what arrived with "
                    "what the endpoint expects. Prints a table per target; --json for scripts.")
    p.add_argument("specs", nargs="+", type=Path, help="spec files or folders of specs")
    p.add_argument("--targets", default=",".join(TARGETS),
                   help="comma-separated short names (default: all ten)")
    p.add_argument("--renderings", default="compat,corrected",
                   help="compat (openapi-snippet byte for byte), corrected (the default for answers), or both")
    p.add_argument("--limit", type=int, default=None, help="draw this many endpoints at random")
    p.add_argument("--seed", type=int, default=0, help="seed of the random draw")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds one call may take before it counts as hung")
    p.add_argument("--workdir", type=Path, default=None, help="keep the generated programs here")
    p.add_argument("--out", type=Path, default=None, help="write every case as JSON to this file")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from apipack.errors import ApipackError
    from apipack.openapi import iter_spec_files, load_spec
    from apipack.snippets.targets_table import resolve_target
    from apipack.verify.cases import sample_endpoints
    from apipack.verify.harness import verify
    from apipack.verify.report import markdown_table

    targets = [resolve_target(t).short for t in args.targets.split(",") if t.strip()]
    renderings = [r.strip() for r in args.renderings.split(",") if r.strip()]
    specs, failed = [], []
    for path, api_id in iter_spec_files(args.specs):
        try:
            specs.append(load_spec(path, api_id=api_id))
        except ApipackError as exc:  # reported; the other specs go on
            failed.append({"spec": str(path), "error": exc.message})
    pairs = sample_endpoints(specs, args.limit, args.seed)
    report = verify(pairs, targets=targets, renderings=renderings, case_timeout_s=args.timeout, workdir=args.workdir,
                    progress=lambda msg: print(f"verify: {msg}", file=sys.stderr))
    if args.out:
        args.out.write_text(json.dumps({**report.as_dict(), "failed_specs": failed}, indent=1))
    summary = {"specs": len(specs), "failed_specs": failed, "endpoints": len(pairs),
               "targets": [s.as_dict() for s in report.summaries],
               "classes": dict(Counter(k for s in report.summaries for k in s.classes.elements()))}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(markdown_table(report.summaries))
        for f in failed:
            print(f"spec not loaded: {f['spec']}: {f['error']}", file=sys.stderr)
    return 0
