"""Scored cases -> per-group summaries, and the kind of each failure.

A case's scores are the paper's (``metric.PaperScore``) and the strict ones
(``strict.StrictScore``). Failure kinds name what went wrong in words a reader can act on; they
are assigned from the scores alone, so they mean the same for every backend.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from evaluation.metric import PaperScore, aggregate
from evaluation.report import GroupSummary
from evaluation.strict import StrictScore, aggregate_strict

FAILURE_KINDS = {
    "no_match": "the backend answered no_match (nothing retrieved above its threshold)",
    "wrong_api": "the answer calls another API than the expected one (or its duplicates)",
    "wrong_endpoint": "right API, other endpoint (method or path template differ)",
    "hallucinated_endpoint": "the call targets an endpoint its API does not have",
    "call_text_differs": "right endpoint, but the call text differs from the reference by > 10%",
    "url_differs": "right endpoint, but the URL regex of the paper finds a different URL",
    "fuzzy_pass_wrong_endpoint": "counted right by the paper's metric, yet the endpoint is not exact",
}


# how a wrong endpoint of the right API relates to the expected one (suffix of the failure kind)
CONFUSIONS = {
    "same path, other method": "e.g. GET vs POST on /flight-offers: the request does not say which",
    "parent/child path": "one template extends the other (collection vs item, nested resource)",
    "sibling path": "same length, one segment differs (e.g. /invoice/details vs /product/details)",
    "unrelated path": "anything else",
}


def _static(path: str) -> list[str]:
    return [seg for seg in path.strip("/").split("/") if seg]


def endpoint_confusion(exp_method: str | None, exp_path: str | None, got_method: str | None,
                       got_path: str | None) -> str:
    """Which of ``CONFUSIONS`` a wrong endpoint is."""
    if not exp_path or not got_path:
        return "unrelated path"
    if exp_path == got_path:
        return "same path, other method"
    a, b = _static(exp_path), _static(got_path)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_[:len(short)] == short:
        return "parent/child path"
    if len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return "sibling path"
    return "unrelated path"


@dataclass(slots=True)
class ScoredCase:
    lang: str
    level: str
    paper: PaperScore
    strict: StrictScore
    confusion: str | None = None  # for a wrong endpoint of the right API: endpoint_confusion(...)

    @property
    def failure_kind(self) -> str | None:
        kind = failure_kind(self.paper, self.strict)
        if kind in ("wrong_endpoint", "fuzzy_pass_wrong_endpoint") and self.strict.api_correct and self.confusion:
            return f"{kind} ({self.confusion})"
        return kind


def failure_kind(paper: PaperScore, strict: StrictScore) -> str | None:
    """None when the case is right by both the paper's metric and endpoint exactness."""
    if paper.correct and strict.endpoint_exact:
        return None
    if not strict.answered:
        return "no_match"
    if strict.hallucinated:
        return "hallucinated_endpoint"
    if not strict.api_correct:
        return "wrong_api" if not paper.correct else "fuzzy_pass_wrong_endpoint"
    if not strict.endpoint_exact:
        return "wrong_endpoint" if not paper.correct else "fuzzy_pass_wrong_endpoint"
    if not paper.endpoint_match:
        return "url_differs"
    return "call_text_differs"


def summarize(cases: Iterable[ScoredCase], lang: str, level: str) -> GroupSummary:
    items = list(cases)
    p = aggregate(c.paper for c in items)
    s = aggregate_strict(c.strict for c in items)
    kinds = Counter(k for c in items if (k := c.failure_kind) is not None)
    return GroupSummary(
        lang=lang, level=level, n=p.n, accuracy=p.accuracy, endpoint_accuracy=p.endpoint_accuracy,
        call_match_rate=p.call_match_rate, endpoint_exact=s.endpoint_exact, api_accuracy=s.api_accuracy,
        hallucination_rate=s.hallucination_rate, answered_rate=s.answered_rate,
        required_recall=s.required_recall, value_accuracy=s.value_accuracy, n_values=s.n_values,
        failure_kinds=dict(kinds),
    )


def summarize_groups(cases: Iterable[ScoredCase]) -> tuple[list[GroupSummary], GroupSummary]:
    """One summary per (language, level), plus the overall one (all cases pooled)."""
    items = list(cases)
    groups: dict[tuple[str, str], list[ScoredCase]] = defaultdict(list)
    for c in items:
        groups[(c.lang, c.level)].append(c)
    out = [summarize(v, lang, level) for (lang, level), v in sorted(groups.items())]
    return out, summarize(items, "all", "all")
