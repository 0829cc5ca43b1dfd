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


@dataclass(slots=True)
class ScoredCase:
    lang: str
    level: str
    paper: PaperScore
    strict: StrictScore

    @property
    def failure_kind(self) -> str | None:
        return failure_kind(self.paper, self.strict)


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
