"""``apipack eval run``: a backend over a test set, scored with the paper's metric and the strict ones.

This is the composition root of an evaluation: it reads the settings, loads the index once,
builds the backend from ``generation.backends.BACKENDS`` and hands them to
``evaluation.runner.Evaluator``. Outputs ``<stem>.json`` (every case), ``<stem>.md`` (the
paper-layout table with the paper's figures) and ``<stem>.png`` in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from apipack.errors import InvalidRequestError

DEFAULT_QUERIES = "../shared/queries/portal_dev.jsonl"


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("eval", help="evaluate a backend (paper's metric, levels, strict metrics)")
    cmds = group.add_subparsers(dest="eval_cmd", metavar="CMD")
    run = cmds.add_parser("run", help="run a backend over a test set and write JSON/markdown/PNG reports")
    run.add_argument("--index", type=Path, help="published index folder (default: settings' index_dir)")
    run.add_argument("--set", dest="set_name", choices=("levels", "portal", "apipack-file"), default="levels")
    run.add_argument("--dataset", type=Path, help="levels: the dataset folder `apipack dataset build` wrote")
    run.add_argument("--file", type=Path, help="apipack-file: an API Pack JSON array file")
    run.add_argument("--queries", type=Path, default=Path(DEFAULT_QUERIES), help="portal: the JSONL file")
    run.add_argument("--langs", nargs="+", help="languages (short names); default all 10 (portal: python "
                     "for requests that name none)")
    run.add_argument("--levels", nargs="+", default=["L1", "L2", "L3"], choices=("L1", "L2", "L3"))
    run.add_argument("--backend", help="grounded | openai | llamacpp (default: settings' backend)")
    named = run.add_mutually_exclusive_group()
    named.add_argument("--named", dest="named", action="store_true", default=True,
                       help="name the expected API in each request (the paper's setting; default)")
    named.add_argument("--not-named", dest="named", action="store_false", help="let retrieval find the API")
    run.add_argument("--limit", type=int, help="at most N cases per language and level (levels) or in all")
    run.add_argument("--top-k", type=int, default=3, help="retrieved examples per request")
    run.add_argument("--concurrency", type=int, help="parallel requests (default: 1 grounded, else "
                     "settings' openai_max_concurrency)")
    run.add_argument("--openai-base-url", help="OpenAI-compatible server (e.g. vLLM's http://host:port/v1)")
    run.add_argument("--openai-model", help="model name on that server")
    run.add_argument("--render", choices=("dataset", "served"), default="dataset",
                     help="how the grounded call (and a portal reference) is rendered: 'dataset' = as the "
                     "records are (openapi-snippet byte for byte, the paper's references), 'served' = as "
                     "the service answers (openapi-snippet's defects corrected)")
    run.add_argument("--call-chars-cap", type=int, help="NOT the paper's metric: compare only the first N "
                     "characters of each call (some specs' calls are megabytes long and take minutes a case)")
    run.add_argument("--model-answer", action="store_true", help="LLM backends: score the model's own call "
                     "even when the spec check refused it (default: the call shown, grounded when flagged)")
    run.add_argument("--out", type=Path, required=True, help="folder for the reports")
    run.add_argument("--stem", help="file name stem of the reports (default: <set>-<backend>-<named>)")
    run.add_argument("--no-plot", action="store_true", help="skip the PNG")
    run.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    run.set_defaults(handler=_run)

    rec = cmds.add_parser("index-records", help="write the records a levels evaluation may index (all but "
                          "the L2/L3 test cases), for `apipack index build FILE --corpus DIR`")
    rec.add_argument("--dataset", type=Path, required=True, help="the folder `apipack dataset build` wrote")
    rec.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    rec.add_argument("--langs", nargs="+", help="languages whose records to take (default all 10)")
    rec.set_defaults(handler=_index_records)


def _index_records(args: argparse.Namespace) -> int:
    from evaluation.testsets import write_index_records

    counts = write_index_records(args.dataset, args.out, langs=args.langs)
    print(json.dumps({"out": str(args.out), **counts}))
    return 0


def _load_cases(args: argparse.Namespace) -> list[Any]:
    from evaluation import testsets

    if args.limit is not None and args.limit < 1:
        raise InvalidRequestError("--limit must be at least 1", param="limit")
    if args.set_name == "portal":
        default_lang = args.langs[0] if args.langs else "python"
        return testsets.load_portal(args.queries, default_lang=default_lang, langs=args.langs, limit=args.limit)
    if args.set_name == "apipack-file":
        if args.file is None:
            raise InvalidRequestError("--set apipack-file needs --file PATH (an API Pack JSON array)", param="file")
        return testsets.load_apipack_file(args.file, limit=args.limit)
    if args.dataset is None:
        raise InvalidRequestError("--set levels needs --dataset DIR (the folder `apipack dataset build` wrote)",
                                  param="dataset")
    return testsets.load_levels(args.dataset, langs=args.langs, levels=args.levels, per_level_limit=args.limit)


def _renderer(mode: str) -> Any:
    """The grounded renderer in the dataset's mode (references' bytes) or the service's (corrected)."""
    from generation.render import render_with_values

    corrected = mode == "served"

    def render(spec: Any, method: str, path: str, target: str, values: dict[str, Any] | None = None) -> str:
        return render_with_values(spec, method, path, target, values, corrected=corrected)

    return render


def _build_evaluator(settings: Any, options: Any, queries: list[str], render_mode: str
                     ) -> tuple[Any, dict[str, Any]]:
    """Index loaded once, query vectors embedded in one batch, the backend, the evaluator."""
    from apipack.cli.generate import backend_options
    from apipack.dataset.records import format_output
    from evaluation.query_vectors import PrimedEmbedder
    from evaluation.runner import Evaluator
    from evaluation.search_cache import CachingSearcher
    from generation.backends import create_backend
    from generation.check import check_code
    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    index = load_index(settings.index_dir)
    embedder = PrimedEmbedder(load_embedder(settings.embed_model))
    reranker = None
    if settings.reranker:
        from retrieval.rerank import load_reranker

        reranker = load_reranker(settings.reranker, threads=os.cpu_count() or 1)
    searcher = CachingSearcher(Searcher(index, embedder, reranker))
    render = _renderer(render_mode)
    backend = create_backend(settings.backend, searcher, index, render,
                             **backend_options(settings, settings.backend))
    t0 = time.perf_counter()
    embedder.prime(queries)
    info = {"prime_seconds": time.perf_counter() - t0, "index_version": index.version,
            "index_endpoints": index.manifest.get("counts", {}).get("endpoints"),
            "index_apis": index.manifest.get("counts", {}).get("apis"), "embed_model": embedder.name,
            "reranker": settings.reranker, "render": render_mode}
    return Evaluator(backend, index, render, format_output, check_code, options), info


def _run(args: argparse.Namespace) -> int:
    from apipack.settings import load_settings
    from evaluation.report import markdown_report, write_report
    from evaluation.runner import RunOptions, build_report

    settings = load_settings(index_dir=args.index, backend=args.backend, openai_base_url=args.openai_base_url,
                             openai_model=args.openai_model)
    cases = _load_cases(args)
    if not cases:
        raise InvalidRequestError("the test set selected holds no case (check --langs / --levels / --limit)")
    concurrency = args.concurrency or (1 if settings.backend == "grounded" else settings.openai_max_concurrency)
    options = RunOptions(named=args.named, top_k=args.top_k, concurrency=concurrency,
                         model_answer=args.model_answer, call_chars_cap=args.call_chars_cap)
    t0 = time.perf_counter()
    evaluator, load_info = _build_evaluator(settings, options, [c.query for c in cases], args.render)
    t_load = time.perf_counter() - t0

    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and (done % 50 == 0 or done == total):
            print(f"\r{done}/{total} cases", end="" if done < total else "\n", file=sys.stderr)
        elif not tty and (done % 1000 == 0 or done == total):  # a log line now and then
            print(f"[{time.strftime('%H:%M:%S')}] {done}/{total} cases", file=sys.stderr, flush=True)

    t1 = time.perf_counter()
    results = evaluator.run(cases, progress)
    seconds = time.perf_counter() - t1
    meta = {
        "command": "apipack " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv else "",
        "set": args.set_name, "backend": settings.backend, "named": args.named,
        "index": str(settings.index_dir), "langs": args.langs, "call_chars_cap": args.call_chars_cap, "levels": args.levels,
        "cases": len(results), "seconds": seconds, "load_seconds": t_load + load_info.get("prime_seconds", 0.0),
        "cases_per_second": len(results) / seconds if seconds else 0.0,
        **{k: v for k, v in load_info.items() if k != "prime_seconds"},
    }
    report = build_report(results, meta)
    stem = args.stem or (f"{args.set_name}-{settings.backend}-{'named' if args.named else 'not-named'}"
                         + ("-served" if args.render == "served" else ""))
    paths = write_report(report, args.out, stem=stem, draw=not args.no_plot)
    if args.json:
        out = report.to_json()
        out.pop("cases")
        out["files"] = {k: str(v) for k, v in paths.items()}
        print(json.dumps(out, indent=1))
    else:
        print(markdown_report(report))
        print("reports: " + ", ".join(str(p) for p in paths.values()))
    return 0
