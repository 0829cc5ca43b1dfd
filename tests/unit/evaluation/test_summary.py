"""Failure kinds and per-group summaries."""

from __future__ import annotations

from evaluation.metric import PaperScore
from evaluation.strict import StrictScore
from evaluation.summary import FAILURE_KINDS, ScoredCase, endpoint_confusion, failure_kind, summarize_groups


def paper(call: bool = True, ep: bool = True) -> PaperScore:
    return PaperScore(0.95 if call else 0.5, call, ep, "u", "u")


def strict(answered: bool = True, api: bool = True, exact: bool = True, halluc: bool = False) -> StrictScore:
    return StrictScore(answered=answered, api_correct=api, endpoint_exact=exact, hallucinated=halluc,
                       required_recall=None, value_accuracy=None)


def test_failure_kinds() -> None:
    assert failure_kind(paper(), strict()) is None
    assert failure_kind(paper(False, False), strict(answered=False, api=False, exact=False)) == "no_match"
    assert failure_kind(paper(False, False), strict(halluc=True, exact=False)) == "hallucinated_endpoint"
    assert failure_kind(paper(False, False), strict(api=False, exact=False)) == "wrong_api"
    assert failure_kind(paper(False, True), strict(exact=False)) == "wrong_endpoint"
    assert failure_kind(paper(), strict(exact=False)) == "fuzzy_pass_wrong_endpoint"
    assert failure_kind(paper(True, False), strict()) == "url_differs"
    assert failure_kind(paper(False, True), strict()) == "call_text_differs"
    for kind in ("no_match", "wrong_api", "wrong_endpoint", "call_text_differs", "url_differs"):
        assert kind in FAILURE_KINDS


def test_summarize_groups() -> None:
    cases = [ScoredCase("python", "L1", paper(), strict()),
             ScoredCase("python", "L1", paper(False, True), strict(exact=False)),
             ScoredCase("curl", "L2", paper(), strict())]
    groups, overall = summarize_groups(cases)
    by = {(g.lang, g.level): g for g in groups}
    assert by[("python", "L1")].n == 2 and by[("python", "L1")].accuracy == 0.5
    assert by[("python", "L1")].endpoint_accuracy == 1.0
    assert by[("python", "L1")].failure_kinds == {"wrong_endpoint": 1}
    assert overall.n == 3 and overall.endpoint_exact == 2 / 3


def test_endpoint_confusion_kinds() -> None:
    assert endpoint_confusion("POST", "/a/b", "GET", "/a/b") == "same path, other method"
    assert endpoint_confusion("GET", "/pets/{id}/toys", "GET", "/pets/{id}") == "parent/child path"
    assert endpoint_confusion("GET", "/pets", "GET", "/pets/{id}") == "parent/child path"
    assert endpoint_confusion("GET", "/api/invoice/details", "GET", "/api/product/details") == "sibling path"
    assert endpoint_confusion("GET", "/a/b/c", "GET", "/x/y/c") == "unrelated path"
    assert endpoint_confusion("GET", "/api/invoice/all", "GET", "/api/invoice/details") == "sibling path"
    assert endpoint_confusion("GET", "/x", "GET", None) == "unrelated path"
    case = ScoredCase("go", "L1", paper(False, True), strict(exact=False), confusion="sibling path")
    assert case.failure_kind == "wrong_endpoint (sibling path)"
    assert ScoredCase("go", "L1", paper(False, False), strict(api=False, exact=False), "x").failure_kind == "wrong_api"
