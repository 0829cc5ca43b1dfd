"""Test sets as lists of ``EvalCase``: the L1/L2/L3 levels, API Pack's released files, portal_dev.

- ``levels``: the dataset builder's splits (``apipack.dataset.splits``), per language, each case
  queried with the record's ``instruction_test`` (a paraphrase the index does not hold); the
  reference is the record's ``output``.
- ``apipack-file``: API Pack's released ``total_data_cleaned_<lang>.json`` layout (a JSON array of
  records); the API is named by its title (the files carry no API id).
- ``portal``: ``../shared/queries/portal_dev.jsonl`` (requests as developers type them). The
  reference output is rendered from the expected endpoint's spec by the runner, in the language
  the request names (or the run's first language when it names none).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apipack.errors import InvalidTestSetError
from apipack.snippets.targets_table import TARGETS, resolve_target

SET_NAMES = ("levels", "portal", "apipack-file")


@dataclass(frozen=True, slots=True)
class EvalCase:
    case_id: str
    set_name: str  # levels | portal | apipack-file
    level: str  # L1 | L2 | L3 | portal | file
    lang: str  # short target name
    query: str
    api: str | None  # API id (or, for API Pack files, the title) named when the run names the API
    api_title: str
    method: str | None  # expected endpoint (None when only the reference output is known)
    path: str | None
    operation_id: str | None = None
    expected_output: str | None = None  # reference in the records' output layout; None: the runner renders it
    values: dict[str, str] = field(default_factory=dict)
    also_correct: tuple[str, ...] = ()
    endpoint_id: str | None = None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except OSError as exc:
        raise InvalidTestSetError(f"test file {path} cannot be read: {exc.strerror}") from None
    except ValueError as exc:
        raise InvalidTestSetError(f"test file {path} is not JSON: {exc}") from None


def _lang_of_label(label: str | None, fallback: str | None) -> str:
    if label:
        return resolve_target(label).short
    if fallback:
        return resolve_target(fallback).short
    raise InvalidTestSetError("a record has no api_call_data.lang and no --langs was given")


def case_from_record(rec: dict[str, Any], *, set_name: str, level: str, lang: str | None = None,
                     case_id: str | None = None) -> EvalCase:
    """One record in API Pack's schema (ours adds api_id, method, endpoint_id, target) -> a case."""
    call_data = rec.get("api_call_data") or {}
    short = _lang_of_label(rec.get("target") or call_data.get("lang"), lang)
    query = rec.get("instruction_test") or rec.get("instruction") or ""
    if not query or "output" not in rec:
        raise InvalidTestSetError(f"record {rec.get('unique_id')!r} has no instruction_test/instruction or no output")
    return EvalCase(
        case_id=case_id or str(rec.get("unique_id") or ""),
        set_name=set_name, level=level, lang=short, query=query,
        api=rec.get("api_id") or rec.get("api_name"), api_title=rec.get("api_name") or "",
        method=(rec.get("method") or "").upper() or None,
        path=call_data.get("path") or rec.get("path"),
        operation_id=rec.get("operation_id"),
        expected_output=rec["output"], endpoint_id=rec.get("endpoint_id"),
    )


def load_apipack_file(path: Path, *, lang: str | None = None, limit: int | None = None) -> list[EvalCase]:
    """API Pack's released test/data files: a JSON array of records (``lang`` from the record)."""
    data = _read_json(path)
    if not isinstance(data, list):
        raise InvalidTestSetError(f"{path} must hold a JSON array of records (API Pack's layout)")
    cases = []
    for i, rec in enumerate(data[:limit] if limit else data):
        if not isinstance(rec, dict):
            raise InvalidTestSetError(f"{path}: item {i} is not a record object")
        cases.append(case_from_record(rec, set_name="apipack-file", level="file", lang=lang,
                                      case_id=str(rec.get("unique_id") or f"{path.stem}_{i}")))
    return cases


def load_portal(path: Path, *, default_lang: str = "python", langs: Sequence[str] | None = None,
                limit: int | None = None) -> list[EvalCase]:
    """portal_dev.jsonl -> cases in the language the request names (else ``default_lang``).

    With ``langs`` given, requests that name a language outside it are left out.
    """
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise InvalidTestSetError(f"query file {path} cannot be read: {exc.strerror}") from None
    wanted = {resolve_target(x).short for x in langs} if langs else None
    cases: list[EvalCase] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InvalidTestSetError(f"{path}:{n} is not JSON: {exc}") from None
        lang = resolve_target(row["lang"]).short if row.get("lang") else resolve_target(default_lang).short
        if wanted is not None and lang not in wanted:
            continue
        cases.append(EvalCase(
            case_id=row["id"], set_name="portal", level="portal", lang=lang, query=row["query"],
            api=row["api"], api_title=row.get("api_title") or "", method=row["method"].upper(),
            path=row["path"], operation_id=row.get("operation_id"),
            values={k: str(v) for k, v in (row.get("values") or {}).items()},
            also_correct=tuple(row.get("also_correct") or ()),
        ))
        if limit and len(cases) >= limit:
            break
    return cases


def cases_from_records(records: Iterable[dict[str, Any]], level: str, *, per_lang_limit: int | None = None,
                       langs: Sequence[str] | None = None) -> list[EvalCase]:
    """Records of one level -> cases, at most ``per_lang_limit`` per language (in the given order)."""
    wanted = [resolve_target(x).short for x in langs] if langs else list(TARGETS)
    counts = dict.fromkeys(wanted, 0)
    out: list[EvalCase] = []
    for rec in records:
        case = case_from_record(rec, set_name="levels", level=level)
        if case.lang not in counts or (per_lang_limit and counts[case.lang] >= per_lang_limit):
            continue
        counts[case.lang] += 1
        out.append(case)
    return out


def load_levels(dataset_dir: Path, *, langs: Sequence[str] | None = None, levels: Sequence[str] = ("L1", "L2", "L3"),
                per_level_limit: int | None = None) -> list[EvalCase]:
    """The L1/L2/L3 test records the dataset builder wrote (``splits/<lang>/level<N>.jsonl``)."""
    from apipack.dataset.splits import level_path, read_level

    cases: list[EvalCase] = []
    for lang in [resolve_target(x).short for x in langs] if langs else list(TARGETS):
        for level in levels:
            path = level_path(dataset_dir, lang, level)
            if not path.is_file():
                raise InvalidTestSetError(f"{path} does not exist: build the dataset with its splits "
                                          f"(apipack dataset build ... --out {dataset_dir}) for {lang}")
            cases += cases_from_records(read_level(dataset_dir, lang, level), level.upper(),
                                        per_lang_limit=per_level_limit, langs=[lang])
    return cases


INDEX_RECORD_FIELDS = ("unique_id", "api_id", "spec_path", "endpoint_id", "method", "target", "instruction")


def write_index_records(dataset_dir: Path, out: Path, *, langs: Sequence[str] | None = None) -> dict[str, int]:
    """The records a levels evaluation may index: the L2/L3 test cases lose their instruction.

    ``apipack index build`` indexes each record's ``instruction`` and loads the spec each record
    names. The test records of L2 and L3 must not lend their instruction to the index (the
    paper's "unseen endpoint" / "unseen API"), but their specs must still be indexed (an L3 API
    whose every record is a test case would otherwise vanish from the pool). An endpoint held
    out in any language is held out in all, since the index is shared by the languages.
    """
    import orjson

    from apipack.dataset.splits import level_path

    shorts = [resolve_target(x).short for x in langs] if langs else list(TARGETS)
    held_out: set[str] = set()
    for lang in shorts:
        for level in ("L2", "L3"):
            path = level_path(dataset_dir, lang, level)
            if path.is_file():
                for line in path.read_bytes().splitlines():
                    if line.strip():
                        held_out.add(orjson.loads(line)["endpoint_id"])
    kept = blanked = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fout:
        for lang in shorts:
            src = Path(dataset_dir) / f"total_data_cleaned_{lang}.jsonl"
            if not src.is_file():
                raise InvalidTestSetError(f"{src} does not exist: build the dataset for {lang} first")
            with open(src, "rb") as fin:
                for line in fin:
                    if not line.strip():
                        continue
                    full = orjson.loads(line)
                    # what the index reads of a record; the call itself (up to megabytes of
                    # example body for some specs) is not needed
                    rec = {k: full.get(k) for k in INDEX_RECORD_FIELDS}
                    if rec["endpoint_id"] in held_out:
                        rec["instruction"] = ""
                        blanked += 1
                    else:
                        kept += 1
                    fout.write(orjson.dumps(rec) + b"\n")
    return {"kept": kept, "held_out": blanked, "held_out_endpoints": len(held_out)}
