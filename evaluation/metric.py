"""The API Pack paper's metric, reproduced exactly (DESIGN.md, "The paper's metric").

For one case, the api_call is cut out of both output texts with the paper's regex; the API-call
match is ``SequenceMatcher(None, a, b).ratio() > 0.9``; the endpoint match cuts the URL out of both
calls with the target's regex (plus that target's extra rule) and applies the same threshold.
A case counts as correct (the paper's "API-call accuracy") when both match; endpoint accuracy is
reported too. Quirks of the original are kept on purpose, because the point is comparability:
an output without an api_call yields ``""`` (and ``"" vs ""`` has ratio 1.0), quotes stay in the
curl capture, only python's paths are unquoted besides curl's URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import unquote

from apipack.snippets.targets_table import resolve_target

THRESHOLD = 0.9
API_CALL_RE = re.compile(r"\**api_call\**:(.*?)\n\**api_provider\**", re.DOTALL)


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def call_similarity(a: str, b: str) -> float | None:
    """``similarity`` where it can matter, ``None`` where it provably cannot exceed the threshold.

    Calls can be megabytes long (example bodies of some specs) and ``ratio()`` is quadratic in the
    worst case, so two exact shortcuts come first: equal strings have ratio 1.0, and
    ``quick_ratio()`` is an upper bound of ``ratio()`` (same matcher, same junk heuristic), so
    when it is at most 0.9 the match is false whatever ``ratio()`` would say.
    """
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() <= THRESHOLD or matcher.quick_ratio() <= THRESHOLD:
        return None
    return matcher.ratio()


def extract_api_call(output: str) -> str:
    """The text between ``api_call**:`` and ``\\n**api_provider``; ``""`` when absent (as the paper)."""
    m = API_CALL_RE.search(output or "")
    return m.group(1) if m else ""


# --- per-target URL extraction -----------------------------------------------------------------
# Each extractor returns the parts that must all match (one URL, or python's host and path), or
# None when the call lacks them (the endpoint match is then false).
URLParts = tuple[str, ...] | None


def _one(pattern: str, transform: Callable[[str], str] | None = None) -> Callable[[str], URLParts]:
    compiled = re.compile(pattern)

    def extract(code: str) -> URLParts:
        m = compiled.search(code)
        if m is None:
            return None
        return (transform(m.group(1)) if transform else m.group(1),)

    return extract


_PY_HOST = re.compile(r'http\.client\.HTTP[S]?Connection\("([^"]+)"\)')
_PY_PATH = re.compile(r'conn\.request\("[GETPOSTPUTDELETE]*", "([^"]+)"')


def _python(code: str) -> URLParts:
    host, path = _PY_HOST.search(code), _PY_PATH.search(code)
    if host is None or path is None:
        return None
    # Paths are unquoted, hosts not; all parts lose trailing '.' and then trailing '/'.
    return (host.group(1).rstrip(".").rstrip("/"), unquote(path.group(1)).rstrip(".").rstrip("/"))


_GO_URL = re.compile(r'url\s*:=\s*"([^"]+)"')
_GO_REQUEST = re.compile(r'http\.NewRequest\("[A-Z]+",\s*url,')


def _go(code: str) -> URLParts:
    url = _GO_URL.search(code)
    if url is None or _GO_REQUEST.search(code) is None:
        return None
    return (url.group(1),)


URL_EXTRACTORS: dict[str, Callable[[str], URLParts]] = {
    "curl": _one(r"--url\s+(\S+)", unquote),
    "python": _python,
    "java": _one(r'\.url\("([^"]+)"\)'),
    "node": _one(r"url:\s*'([^']+)'"),
    "go": _go,
    "ruby": _one(r'URI\("([^"]+)"\)'),
    "php": _one(r'CURLOPT_URL\s*=>\s*"([^"]+)"'),
    "swift": _one(r'NSURL\(string:\s*"([^"]+)"\)'),
    "libcurl": _one(r'curl_easy_setopt\(\s*hnd,\s*CURLOPT_URL,\s*"([^"]+)"\s*\)'),
    "javascript": _one(r'xhr\.open\("[A-Z]+",\s*"([^"]+)"'),
}


def extract_url(call: str, target: str) -> URLParts:
    return URL_EXTRACTORS[resolve_target(target).short](call)


def endpoint_match(call_a: str, call_b: str, target: str) -> bool:
    """The paper's endpoint match between two api_call texts (not whole outputs)."""
    a, b = extract_url(call_a, target), extract_url(call_b, target)
    if a is None or b is None:
        return False
    return all(similarity(x, y) > THRESHOLD for x, y in zip(a, b, strict=True))


@dataclass(frozen=True, slots=True)
class PaperScore:
    call_similarity: float | None  # None: at most 0.9 for sure, not computed (see call_similarity)
    call_match: bool  # similarity > 0.9
    endpoint_match: bool
    got_url: str | None  # what the target's regex cut out ("host path" for python), for reports
    expected_url: str | None

    @property
    def correct(self) -> bool:
        """The paper's accuracy counts a case when the call AND the endpoint match."""
        return self.call_match and self.endpoint_match


def score_outputs(got_output: str, expected_output: str, target: str, *,
                  call_chars_cap: int | None = None) -> PaperScore:
    """Score one case from the two output texts (``**domain**:...\\n**api_call**:...``).

    ``call_chars_cap`` (off by default, NOT the paper's metric): compare only the first N
    characters of both calls, for test sets whose megabyte-long calls make ``ratio()`` take
    minutes a case; a run that uses it says so in its report.
    """
    a, b = extract_api_call(got_output), extract_api_call(expected_output)
    sim = call_similarity(a[:call_chars_cap], b[:call_chars_cap]) if call_chars_cap else call_similarity(a, b)
    ua, ub = extract_url(a, target), extract_url(b, target)
    ep = ua is not None and ub is not None and all(
        similarity(x, y) > THRESHOLD for x, y in zip(ua, ub, strict=True))
    return PaperScore(call_similarity=sim, call_match=sim is not None and sim > THRESHOLD, endpoint_match=ep,
                      got_url=" ".join(ua) if ua else None, expected_url=" ".join(ub) if ub else None)


@dataclass(frozen=True, slots=True)
class PaperAccuracy:
    n: int
    accuracy: float  # call match AND endpoint match (the paper's "API-call accuracy")
    endpoint_accuracy: float
    call_match_rate: float  # call match alone (not in the paper's tables; useful to read failures)


def aggregate(scores: Iterable[PaperScore]) -> PaperAccuracy:
    """Micro-average over the cases, as the paper does (all cases pooled, not per API)."""
    items = list(scores)
    n = len(items)
    if n == 0:
        return PaperAccuracy(0, 0.0, 0.0, 0.0)
    return PaperAccuracy(
        n=n,
        accuracy=sum(s.correct for s in items) / n,
        endpoint_accuracy=sum(s.endpoint_match for s in items) / n,
        call_match_rate=sum(s.call_match for s in items) / n,
    )
