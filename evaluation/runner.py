"""Run a generation backend over a test set and score every case.

The runner gets what it needs as arguments (a ``GenerationBackend``, a way to read an API's
spec); ``apipack eval run`` composes them. Per case: the request (API named or not) goes to the
backend; its call is put into the records' output layout (``**domain**`` / ``**api_call**`` /
``**api_provider**`` / ``**lang**``), exactly as the reference ``output`` is, and the paper's
metric compares the two; the strict metrics read the endpoint the call targets through the spec
check of generation. Grounded cases run in one thread (they are CPU-bound); an LLM server's
cases run concurrently (``concurrency``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from apipack.errors import ApipackError, BackendError, EvaluationAbortedError, NotFoundError
from apipack.openapi.model import ApiSpec, Endpoint
from apipack.snippets.targets_table import resolve_target
from evaluation.metric import PaperScore, score_outputs
from evaluation.report import RunReport
from evaluation.strict import Answer, Expected, RequiredParam, StrictScore, score_strict
from evaluation.summary import ScoredCase, endpoint_confusion, summarize_groups
from evaluation.testsets import EvalCase
from generation.types import Generation, GenerationBackend, GenerationRequest

log = logging.getLogger(__name__)


class SpecSource(Protocol):
    """Where the runner reads an API's spec: the loaded index (raises NotFoundError when unknown)."""

    def spec(self, api_id: str) -> ApiSpec: ...


# (spec, method, path, target, values=...) -> snippet; generation's renderer, passed in by the CLI
Renderer = Callable[..., str]
# (tags, call, provider, lang label) -> output text in the records' layout (apipack.dataset)
OutputFormatter = Callable[[Sequence[str], str, str, str], str]
# (code, language, spec) -> CheckResult; generation.check.check_code
Checker = Callable[[str, str, ApiSpec], Any]


@dataclass(slots=True)
class RunOptions:
    named: bool = True  # name the expected API in the request (the paper's setting)
    top_k: int = 3
    concurrency: int = 1  # parallel requests (LLM servers); grounded runs in one thread
    max_consecutive_errors: int = 5  # a backend that fails this many cases in a row aborts the run
    call_chars_cap: int | None = None  # NOT the paper's metric: compare only the calls' first N chars
    model_answer: bool = False  # LLM backends: score the model's own call even when the check refused it


@dataclass(slots=True)
class CaseResult:
    case: EvalCase
    generation: Generation | None
    got_output: str
    expected_output: str
    paper: PaperScore
    strict: StrictScore
    error: str | None = None
    seconds: float = 0.0
    scored: ScoredCase = field(init=False)

    def __post_init__(self) -> None:
        g = self.generation
        confusion = None
        if g is not None and g.status == "ok" and not self.strict.endpoint_exact:
            confusion = endpoint_confusion(self.case.method, self.case.path, g.method, g.path)
        self.scored = ScoredCase(self.case.lang, self.case.level, self.paper, self.strict, confusion)

    def to_json(self) -> dict[str, Any]:
        c, g = self.case, self.generation
        return {
            "id": c.case_id, "set": c.set_name, "level": c.level, "lang": c.lang, "query": c.query,
            "api_named": c.api if c.api else None,
            "expected": {"api": c.api, "method": c.method, "path": c.path, "values": c.values,
                         "also_correct": list(c.also_correct), "output": self.expected_output},
            "got": {"status": g.status if g else "error", "api": g.api_id if g else None,
                    "method": g.method if g else None, "path": g.path if g else None,
                    "check": (g.check.status if g and g.check else None),
                    "flagged": bool(g and g.flagged), "output": self.got_output, "error": self.error},
            "scores": {**asdict(self.paper), "correct": self.paper.correct, **asdict(self.strict)},
            "failure_kind": self.scored.failure_kind,
            "seconds": round(self.seconds, 4),
        }


class Evaluator:
    """Scores cases for one backend; reuses one spec cache across the run."""

    def __init__(self, backend: GenerationBackend, specs: SpecSource, render: Renderer,
                 format_output: OutputFormatter, check: Checker | None = None,
                 options: RunOptions | None = None) -> None:
        self.backend = backend
        self.specs = specs
        self.render = render
        self.format_output = format_output
        self.check = check
        self.options = options or RunOptions()
        self._spec_cache: dict[str, ApiSpec | None] = {}

    # --- specs ---------------------------------------------------------------------------------
    def spec(self, api_id: str | None) -> ApiSpec | None:
        if not api_id:
            return None
        if api_id not in self._spec_cache:
            try:
                self._spec_cache[api_id] = self.specs.spec(api_id)
            except NotFoundError:  # an API the index does not hold (e.g. a test set for other specs)
                self._spec_cache[api_id] = None
        return self._spec_cache[api_id]

    def _endpoint(self, api_id: str | None, method: str | None, path: str | None) -> Endpoint | None:
        spec = self.spec(api_id)
        if spec is None or not path:
            return None
        if method:
            return spec.endpoint(method, path)
        return next((ep for ep in spec.endpoints if ep.path == path), None)

    def _output(self, api_id: str | None, method: str | None, path: str | None, code: str, lang: str) -> str:
        spec = self.spec(api_id)
        ep = self._endpoint(api_id, method, path)
        return self.format_output(list(ep.tags) if ep else [], code, spec.provider if spec else "",
                                  resolve_target(lang).lang)

    def expected_output(self, case: EvalCase) -> str:
        if case.expected_output is not None:
            return case.expected_output
        spec = self.spec(case.api)
        if spec is None or not case.method or not case.path:
            raise ApipackError(f"case {case.case_id}: API {case.api!r} is not in the index; "
                               "evaluate with an index built over the specs the test set names")
        # the reference carries the values the request names (portal_dev's ``values``), as a right
        # answer would
        code = self.render(spec, case.method, case.path, resolve_target(case.lang).target_id,
                           values=dict(case.values) or None)
        return self._output(case.api, case.method, case.path, code, case.lang)

    # --- one case ------------------------------------------------------------------------------
    def _request(self, case: EvalCase) -> GenerationRequest:
        return GenerationRequest(instruction=case.query, language=case.lang,
                                 api=case.api if self.options.named else None, top_k=self.options.top_k,
                                 backend=getattr(self.backend, "name", None))

    def _judged(self, gen: Generation) -> tuple[str, str | None, str | None]:
        """The call that is scored, and the endpoint (method, template) it targets.

        By default that is the call shown to the user (for a flagged LLM answer: the grounded
        call); with ``model_answer`` it is the model's own call, mapped by the spec check.
        """
        if self.options.model_answer and gen.flagged and gen.model_code is not None:
            check = gen.check
            return gen.model_code, check.method if check else None, check.matched_path if check else None
        return gen.code, gen.method, gen.path

    def _answer(self, case: EvalCase, gen: Generation, code: str, method: str | None, path: str | None) -> Answer:
        check = gen.check
        if check is None and self.check is not None:
            spec = self.spec(gen.api_id)
            check = self.check(code, case.lang, spec) if spec is not None else None
        if check is not None and (method is None or path is None):
            method, path = check.method, check.matched_path
        # the check of a flagged answer is the model's: a refused call counts as a hallucination
        # even though the user was shown the grounded call instead
        return Answer("ok", code, gen.api_id, method, path, check.status if check else None)

    def _expected(self, case: EvalCase) -> Expected:
        ep = self._endpoint(case.api, case.method, case.path)
        required: list[RequiredParam] = []
        if ep is not None:
            required = [RequiredParam(p.name, p.location) for p in ep.required_parameters()]
            if ep.request_body is not None:
                required += [RequiredParam(n, "body") for n in ep.request_body.required_properties]
        api = case.api if case.set_name != "apipack-file" else None  # released files name titles only
        return Expected(api_id=api, method=(case.method or ""), path=case.path or "",
                        also_correct=case.also_correct, required=tuple(required), values=dict(case.values))

    def run_case(self, case: EvalCase) -> CaseResult:
        started = time.perf_counter()
        expected_output = self.expected_output(case)
        gen: Generation | None = None
        error: str | None = None
        try:
            gen = self.backend.generate(self._request(case))
        except BackendError:
            raise
        except ApipackError as exc:  # e.g. an unknown API named: the case fails, the run goes on
            error = f"{exc.type}: {exc.message}"
        if gen is not None and gen.status == "ok" and gen.code:
            code, method, path = self._judged(gen)
            got = self._output(gen.api_id, method, path, code, case.lang)
            answer = self._answer(case, gen, code, method, path)
        else:
            got = self.format_output([], "", "", resolve_target(case.lang).lang)
            answer = Answer("no_match", "", None, None, None)
        paper = score_outputs(got, expected_output, case.lang, call_chars_cap=self.options.call_chars_cap)
        strict = score_strict(self._expected(case), answer)
        if case.set_name == "apipack-file" and answer.path is not None:
            strict = _path_only_exact(strict, answer, case)
        return CaseResult(case, gen, got, expected_output, paper, strict, error,
                          time.perf_counter() - started)

    # --- a whole set ---------------------------------------------------------------------------
    def run(self, cases: Sequence[EvalCase], progress: Callable[[int, int], None] | None = None
            ) -> list[CaseResult]:
        results: list[CaseResult] = []
        errors_in_row = 0

        def one(case: EvalCase) -> CaseResult:
            nonlocal errors_in_row
            try:
                res = self.run_case(case)
                errors_in_row = 0
                return res
            except BackendError as exc:
                errors_in_row += 1
                if errors_in_row >= self.options.max_consecutive_errors:
                    raise EvaluationAbortedError(f"backend failed {errors_in_row} cases in a row, last: "
                                            f"{exc.message}; check the server and rerun") from exc
                return self._failed(case, f"{exc.type}: {exc.message}")

        if self.options.concurrency <= 1:
            for i, case in enumerate(cases):
                results.append(one(case))
                if progress:
                    progress(i + 1, len(cases))
        else:
            with ThreadPoolExecutor(self.options.concurrency) as pool:
                for i, res in enumerate(pool.map(one, cases)):
                    results.append(res)
                    if progress:
                        progress(i + 1, len(cases))
        return results

    def _failed(self, case: EvalCase, error: str) -> CaseResult:
        expected_output = self.expected_output(case)
        got = self.format_output([], "", "", resolve_target(case.lang).lang)
        return CaseResult(case, None, got, expected_output, score_outputs(got, expected_output, case.lang),
                          score_strict(self._expected(case), Answer("no_match", "", None, None, None)), error)


def _path_only_exact(strict: StrictScore, answer: Answer, case: EvalCase) -> StrictScore:
    """API Pack's files carry no method or API id: endpoint exact compares the path template only."""
    from dataclasses import replace

    exact = answer.path == case.path
    return replace(strict, endpoint_exact=exact, api_correct=strict.answered)


def build_report(results: Sequence[CaseResult], meta: dict[str, Any]) -> RunReport:
    groups, overall = summarize_groups(r.scored for r in results)
    return RunReport(meta=meta, groups=groups, overall=overall, cases=[r.to_json() for r in results])
