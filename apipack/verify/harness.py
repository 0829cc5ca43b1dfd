"""``apipack verify``: render endpoints in every target, run them with the real toolchains against
the echo server, and compare what arrived with what the endpoint expects.

Work is batched per language (one program holding all calls, one compile), targets run one after
the other, and each case is judged on its own: a snippet that hangs, a missing toolchain or a
server that never answers is reported for its cases and the run goes on.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from apipack.errors import ApipackError
from apipack.openapi.model import ApiSpec, Endpoint
from apipack.snippets import build_hars, render
from apipack.snippets.endpoint import path_context
from apipack.verify.cases import Case, make_cases
from apipack.verify.echo import EchoServer
from apipack.verify.expect import compare, expected_from_har
from apipack.verify.runners import RUNNERS, STATIC_TARGETS
from apipack.verify.runners.base import CaseRun, MissingToolchainError, Runner, run_batch
from apipack.verify.runners.swift import NOT_RUN_REASON, static_request

log = logging.getLogger(__name__)

Rendering = Literal["compat", "corrected"]
# A few corpus endpoints sample request bodies of megabytes (microsoft.com/graph.json); such a
# program is not what anybody runs, and one of them costs the C compiler minutes and gigabytes.
MAX_CODE_BYTES = 512 * 1024
BuildHars = Callable[[ApiSpec, str, str], list[dict[str, Any]]]
Render = Callable[[dict[str, Any], str, bool, Case], str]


@dataclass(slots=True)
class CaseResult:
    case_id: str
    api_id: str
    method: str
    path: str
    target: str
    rendering: Rendering
    run: str  # ok | error | timeout | compile_error | render_error | not_run | static
    sent_expected: bool
    mismatches: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    message: str = ""


@dataclass(slots=True)
class TargetSummary:
    target: str
    rendering: Rendering
    cases: int = 0
    ran: int = 0  # the program ran to the end of the call
    sent_expected: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    not_run_reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "rendering": self.rendering, "cases": self.cases, "ran": self.ran,
                "sent_expected": self.sent_expected, "classes": dict(self.classes.most_common()),
                "not_run_reason": self.not_run_reason}


@dataclass(slots=True)
class VerifyReport:
    results: list[CaseResult]
    summaries: list[TargetSummary]

    def as_dict(self) -> dict[str, Any]:
        return {"summaries": [s.as_dict() for s in self.summaries], "cases": [asdict(r) for r in self.results]}


def render_case(har: dict[str, Any], target: str, corrected: bool, case: Case) -> str:
    """The default renderer: compat as openapi-snippet, or corrected with the endpoint's context."""
    if not corrected:
        return render(har, target)
    context = path_context(case.spec, case.endpoint.method, case.endpoint.path)
    return render(har, target, corrected=True, context=context)


def verify(pairs: list[tuple[ApiSpec, Endpoint]], *, targets: Iterable[str], build_hars: BuildHars = build_hars,
           render: Render = render_case, renderings: Iterable[Rendering] = ("compat", "corrected"),
           case_timeout_s: float = 10.0, workdir: Path | None = None,
           progress: Callable[[str], None] | None = None, echo: EchoServer | None = None,
           runners: dict[str, type[Runner]] | None = None) -> VerifyReport:
    """Verify ``pairs`` in ``targets``; ``render(har, target, corrected, case)`` renders one call.

    ``echo``: a server already started by the caller (tests pass one that stalls on purpose);
    ``runners``: the runner classes by target (default: ``RUNNERS``).
    """
    results: list[CaseResult] = []
    summaries: list[TargetSummary] = []
    root = Path(workdir or tempfile.mkdtemp(prefix="apipack-verify-"))
    with contextlib.nullcontext(echo) if echo is not None else EchoServer() as echo:
        cases = make_cases(pairs, echo.base_url)
        hars = {c.case_id: _first_har(build_hars, c) for c in cases}
        for rendering in renderings:
            for target in targets:
                if progress:
                    progress(f"{rendering} {target}: {len(cases)} cases")
                echo.recorder.by_case.clear()
                summary = TargetSummary(target, rendering, cases=len(cases))
                summaries.append(summary)
                results.extend(_verify_target(target, rendering, cases, hars, render, echo, summary,
                                              root / rendering / target, case_timeout_s,
                                              (runners or RUNNERS).get(target)))
    return VerifyReport(results, summaries)


def _first_har(build_hars: BuildHars, case: Case) -> dict[str, Any] | str:
    try:
        hars = build_hars(case.spec, case.endpoint.method, case.endpoint.path)
    except ApipackError as exc:
        return f"HAR not built: {exc.message}"
    return hars[0] if hars else "HAR not built: no request"


def _verify_target(target: str, rendering: Rendering, cases: list[Case], hars: dict[str, Any],
                   render: Render, echo: EchoServer, summary: TargetSummary, workdir: Path,
                   case_timeout_s: float, runner_class: type[Runner] | None) -> list[CaseResult]:
    workdir.mkdir(parents=True, exist_ok=True)
    codes: dict[str, str] = {}
    out: dict[str, CaseResult] = {}
    for case in cases:
        har = hars[case.case_id]
        base = CaseResult(case.case_id, case.spec.api_id, case.endpoint.method, case.endpoint.path, target,
                          rendering, run="render_error", sent_expected=False)
        if isinstance(har, str):
            base.message = har
            out[case.case_id] = base
            continue
        try:
            code = render(har, target, rendering == "corrected", case)
        except ApipackError as exc:
            base.message = exc.message
            out[case.case_id] = base
            continue
        if len(code.encode()) > MAX_CODE_BYTES:
            base.run, base.message = "not_run", f"snippet over {MAX_CODE_BYTES // 1024} KiB (a sampled body); not run"
            out[case.case_id] = base
            continue
        codes[case.case_id] = code
    if target in STATIC_TARGETS:
        summary.not_run_reason = NOT_RUN_REASON
        for cid, code in codes.items():
            case = _by_id(cases, cid)
            comparison = compare(expected_from_har(hars[cid], case.endpoint), static_request(code), check_body=False)
            out[cid] = _result(case, target, rendering, "static", comparison)
        return _finish(cases, out, summary)
    if runner_class is None:
        raise ValueError(f"no runner for target {target!r}")
    runner = runner_class()
    try:
        runner.check_toolchain()
    except MissingToolchainError as exc:
        summary.not_run_reason = str(exc)
        for cid in codes:
            case = _by_id(cases, cid)
            out[cid] = CaseResult(cid, case.spec.api_id, case.endpoint.method, case.endpoint.path, target,
                                  rendering, run="not_run", sent_expected=False, message=str(exc))
        return _finish(cases, out, summary)
    for cid, code in codes.items():
        runner.write_case(workdir, cid, code)
    build = runner.build(workdir, list(codes))
    runnable = [cid for cid in codes if cid not in build.failed]
    runs: dict[str, CaseRun] = {cid: CaseRun("compile_error", msg) for cid, msg in build.failed.items()}
    if runnable:
        runs.update(run_batch(runner, workdir, runnable, case_timeout_s=case_timeout_s))
    for cid in codes:
        case = _by_id(cases, cid)
        run = runs.get(cid, CaseRun("error", "no result from the driver"))
        arrived = (echo.recorder.by_case.get(cid) or [None])[0]
        comparison = compare(expected_from_har(hars[cid], case.endpoint), arrived)
        result = _result(case, target, rendering, run.status, comparison)
        result.message = run.message
        out[cid] = result
    return _finish(cases, out, summary)


def _result(case: Case, target: str, rendering: Rendering, run: str, comparison: Any) -> CaseResult:
    return CaseResult(case.case_id, case.spec.api_id, case.endpoint.method, case.endpoint.path, target,
                      rendering, run=run, sent_expected=comparison.ok, mismatches=list(comparison.mismatches),
                      details=comparison.details[:5])


def _finish(cases: list[Case], out: dict[str, CaseResult], summary: TargetSummary) -> list[CaseResult]:
    ordered = [out[c.case_id] for c in cases if c.case_id in out]
    for r in ordered:
        summary.ran += r.run in ("ok", "static")
        summary.sent_expected += r.sent_expected
        if r.run not in ("ok", "static"):
            summary.classes[f"run:{r.run}"] += 1
        for kind in r.mismatches:
            summary.classes[kind] += 1
    return ordered


def _by_id(cases: list[Case], cid: str) -> Case:
    return cases[int(cid[1:])]
