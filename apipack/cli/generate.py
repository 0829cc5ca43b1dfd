"""``apipack generate``: one instruction -> one API call, or a JSONL batch -> one answer per line.

    apipack generate "create a widget called gizmo" --lang python [--api NAME] [--backend grounded] [--json]
    apipack generate --batch queries.jsonl --out answers.jsonl [--lang curl]

Batch lines are JSON objects with ``instruction`` (or ``query``) and optionally ``lang`` /
``language``, ``api``, ``id``, ``top_k``. Each output line is the answer (``Generation`` as JSON,
with the line's ``id``), or ``{"id", "line", "error": {...}}`` for a line that cannot be answered;
the batch goes on.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="turn an instruction into an API call in one of 10 languages")
    p.add_argument("instruction", nargs="?", help="what the call should do (omit with --batch)")
    p.add_argument("--lang", "--language", dest="lang", default=None,
                   help="curl, python, java, node, go, ruby, php, swift, libcurl, javascript (default python)")
    p.add_argument("--api", default=None, help="restrict to one API (id or exact title)")
    p.add_argument("--backend", choices=("grounded", "openai", "llamacpp"), default=None,
                   help="default: the configured APIPACK_BACKEND (grounded)")
    p.add_argument("--index", dest="index_dir", type=Path, default=None, help="index folder (APIPACK_INDEX_DIR)")
    p.add_argument("--top-k", type=int, default=None, help="retrieved examples in the LLM prompt")
    p.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    p.add_argument("--batch", type=Path, default=None, help="JSONL file of queries")
    p.add_argument("--out", type=Path, default=None, help="JSONL file for the answers (with --batch; default stdout)")
    p.set_defaults(handler=_run)


def backend_options(settings: Any, name: str) -> dict[str, Any]:
    """Constructor options of backend ``name`` from the settings (the CLI and the service share it)."""
    if name == "openai":
        from apipack.errors import ConfigError

        if not settings.openai_base_url:
            raise ConfigError("the openai backend needs APIPACK_OPENAI_BASE_URL (e.g. http://127.0.0.1:8001/v1)",
                              param="openai_base_url")
        from generation.backends.openai import openai_options

        return openai_options(settings)
    if name == "llamacpp":
        return {"model_path": settings.llamacpp_model_path}
    return {}


def _build(args: argparse.Namespace) -> tuple[Any, Any]:
    from apipack.settings import load_settings
    from generation.backends import create_backend
    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    settings = load_settings(index_dir=args.index_dir, backend=args.backend, top_k=args.top_k)
    index = load_index(settings.index_dir)
    searcher = Searcher(index, load_embedder(settings.embed_model))
    backend = create_backend(settings.backend, searcher, index, **backend_options(settings, settings.backend))
    return settings, backend


def _as_json(generation: Any) -> dict[str, Any]:
    return dataclasses.asdict(generation)


def _run(args: argparse.Namespace) -> int:
    from apipack.errors import InvalidRequestError

    if args.batch is None and not args.instruction:
        raise InvalidRequestError("give an INSTRUCTION, or --batch FILE.jsonl")
    if args.batch is not None and args.instruction:
        raise InvalidRequestError("give an INSTRUCTION or --batch, not both")
    if args.batch is not None and not args.batch.is_file():
        raise InvalidRequestError(f"batch file {args.batch} does not exist")
    if args.lang is not None:
        from apipack.snippets.targets_table import resolve_target

        resolve_target(args.lang)  # an unknown language fails before the index loads
    settings, backend = _build(args)
    if args.batch is not None:
        return _run_batch(args, settings, backend)
    from generation.types import GenerationRequest

    request = GenerationRequest(instruction=args.instruction, language=args.lang or "python", api=args.api,
                                top_k=settings.top_k)
    generation = backend.generate(request)
    if args.json:
        print(json.dumps(_as_json(generation), indent=2, ensure_ascii=False))
        return 0
    if generation.status == "no_match":
        print("apipack: no endpoint matches this instruction; name the API with --api or rephrase",
              file=sys.stderr)
        return 1
    print(generation.code)
    where = f"{generation.api_title} ({generation.api_id}): {generation.method} {generation.path}"
    print(f"# {where} [{generation.backend}]", file=sys.stderr)
    for f in generation.filled:
        print(f"#   {f.location} {f.name} = {f.value!r}  (from {f.source!r})", file=sys.stderr)
    if generation.flagged:
        problems = "; ".join(generation.check.problems) if generation.check else ""
        print(f"# the model's answer failed the spec check ({problems}); showing the grounded call",
              file=sys.stderr)
    return 0


def _answer_line(line: str, number: int, args: argparse.Namespace, settings: Any, backend: Any) -> dict[str, Any]:
    from apipack.errors import ApipackError, InvalidRequestError
    from generation.types import GenerationRequest

    ident: Any = None
    try:
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise InvalidRequestError(f"line {number} is not JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise InvalidRequestError(f"line {number} is not a JSON object")
        ident = item.get("id")
        instruction = item.get("instruction", item.get("query"))
        if not isinstance(instruction, str) or not instruction.strip():
            raise InvalidRequestError(f"line {number} has no 'instruction' (or 'query') text", param="instruction")
        top_k = item.get("top_k", settings.top_k)
        if not isinstance(top_k, int) or not 1 <= top_k <= 20:
            raise InvalidRequestError(f"line {number}: top_k must be an integer from 1 to 20", param="top_k")
        request = GenerationRequest(instruction=instruction,
                                    language=item.get("lang") or item.get("language") or args.lang or "python",
                                    api=item.get("api") or args.api, top_k=top_k)
        return {"id": ident, "line": number, **_as_json(backend.generate(request))}
    except ApipackError as exc:
        return {"id": ident, "line": number, **exc.to_dict()}


def _run_batch(args: argparse.Namespace, settings: Any, backend: Any) -> int:
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    answered = failed = 0
    try:
        with args.batch.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                row = _answer_line(line, number, args, settings, backend)
                failed += "error" in row
                answered += "error" not in row
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                out.flush()
    finally:
        if args.out:
            out.close()
    print(f"apipack: {answered} answered, {failed} failed", file=sys.stderr)
    return 0
