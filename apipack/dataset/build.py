"""``build_dataset``: specs -> records for every language, filters, splits, files, a summary.

Specs are processed in parallel (a process pool, ``workers``), results written in input order so
a build is reproducible. Output folder:

- ``total_data_cleaned_<lang>.jsonl``: the records (API Pack's fields and ours);
  ``total_data_cleaned_<lang>.json`` too with ``api_pack_json`` (API Pack's released layout);
- ``instructions.jsonl``: every instruction text per endpoint (for indexes that embed several);
- ``splits/<lang>/level{1,2,3}.jsonl`` (test cases) and ``splits/<lang>/split.json`` (ids);
- ``errors.jsonl`` (each failed spec and why; render failures), ``filtered.jsonl`` (APIs dropped
  by the filters), ``summary.json``, ``manifest.json``.

Rebuilds are incremental: ``manifest.json`` remembers each spec's file hash and where its records
lie, so an unchanged spec's bytes are copied from the previous files and only changed specs are
parsed and rendered again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from apipack.dataset.spec_records import (
    DEFAULT_MAX_CALL_BYTES,
    SpecResult,
    SpecTask,
    WorkerOptions,
    close_shards,
    process_spec,
)
from apipack.dataset.splits import make_split
from apipack.dataset.writer import JSON_NAME, JSONL_NAME, JsonArrayWriter
from apipack.errors import InvalidRequestError
from apipack.instructions import InstructionRewriter
from apipack.snippets.targets_table import TARGETS, resolve_target

log = logging.getLogger(__name__)

FORMAT_VERSION = 1  # bump when records change shape or content: old manifests are then ignored
DiscoverFn = Callable[[Sequence[Path]], Iterable[tuple[Path, str]]]


@dataclass(slots=True)
class BuildSummary:
    out_dir: str
    langs: list[str]
    specs_total: int = 0
    specs_ok: int = 0
    specs_failed: int = 0
    specs_reused: int = 0
    apis_filtered: int = 0
    filtered_reasons: dict[str, int] = field(default_factory=dict)
    endpoints: int = 0
    duplicates_dropped: int = 0
    records: dict[str, int] = field(default_factory=dict)
    render_errors: int = 0  # includes the oversized calls
    oversized_calls: int = 0
    split_cases: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_discover(inputs: Sequence[Path]) -> Iterable[tuple[Path, str]]:
    from apipack.openapi import iter_spec_files

    return iter_spec_files(inputs)


def build_dataset(inputs: Sequence[Path], out_dir: Path, *, langs: Sequence[str] | None = None,
                  workers: int = 1, seed: int = 0, apply_filters: bool = True, api_pack_json: bool = False,
                  render: Callable | None = None, load: Callable | None = None,
                  discover: DiscoverFn | None = None, incremental: bool = True, progress: bool = False,
                  max_cases: int = 1000, cache_dir: Path | None = None, max_bytes: int | None = None,
                  rewriter: InstructionRewriter | None = None,
                  max_call_bytes: int = DEFAULT_MAX_CALL_BYTES) -> BuildSummary:
    started = time.perf_counter()
    langs = tuple(resolve_target(lang).short for lang in (langs or TARGETS))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = _tasks((discover or default_discover)(inputs))
    if not tasks:
        raise InvalidRequestError(f"no spec files found under {', '.join(map(str, inputs))}; "
                                  "give .json/.yaml OpenAPI files or folders holding them", param="inputs")
    options_key = {"format": FORMAT_VERSION, "langs": list(langs), "seed": seed, "apply_filters": apply_filters,
                   "rewriter": type(rewriter).__name__ if rewriter else None, "max_call_bytes": max_call_bytes}
    old = _old_manifest(out_dir, options_key) if incremental else {}
    reuse = {t.spec_path: old[t.spec_path] for t in tasks
             if t.spec_path in old and not old[t.spec_path].get("error")
             and old[t.spec_path]["file_hash"] == _file_hash(Path(t.path))}
    summary = BuildSummary(out_dir=str(out_dir), langs=list(langs), specs_total=len(tasks))
    tmp = out_dir / f".building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    outs = {lang: open(tmp / JSONL_NAME.format(lang=lang), "wb") for lang in langs}
    instr_out = open(tmp / "instructions.jsonl", "wb")
    errors_out = open(tmp / "errors.jsonl", "wb")
    filtered_out = open(tmp / "filtered.jsonl", "wb")
    manifest_specs: list[dict[str, Any]] = []
    (tmp / "shards").mkdir()
    worker_opts = WorkerOptions(langs=langs, seed=seed, apply_filters=apply_filters, render=render, load=load,
                                shard_dir=str(tmp / "shards"), cache_dir=str(cache_dir) if cache_dir else None,
                                max_bytes=max_bytes, rewriter=rewriter, max_call_bytes=max_call_bytes)
    todo = [t for t in tasks if t.spec_path not in reuse]
    try:
        results = _run(todo, worker_opts, workers)
        bar = _progress(len(tasks), progress)
        for task in tasks:
            if task.spec_path in reuse:
                entry = _copy_reused(reuse[task.spec_path], out_dir, outs, instr_out)
                summary.specs_reused += 1
            else:
                entry = _write_result(next(results), outs, instr_out)
            _account(entry, summary, errors_out, filtered_out)
            manifest_specs.append(entry)
            bar.update(1)
        bar.close()
    finally:
        close_shards()
        for fh in (*outs.values(), instr_out, errors_out, filtered_out):
            fh.close()
        shutil.rmtree(tmp / "shards", ignore_errors=True)
    _write_splits(tmp, langs, manifest_specs, seed, max_cases, summary)
    if api_pack_json:
        for lang in langs:
            _jsonl_to_api_pack(tmp / JSONL_NAME.format(lang=lang), tmp / JSON_NAME.format(lang=lang))
    summary.seconds = round(time.perf_counter() - started, 3)
    (tmp / "manifest.json").write_bytes(orjson.dumps({"options": options_key, "specs": manifest_specs}))
    (tmp / "summary.json").write_bytes(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2))
    _publish(tmp, out_dir)
    return summary


def _tasks(found: Iterable[tuple[Path, str]]) -> list[SpecTask]:
    """One task per spec file; an API id seen twice (the same file name under two inputs) gets a
    suffix, so unique ids stay unique."""
    tasks: list[SpecTask] = []
    seen: dict[str, int] = {}
    for path, api_id in found:
        api_id = api_id or Path(path).stem
        n = seen.get(api_id, 0) + 1
        seen[api_id] = n
        if n > 1:
            api_id = f"{api_id}~{n}"
        tasks.append(SpecTask(str(path), api_id, f"{api_id}{Path(path).suffix}"))
    return tasks


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _old_manifest(out_dir: Path, options_key: dict[str, Any]) -> dict[str, dict[str, Any]]:
    path = out_dir / "manifest.json"
    if not path.exists():
        return {}
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        return {}  # a damaged manifest only costs a full rebuild
    if data.get("options") != options_key:
        return {}
    if not all((out_dir / JSONL_NAME.format(lang=lang)).exists() for lang in options_key["langs"]):
        return {}
    return {e["spec_path"]: e for e in data.get("specs", [])}


def _run(todo: list[SpecTask], options: WorkerOptions, workers: int) -> Iterator[SpecResult]:
    """Results in ``todo`` order (the files stay reproducible), computed biggest spec first.

    Spec sizes vary 10,000x (microsoft.com/graph.json is 36 MB): handing out the big ones first
    keeps a worker from starting one at the very end while the others sit idle. Results only say
    where the records lie, so holding early-finished ones until their turn costs little memory.
    """
    if workers <= 1 or len(todo) <= 1:
        yield from (process_spec(task, options) for task in todo)
        return
    import multiprocessing

    order = sorted(range(len(todo)), key=lambda i: -_size(todo[i].path))
    fn = partial(_indexed, options=options)
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(processes=workers) as pool:
        done: dict[int, SpecResult] = {}
        want = 0
        for i, res in pool.imap_unordered(fn, [(i, todo[i]) for i in order], chunksize=1):
            done[i] = res
            while want in done:
                yield done.pop(want)
                want += 1


def _indexed(item: tuple[int, SpecTask], options: WorkerOptions) -> tuple[int, SpecResult]:
    return item[0], process_spec(item[1], options)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="spec", file=sys.stderr, disable=not enabled, dynamic_ncols=True)


def _write_result(res: SpecResult, outs: dict[str, Any], instr_out: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"spec_path": res.spec_path, "api_id": res.api_id, "file_hash": res.file_hash,
                             "error": res.error, "api_name": res.api_name, "endpoints": res.endpoints,
                             "duplicates": res.duplicates, "filtered": res.filtered,
                             "render_errors": res.render_errors, "warnings": res.warnings,
                             "oversized": res.oversized,
                             "parts": {}, "ids": res.ids, "lens": res.lens}
    for lang, fh in outs.items():
        shard, offset, size = res.parts.get(lang, ("", 0, 0))
        entry["parts"][lang] = [fh.tell(), size]
        _copy_range(Path(shard), offset, size, fh)
    shard, offset, size = res.parts.get("instr", ("", 0, 0))
    entry["instr"] = [instr_out.tell(), size]
    _copy_range(Path(shard), offset, size, instr_out)
    return entry


def _copy_reused(entry: dict[str, Any], old_dir: Path, outs: dict[str, Any], instr_out: Any) -> dict[str, Any]:
    entry = dict(entry)
    parts = {}
    for lang, fh in outs.items():
        offset, size = entry["parts"][lang]
        parts[lang] = [fh.tell(), size]
        _copy_range(old_dir / JSONL_NAME.format(lang=lang), offset, size, fh)
    entry["parts"] = parts
    offset, size = entry["instr"]
    entry["instr"] = [instr_out.tell(), size]
    _copy_range(old_dir / "instructions.jsonl", offset, size, instr_out)
    return entry


def _copy_range(src: Path, offset: int, size: int, dst: Any) -> None:
    """Append ``size`` bytes of ``src`` from ``offset`` to ``dst`` (in the kernel where it can)."""
    if size == 0:
        return
    dst.flush()
    with open(src, "rb") as fh:
        copy = getattr(os, "copy_file_range", None)
        done = 0
        if copy is not None:
            try:
                while done < size:
                    n = copy(fh.fileno(), dst.fileno(), size - done, offset + done)
                    if n == 0:
                        break
                    done += n
            except OSError as exc:  # e.g. file systems that refuse it: the plain copy below finishes
                log.debug("copy_file_range refused on %s (%s); copying through user space", src, exc)
        fh.seek(offset + done)
        while done < size:
            chunk = fh.read(min(size - done, 1 << 24))
            if not chunk:
                raise OSError(f"{src} is shorter than the build recorded; rebuild with --full")
            dst.write(chunk)
            done += len(chunk)
    dst.flush()
    dst.seek(0, os.SEEK_END)


def _account(entry: dict[str, Any], summary: BuildSummary, errors_out: Any, filtered_out: Any) -> None:
    if entry["error"]:
        summary.specs_failed += 1
        errors_out.write(orjson.dumps({"spec_path": entry["spec_path"], "api_id": entry["api_id"],
                                       "kind": "spec", **entry["error"]}) + b"\n")
        return
    summary.specs_ok += 1
    summary.endpoints += entry["endpoints"]
    summary.duplicates_dropped += entry["duplicates"]
    for err in entry["render_errors"]:
        errors_out.write(orjson.dumps({"kind": "render", **err}) + b"\n")
    summary.render_errors += len(entry["render_errors"])
    summary.oversized_calls += entry.get("oversized", 0)
    if entry["filtered"]:
        summary.apis_filtered += 1
        reason = entry["filtered"]["reason"]
        summary.filtered_reasons[reason] = summary.filtered_reasons.get(reason, 0) + 1
        filtered_out.write(orjson.dumps({"spec_path": entry["spec_path"], "api_id": entry["api_id"],
                                         "api_name": entry["api_name"], **entry["filtered"]}) + b"\n")
    for lang, ids in entry["ids"].items():
        summary.records[lang] = summary.records.get(lang, 0) + len(ids)


def _write_splits(tmp: Path, langs: Sequence[str], specs: list[dict[str, Any]], seed: int, max_cases: int,
                  summary: BuildSummary) -> None:
    for lang in langs:
        by_api: dict[str, list[str]] = {}
        for e in specs:
            ids = e["ids"].get(lang)
            if ids:
                by_api.setdefault(e["api_id"], []).extend(ids)
        split = make_split(lang, by_api, seed=seed, max_cases=max_cases)
        folder = tmp / "splits" / lang
        folder.mkdir(parents=True, exist_ok=True)
        lines = _lines_for(tmp / JSONL_NAME.format(lang=lang), lang, specs, set(split.l1 + split.l2 + split.l3))
        for level, ids in (("level1", split.l1), ("level2", split.l2), ("level3", split.l3)):
            with open(folder / f"{level}.jsonl", "wb") as fh:
                for uid in ids:
                    fh.write(lines[uid])
        (folder / "split.json").write_bytes(orjson.dumps(split.to_dict()))
        summary.split_cases[lang] = {"level1": len(split.l1), "level2": len(split.l2), "level3": len(split.l3),
                                     "level3_apis": len(split.l3_apis)}


def _lines_for(path: Path, lang: str, specs: list[dict[str, Any]], wanted: set[str]) -> dict[str, bytes]:
    """The JSONL lines of ``wanted`` records, found through the manifest's offsets (no full re-read)."""
    found: dict[str, bytes] = {}
    with open(path, "rb") as fh:
        for e in specs:
            ids = e["ids"].get(lang) or []
            if not wanted.intersection(ids):
                continue
            offset = e["parts"][lang][0]
            for uid, length in zip(ids, e["lens"][lang], strict=True):
                if uid in wanted:
                    fh.seek(offset)
                    found[uid] = fh.read(length)
                offset += length
    return found


def _jsonl_to_api_pack(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        writer = JsonArrayWriter(fout)
        for line in fin:
            d = orjson.loads(line)
            writer.write_item(orjson.dumps({k: d[k] for k in ("api_name", "api_description", "api_call_data",
                                                              "instruction", "instruction_test", "input",
                                                              "output", "unique_id")}))
        writer.close()


def _publish(tmp: Path, out_dir: Path) -> None:
    """Move the new files over the old ones (each rename atomic), then drop the temporary folder.
    Record files of a previous build that this one did not write (another --langs) are removed,
    so the folder never mixes two builds."""
    fresh = {item.name for item in tmp.iterdir()}
    for old in out_dir.glob("total_data_cleaned_*.json*"):
        if old.name not in fresh:
            old.unlink()
    for item in sorted(tmp.iterdir()):
        target = out_dir / item.name
        if item.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        os.replace(item, target)
    tmp.rmdir()
