"""Stricter metrics than the paper's fuzzy match: what a developer would call "right".

- endpoint exact: the answer's API (or an ``also_correct`` duplicate of it), method and path
  template equal the expected ones. For an LLM's answer, method and template come from the spec
  check of generation (``generation.check``), which maps the call's URL onto the spec's paths.
- hallucination: the answer is a call, but to an endpoint (method + path) its API does not have.
- required-parameter recall: of the expected endpoint's required parameters, the share the call
  carries (path ones through the matched template, the others by name in the code).
- value accuracy: of the values the request names (portal_dev's ``values``), the share that occur
  in the call as written, percent-encoded or JSON-escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

# generation's CheckStatus values that mean "the API has no such endpoint"
HALLUCINATION_STATUSES = frozenset({"unknown_endpoint", "wrong_method"})


@dataclass(frozen=True, slots=True)
class RequiredParam:
    name: str
    location: str  # path | query | header | cookie | formData | body


@dataclass(frozen=True, slots=True)
class Expected:
    api_id: str | None
    method: str
    path: str
    also_correct: tuple[str, ...] = ()
    required: tuple[RequiredParam, ...] = ()
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a backend answered, reduced to what the strict metrics look at."""

    status: str  # "ok" | "no_match"
    code: str
    api_id: str | None
    method: str | None
    path: str | None  # the matched path template (None when the call matches none)
    check_status: str | None = None  # generation's CheckStatus of the judged call; None: not checked


@dataclass(frozen=True, slots=True)
class StrictScore:
    answered: bool
    api_correct: bool
    endpoint_exact: bool
    hallucinated: bool
    required_recall: float | None  # None when the endpoint has no required parameter
    value_accuracy: float | None  # None when the request names no value
    values_missing: tuple[str, ...] = ()
    required_missing: tuple[str, ...] = ()
    n_values: int = 0


def value_occurs(value: str, code: str) -> bool:
    """A named value counts as filled when the call carries it in one of the usual encodings."""
    text = str(value)
    if not text:
        return False
    forms = {text, quote(text, safe=""), quote(text, safe="/:@"), quote_plus(text),
             json.dumps(text)[1:-1]}
    return any(f in code for f in forms)


def _param_present(param: RequiredParam, answer: Answer) -> bool:
    if param.location == "path":
        return answer.path is not None and "{" + param.name + "}" in answer.path
    if param.location == "header":
        return param.name.lower() in answer.code.lower()
    # query / body / form: the name appears as a key (quoted, or followed by '=' / ':')
    name = re.escape(param.name)
    return re.search(rf"(?:[\"'\\]{name}[\"'\\]|[?&]{name}=|\b{name}\s*[=:])", answer.code) is not None


def score_strict(expected: Expected, answer: Answer) -> StrictScore:
    answered = answer.status == "ok" and bool(answer.code)
    apis = {expected.api_id, *expected.also_correct} - {None}
    api_ok = answered and (not apis or answer.api_id in apis)
    exact = (api_ok and answer.method is not None and answer.method.upper() == expected.method.upper()
             and answer.path == expected.path)
    hallucinated = answered and answer.check_status in HALLUCINATION_STATUSES
    req_missing: tuple[str, ...] = ()
    recall: float | None = None
    if expected.required:
        present = [p for p in expected.required if answered and _param_present(p, answer)]
        recall = len(present) / len(expected.required)
        req_missing = tuple(p.name for p in expected.required if p not in present)
    values_missing: tuple[str, ...] = ()
    value_acc: float | None = None
    if expected.values:
        values_missing = tuple(k for k, v in expected.values.items()
                               if not (answered and value_occurs(v, answer.code)))
        value_acc = 1 - len(values_missing) / len(expected.values)
    return StrictScore(answered=answered, api_correct=api_ok, endpoint_exact=exact,
                       hallucinated=hallucinated, required_recall=recall, value_accuracy=value_acc,
                       values_missing=values_missing, required_missing=req_missing,
                       n_values=len(expected.values))


@dataclass(frozen=True, slots=True)
class StrictAccuracy:
    n: int
    answered_rate: float
    api_accuracy: float
    endpoint_exact: float
    hallucination_rate: float  # over the answered cases
    required_recall: float | None  # mean over the cases whose endpoint has required parameters
    value_accuracy: float | None  # micro over all named values (cases weighted by their values)
    n_values: int


def aggregate_strict(scores: Iterable[StrictScore]) -> StrictAccuracy:
    """Pool the cases; value accuracy is micro-averaged over the named values."""
    items = list(scores)
    n = len(items)
    if n == 0:
        return StrictAccuracy(0, 0.0, 0.0, 0.0, 0.0, None, None, 0)
    answered = [s for s in items if s.answered]
    recalls = [s.required_recall for s in items if s.required_recall is not None]
    total_values = sum(s.n_values for s in items)
    right_values = sum(s.n_values - len(s.values_missing) for s in items)
    return StrictAccuracy(
        n=n,
        answered_rate=len(answered) / n,
        api_accuracy=sum(s.api_correct for s in items) / n,
        endpoint_exact=sum(s.endpoint_exact for s in items) / n,
        hallucination_rate=(sum(s.hallucinated for s in answered) / len(answered)) if answered else 0.0,
        required_recall=(sum(recalls) / len(recalls)) if recalls else None,
        value_accuracy=(right_values / total_values) if total_values else None,
        n_values=int(total_values),
    )
