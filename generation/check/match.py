"""Matching an extracted call against an API's endpoints (``routes.routes_for``): server and path
template, then method, then required parameters."""

from __future__ import annotations

from dataclasses import dataclass

from apipack.openapi.model import ApiSpec, Endpoint
from generation.check.call import ExtractedCall
from generation.check.routes import Route, Url, readings, routes_for
from generation.types import CheckResult

_SAMPLED_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(slots=True)
class _Candidate:
    endpoint: Endpoint
    literal_chars: int  # more literal characters = more specific template


def _candidates(routes: tuple[Route, ...], url: Url, call: ExtractedCall, *,
                loose: bool) -> tuple[list[_Candidate], bool]:
    """Routes that fit the URL; the flag says a path fitted under another host only."""
    found: list[_Candidate] = []
    other_host = False
    for route in routes:
        fits, elsewhere = route.matches(url, loose=loose)
        if fits:
            # a path key with a query ("/request?view=collection") needs that query in the call
            if route.query_keys and not route.query_keys <= call.query_keys:
                continue
            found.append(_Candidate(route.endpoint, route.literal_chars))
        other_host = other_host or elsewhere
    return found, other_host and not found


def match_call(call: ExtractedCall, spec: ApiSpec) -> CheckResult:
    """Check one extracted call against the spec's endpoints."""
    if not call.url:
        return CheckResult("unparseable", method=call.method, problems=["no URL found in the code"])
    method = (call.method or "GET").upper()
    routes = routes_for(spec)
    options = readings(call.url)
    url = options[0]
    candidates: list[_Candidate] = []
    other_host = False
    for reading in options:
        candidates, elsewhere = _candidates(routes, reading, call, loose=False)
        other_host = other_host or elsewhere
        if candidates:
            url = reading
            break
    if not candidates:
        candidates, _ = _candidates(routes, url, call, loose=True)
        if candidates:  # a loose match: only the most specific templates count
            most = max(c.literal_chars for c in candidates)
            candidates = [c for c in candidates if c.literal_chars == most]
    if not candidates:
        problem = (f"{url.path} exists in {spec.api_id} but not on host {url.host}" if other_host
                   else f"no endpoint of {spec.api_id} matches {url.path}")
        return CheckResult("unknown_endpoint", method=method, url=call.url, problems=[problem])
    same_method = [c for c in candidates if c.endpoint.method == method]
    if not same_method:
        allowed = sorted({c.endpoint.method for c in candidates})
        return CheckResult("wrong_method", method=method, url=call.url,
                           matched_path=candidates[0].endpoint.path,
                           problems=[f"{method} is not defined for this path; the spec has {', '.join(allowed)}"])
    # Several templates can fit: the most specific one ("/users/me" over "/users/{id}") is judged;
    # among equally specific ones (AWS paths that differ only in the "#fragment" some targets
    # drop) the one the call satisfies best.
    judged = sorted(((-c.literal_chars, len(_missing_required(call, c.endpoint)), c.endpoint)
                     for c in same_method), key=lambda t: (t[0], t[1]))
    _, _, best = judged[0]
    problems = _missing_required(call, best)
    status = "missing_required_parameter" if problems else "valid"
    return CheckResult(status, method=method, url=call.url, matched_path=best.path, problems=problems)


def _missing_required(call: ExtractedCall, endpoint: Endpoint) -> list[str]:
    problems: list[str] = []
    for param in endpoint.parameters:
        if param.required and param.location == "query" and param.name not in call.query_keys:
            problems.append(f"required query parameter {param.name!r} is missing")
    body = endpoint.request_body
    if body is None:
        return problems
    declared = set(body.properties)
    # openapi-snippet sends a body only for these media types, and only when the schema samples
    # to something; an absent body is flagged only when there was something to send.
    if body.required and not call.has_body and declared and body.content_type in _SAMPLED_TYPES:
        problems.append("the endpoint requires a request body and the call sends none")
    elif call.has_body and call.body_keys:
        # Only judged when keys could be read: a body given as a variable or file is not flagged.
        # Required names missing from ``properties`` (a spec defect) and read-only ones are skipped.
        read_only = {name for name, prop in (body.schema.get("properties") or {}).items()
                     if isinstance(prop, dict) and prop.get("readOnly")}
        # A schema-level example is what openapi-sampler sends, even where it omits required names.
        example = body.schema.get("example")
        shown = set(example) if isinstance(example, dict) else None
        for name in body.required_properties:
            if shown is not None and name not in shown:
                continue
            if name in declared and name not in read_only and name not in call.body_keys:
                problems.append(f"required body property {name!r} is missing")
    return problems
