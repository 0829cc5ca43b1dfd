"""One spec -> its records in every requested language, serialised (the work a build worker does).

``process_spec`` never raises for a bad spec: the reason goes into ``SpecResult.error`` so one
broken file cannot stop a batch; a renderer failing on one endpoint x target is recorded in
``render_errors`` and that record is left out. Records are streamed, serialised, into this
process's shard files (one per language under ``WorkerOptions.shard_dir``); the result only says
where they lie, so no bulk data crosses processes and a 10,000-endpoint spec never sits in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from apipack.dataset.filters import check_api, dedup_endpoints
from apipack.dataset.records import Record, unique_id_for
from apipack.errors import ApipackError
from apipack.instructions import InstructionRewriter, instruction_set
from apipack.openapi.model import ApiSpec
from apipack.snippets.targets_table import TARGETS

log = logging.getLogger(__name__)

DEFAULT_MAX_CALL_BYTES = 512 * 1024
RenderFn = Callable[[ApiSpec, str, str, str], str]  # (spec, method, path, target short name) -> code
# (spec, method, path, targets) -> {target: code, or the exception that target raised}
RenderManyFn = Callable[[ApiSpec, str, str, Sequence[str]], dict[str, "str | Exception"]]
LoadFn = Callable[..., ApiSpec]  # load_spec(path, api_id=..., spec_path=...)


@dataclass(frozen=True, slots=True)
class SpecTask:
    path: str
    api_id: str
    spec_path: str


@dataclass(slots=True)
class WorkerOptions:
    langs: tuple[str, ...]
    seed: int = 0
    apply_filters: bool = True
    render: RenderFn | None = None  # one target at a time (None: the real renderers, HAR built once)
    load: LoadFn | None = None  # None: apipack.openapi.load_spec
    shard_dir: str = ""  # where workers append their serialised records
    cache_dir: str | None = None  # the loader's parse cache (content hash -> ApiSpec)
    max_bytes: int | None = None  # the loader's size limit per spec
    rewriter: InstructionRewriter | None = None  # an LLM pass over the template texts (None: templates)
    # API calls longer than this are left out and reported: a few specs (microsoft.com/graph.json)
    # sample request bodies into calls of tens of megabytes, which no model prompt can hold
    max_call_bytes: int = DEFAULT_MAX_CALL_BYTES


@dataclass(slots=True)
class SpecResult:
    spec_path: str
    api_id: str
    file_hash: str = ""
    error: dict[str, Any] | None = None  # {"type", "message"} when the spec could not be used
    api_name: str = ""
    endpoints: int = 0  # after de-duplication
    duplicates: int = 0
    filtered: dict[str, str] | None = None  # {"reason", "detail"} when API Pack's filters drop the API
    parts: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # lang|"instr" -> (shard, offset, size)
    ids: dict[str, list[str]] = field(default_factory=dict)  # lang -> unique_ids, in line order
    lens: dict[str, list[int]] = field(default_factory=dict)  # lang -> byte length of each line
    render_errors: list[dict[str, str]] = field(default_factory=list)
    oversized: int = 0  # records left out because their API call is over max_call_bytes
    warnings: list[str] = field(default_factory=list)


def real_render_many(spec: ApiSpec, method: str, path: str, targets: Sequence[str]) -> dict[str, str | Exception]:
    """All targets from one HAR (as openapi-snippet does); when one target fails, the others are
    still rendered one by one so only that record is lost."""
    from apipack.snippets import build_hars, render, render_endpoint_targets

    try:
        return dict(render_endpoint_targets(spec, method, path, list(targets)))
    except Exception:  # isolate the failing target(s) below; a failing HAR fails them all
        try:
            har = build_hars(spec, method, path)[0]
        except Exception as exc:
            return dict.fromkeys(targets, exc)
        out: dict[str, str | Exception] = {}
        for t in targets:
            try:
                out[t] = render(har, t)
            except Exception as exc:
                out[t] = exc
        return out


def _one_by_one(render: RenderFn) -> RenderManyFn:
    def many(spec: ApiSpec, method: str, path: str, targets: Sequence[str]) -> dict[str, str | Exception]:
        out: dict[str, str | Exception] = {}
        for t in targets:
            try:
                out[t] = render(spec, method, path, t)
            except Exception as exc:
                out[t] = exc
        return out

    return many


def default_load() -> LoadFn:
    from apipack.openapi import load_spec

    return load_spec


def process_spec(task: SpecTask, options: WorkerOptions) -> SpecResult:
    result = SpecResult(spec_path=task.spec_path, api_id=task.api_id)
    load = options.load or default_load()
    extra: dict[str, Any] = {}
    if options.cache_dir:
        extra["cache_dir"] = options.cache_dir
    if options.max_bytes:
        extra["max_bytes"] = options.max_bytes
    try:
        spec = load(Path(task.path), api_id=task.api_id, spec_path=task.spec_path, **extra)
        result.file_hash = spec.content_hash or hashlib.sha256(Path(task.path).read_bytes()).hexdigest()
    except ApipackError as exc:
        result.error = {"type": exc.type, "message": exc.message}
        return result
    except OSError as exc:
        result.error = {"type": "unreadable_file", "message": f"cannot read {task.path}: {exc}"}
        return result
    except Exception as exc:  # a loader bug on one spec must not stop the batch; it is reported
        log.debug("loader failed on %s", task.path, exc_info=True)
        result.error = {"type": "internal_error", "message": f"{type(exc).__name__}: {exc}",
                        "trace": traceback.format_exc(limit=3)}
        return result
    result.api_name = spec.title
    result.warnings = list(spec.warnings)
    endpoints, result.duplicates = dedup_endpoints(spec.endpoints)
    result.endpoints = len(endpoints)
    verdict = check_api(spec.title, spec.api_id, endpoints, seed=options.seed)
    if not verdict.keep:
        result.filtered = {"reason": verdict.reason, "detail": verdict.detail}
        if options.apply_filters:
            return result
    _records(spec, endpoints, options, result)
    return result


_SHARDS: dict[tuple[int, str, str], IO[bytes]] = {}


def _shard(shard_dir: str, name: str) -> IO[bytes]:
    """This process's append-only file for ``name`` (a language or "instr") in ``shard_dir``."""
    key = (os.getpid(), shard_dir, name)
    fh = _SHARDS.get(key)
    if fh is None:
        fh = _SHARDS[key] = open(Path(shard_dir) / f"{os.getpid()}-{name}.jsonl", "ab")
    return fh


def close_shards() -> None:
    """Close this process's shard files (the parent calls it after an in-process build)."""
    for key in list(_SHARDS):
        _SHARDS.pop(key).close()


def _records(spec: ApiSpec, endpoints: list, options: WorkerOptions, result: SpecResult) -> None:
    render_many = _one_by_one(options.render) if options.render else real_render_many
    targets = [TARGETS[lang] for lang in options.langs]
    shorts = [t.short for t in targets]
    outs = {name: _shard(options.shard_dir, name) for name in (*options.langs, "instr")}
    starts = {name: fh.tell() for name, fh in outs.items()}
    for t in targets:
        result.ids[t.short] = []
        result.lens[t.short] = []
    instr_out = outs["instr"]
    for i, ep in enumerate(endpoints):
        iset = instruction_set(ep, spec.title, seed=options.seed)
        if options.rewriter is not None:
            iset = iset.rewritten(options.rewriter, {"api_name": spec.title, "method": ep.method, "path": ep.path})
        uid = unique_id_for(spec.spec_path, i)
        endpoint_id = ep.endpoint_id
        instr_out.write(orjson.dumps({"unique_id": uid, "endpoint_id": endpoint_id, "api_id": spec.api_id,
                                      "method": ep.method, "path": ep.path,
                                      "instructions": iset.ranked()}) + b"\n")
        codes = render_many(spec, ep.method, ep.path, shorts)
        for t in targets:
            code = codes.get(t.short)
            if not isinstance(code, str):  # one endpoint x target the renderer cannot do: reported, skipped
                exc = code if isinstance(code, Exception) else ValueError("the renderer returned no code")
                result.render_errors.append({"spec_path": spec.spec_path, "api_id": spec.api_id,
                                             "method": ep.method, "path": ep.path, "target": t.short,
                                             "type": getattr(exc, "type", type(exc).__name__),
                                             "message": str(exc)[:500]})
                continue
            if options.max_call_bytes and len(code) > options.max_call_bytes:
                result.oversized += 1
                result.render_errors.append({"spec_path": spec.spec_path, "api_id": spec.api_id,
                                             "method": ep.method, "path": ep.path, "target": t.short,
                                             "type": "oversized_call",
                                             "message": f"API call of {len(code):,} characters is over the "
                                                        f"{options.max_call_bytes:,} limit; record left out"})
                continue
            instruction, test = iset.pair(t.short)
            rec = Record(api_name=spec.title, api_description=spec.description, api_call=code, lang=t.lang,
                         functionality=ep.summary or "", description=ep.description or "",
                         domain=list(ep.tags), path=ep.path, instruction=instruction, instruction_test=test,
                         unique_id=uid, method=ep.method, operation_id=ep.operation_id or "",
                         provider=spec.provider, api_id=spec.api_id, spec_path=spec.spec_path,
                         endpoint_id=endpoint_id, target=t.short)
            line = orjson.dumps(rec.to_dict()) + b"\n"
            outs[t.short].write(line)
            result.ids[t.short].append(uid)
            result.lens[t.short].append(len(line))
    for name, fh in outs.items():
        fh.flush()  # the parent copies these bytes as soon as it has the result
        result.parts[name] = (fh.name, starts[name], fh.tell() - starts[name])
