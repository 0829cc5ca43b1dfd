"""The Evaluator's bookkeeping with a scripted backend (the real ones need an index; the
integration test runs them): output layout, strict answer, flagged LLM answers, no_match, errors."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from apipack.dataset.records import format_output
from apipack.errors import BackendUnavailableError, EvaluationAbortedError, UnknownApiError
from apipack.openapi.model import ApiSpec, Endpoint, Parameter
from evaluation.runner import Evaluator, RunOptions, build_report
from evaluation.testsets import EvalCase
from generation.types import CheckResult, Generation, GenerationRequest

EPS = [Endpoint("acme.io", "GET", "/pets/{petId}", "getPet", tags=("pets",),
                parameters=(Parameter("petId", "path", required=True),)),
       Endpoint("acme.io", "POST", "/pets", "addPet", tags=("pets",))]
SPEC = ApiSpec("acme.io", "Acme", "pets", "acme", "acme.io.json", "h", {}, EPS)


class Specs:
    def spec(self, api_id: str) -> ApiSpec:
        if api_id in ("acme.io", "Acme"):
            return SPEC
        raise UnknownApiError(f"unknown API {api_id!r}")


def render(spec: ApiSpec, method: str, path: str, target: str, values: dict | None = None) -> str:
    return f"curl --request {method} \\\n  --url https://api.acme.io{path}"


@dataclass
class ScriptedBackend:
    """A GenerationBackend that answers from a script keyed by the query."""

    answers: dict[str, object]
    name: str = "scripted"
    seen: list[GenerationRequest] = field(default_factory=list)

    def generate(self, request: GenerationRequest) -> Generation:
        self.seen.append(request)
        a = self.answers[request.instruction]
        if isinstance(a, Exception):
            raise a
        return a  # type: ignore[return-value]


def gen(method: str | None, path: str | None, *, status: str = "ok", code: str | None = None, **kw: object) -> Generation:
    code = code if code is not None else (render(SPEC, method, path, "curl") if method and path else "")
    return Generation(status=status, code=code, language="curl", api_id="acme.io" if status == "ok" else None,
                      api_title="Acme", method=method, path=path, operation_id=None, summary=None,
                      backend="scripted", **kw)  # type: ignore[arg-type]


def case(query: str, method: str = "GET", path: str = "/pets/{petId}", **kw: object) -> EvalCase:
    base = dict(case_id=query, set_name="portal", level="portal", lang="curl", query=query, api="acme.io",
                api_title="Acme", method=method, path=path)
    base.update(kw)
    return EvalCase(**base)  # type: ignore[arg-type]


def evaluator(answers: dict[str, object], **opts: object) -> tuple[Evaluator, ScriptedBackend]:
    backend = ScriptedBackend(answers)
    return Evaluator(backend, Specs(), render, format_output, None, RunOptions(**opts)), backend  # type: ignore[arg-type]


def test_right_answer_and_reference_rendered_from_spec() -> None:
    ev, backend = evaluator({"get pet": gen("GET", "/pets/{petId}")})
    [res] = ev.run([case("get pet")])
    assert res.expected_output == format_output(["pets"], render(SPEC, "GET", "/pets/{petId}", "curl"), "acme", "cURL")
    assert res.got_output == res.expected_output
    assert res.paper.correct and res.strict.endpoint_exact and res.strict.required_recall == 1.0
    assert backend.seen[0].api == "acme.io" and backend.seen[0].language == "curl"
    j = res.to_json()
    assert j["failure_kind"] is None and j["got"]["method"] == "GET" and j["scores"]["correct"]


def test_not_named_and_wrong_endpoint() -> None:
    ev, backend = evaluator({"get pet": gen("POST", "/pets")}, named=False)
    [res] = ev.run([case("get pet")])
    assert backend.seen[0].api is None
    assert not res.strict.endpoint_exact
    assert res.scored.failure_kind == "wrong_endpoint (parent/child path)"
    assert res.to_json()["failure_kind"] == res.scored.failure_kind


def test_no_match_and_case_error() -> None:
    ev, _ = evaluator({"q1": gen(None, None, status="no_match"), "q2": UnknownApiError("unknown API 'x'")})
    r1, r2 = ev.run([case("q1"), case("q2")])
    assert r1.scored.failure_kind == "no_match" and not r1.paper.correct
    assert r2.error and "unknown_api" in r2.error and r2.scored.failure_kind == "no_match"


def test_flagged_llm_answer_shown_vs_model_answer() -> None:
    check = CheckResult("unknown_endpoint", method="GET", url="https://api.acme.io/dogs/1", matched_path=None)
    flagged = gen("GET", "/pets/{petId}", flagged=True, check=check,
                  model_code="curl --request GET \\\n  --url https://api.acme.io/dogs/1")
    ev, _ = evaluator({"q": flagged})
    [shown] = ev.run([case("q")])
    assert shown.strict.endpoint_exact and shown.strict.hallucinated  # grounded call shown; the model's counted
    ev2, _ = evaluator({"q": flagged}, model_answer=True)
    [model] = ev2.run([case("q")])
    assert not model.strict.endpoint_exact and model.strict.hallucinated
    assert "dogs" in model.got_output


def test_backend_errors_abort_after_a_streak() -> None:
    down = BackendUnavailableError("connection refused")
    ev, _ = evaluator({f"q{i}": down for i in range(6)} | {"ok": gen("GET", "/pets/{petId}")},
                      max_consecutive_errors=3)
    results = ev.run([case("q0"), case("q1"), case("ok"), case("q2"), case("q3")][:3])
    assert [r.error is not None for r in results] == [True, True, False]
    with pytest.raises(EvaluationAbortedError, match="3 cases in a row"):
        ev.run([case(f"q{i}") for i in range(4)])


def test_unknown_api_reference_is_an_error() -> None:
    ev, _ = evaluator({})
    with pytest.raises(Exception, match="not in the index"):
        ev.run([case("q", api="other.io")])


def test_build_report_groups() -> None:
    ev, _ = evaluator({"a": gen("GET", "/pets/{petId}"), "b": gen("POST", "/pets")}, concurrency=2)
    results = ev.run([case("a"), case("b")])
    rep = build_report(results, {"set": "portal"})
    assert rep.overall is not None and rep.overall.n == 2 and rep.overall.endpoint_exact == 0.5
    assert [c["id"] for c in rep.cases] == ["a", "b"]
