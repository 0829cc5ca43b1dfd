"""Strict metrics: endpoint exact, hallucination, required-parameter recall, value accuracy."""

from __future__ import annotations

import pytest

from evaluation.strict import (
    Answer,
    Expected,
    RequiredParam,
    aggregate_strict,
    score_strict,
    value_occurs,
)

EXP = Expected(
    api_id="acme.io", method="GET", path="/orgs/{org}/members", also_correct=("acme.io/v2",),
    required=(RequiredParam("org", "path"), RequiredParam("X-Api-Version", "header"),
              RequiredParam("role", "query")),
    values={"org": "billing-prod 7", "role": "admin"},
)
CODE = ('curl --request GET \\\n  --url "https://api.acme.io/orgs/billing-prod%207/members?role=admin" \\\n'
        "  --header 'x-api-version: 2'")


def ans(**kw: object) -> Answer:
    base = dict(status="ok", code=CODE, api_id="acme.io", method="GET", path="/orgs/{org}/members",
                check_status="valid")
    base.update(kw)
    return Answer(**base)  # type: ignore[arg-type]


def test_all_right() -> None:
    s = score_strict(EXP, ans())
    assert s.answered and s.api_correct and s.endpoint_exact and not s.hallucinated
    assert s.required_recall == 1.0 and s.value_accuracy == 1.0
    assert s.n_values == 2


def test_also_correct_api_counts_other_api_does_not() -> None:
    assert score_strict(EXP, ans(api_id="acme.io/v2")).endpoint_exact
    s = score_strict(EXP, ans(api_id="other.io"))
    assert not s.api_correct and not s.endpoint_exact


@pytest.mark.parametrize("kw", [{"method": "POST"}, {"path": "/orgs/{org}"}, {"path": None}])
def test_endpoint_exact_needs_method_and_template(kw: dict) -> None:
    assert not score_strict(EXP, ans(**kw)).endpoint_exact


def test_hallucination_from_check_status() -> None:
    assert score_strict(EXP, ans(check_status="unknown_endpoint", path=None)).hallucinated
    assert score_strict(EXP, ans(check_status="wrong_method")).hallucinated
    assert not score_strict(EXP, ans(check_status="missing_required_parameter")).hallucinated
    assert not score_strict(EXP, ans(check_status=None)).hallucinated


def test_no_match_scores_nothing() -> None:
    s = score_strict(EXP, ans(status="no_match", code="", api_id=None, method=None, path=None, check_status=None))
    assert not s.answered and not s.endpoint_exact and not s.hallucinated
    assert s.required_recall == 0.0 and s.value_accuracy == 0.0
    assert set(s.values_missing) == {"org", "role"}


def test_required_recall_counts_each_kind() -> None:
    # header missing, query missing; path present through the template
    s = score_strict(EXP, ans(code='curl --url "https://api.acme.io/orgs/x/members"'))
    assert s.required_recall == pytest.approx(1 / 3)
    assert set(s.required_missing) == {"X-Api-Version", "role"}
    # a path parameter is missing when the matched template lacks it
    s2 = score_strict(EXP, ans(path="/orgs/members"))
    assert "org" in s2.required_missing
    # body property as a JSON key
    exp = Expected(api_id="a", method="POST", path="/p", required=(RequiredParam("email", "body"),))
    assert score_strict(exp, ans(api_id="a", method="POST", path="/p", code='{"email": "x"}')).required_recall == 1.0
    assert score_strict(exp, ans(api_id="a", method="POST", path="/p", code='{"emails": "x"}')).required_recall == 0.0
    assert score_strict(Expected(api_id="a", method="GET", path="/p"), ans()).required_recall is None


def test_value_occurs_encodings() -> None:
    assert value_occurs("billing-prod 7", "billing-prod%207")
    assert value_occurs("a b", "q=a+b")
    assert value_occurs('say "hi"', '{"text": "say \\"hi\\""}')
    assert value_occurs("West US", "West US")
    assert not value_occurs("West US", "WestUS")
    assert not value_occurs("", "anything")


def test_value_accuracy_partial_and_aggregate() -> None:
    s = score_strict(EXP, ans(code=CODE.replace("admin", "owner")))
    assert s.value_accuracy == 0.5 and s.values_missing == ("role",)
    no_values = score_strict(Expected(api_id="acme.io", method="GET", path="/orgs/{org}/members"), ans())
    assert no_values.value_accuracy is None
    bad = score_strict(EXP, ans(api_id="zzz", check_status="unknown_endpoint", path=None))
    agg = aggregate_strict([score_strict(EXP, ans()), s, no_values, bad])
    assert agg.n == 4
    assert agg.endpoint_exact == 0.75
    assert agg.api_accuracy == 0.75
    assert agg.hallucination_rate == 0.25
    # 6 values named: 2 + 1 + 2 (bad still carries the code with both values) right of 6
    assert agg.n_values == 6 and agg.value_accuracy == pytest.approx(5 / 6)
    assert aggregate_strict([]).n == 0
