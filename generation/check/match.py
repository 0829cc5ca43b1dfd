"""Matching an extracted call against an API's endpoints: base URLs (servers, with ``{variables}``)
and path templates (``{param}`` segments), then method and required parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from apipack.openapi.model import ApiSpec, Endpoint
from generation.check.call import ExtractedCall
from generation.types import CheckResult

_PLACEHOLDER_RE = re.compile(r"\{[^{}/]+\}")
_SLASHES_RE = re.compile(r"/{2,}")
_SAMPLED_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True, slots=True)
class _Url:
    host: str  # lower case, "" when the URL is relative
    path: str  # unquoted, duplicate and trailing slashes removed
    fragment: str


def _split_url(url: str) -> _Url:
    # Fragments matter: corpus specs key endpoints as "/{Bucket}#location" (AWS).
    url = url.strip().strip("'\"")
    if "://" not in url and not url.startswith("/"):
        url = "https://" + url
    parts = urlsplit(url)
    host = unquote(parts.netloc.rsplit("@", 1)[-1]).lower()
    host = re.sub(r":\d+$", "", host)
    path = _SLASHES_RE.sub("/", unquote(parts.path))
    # httpsnippet's URL parser stops a host at "{": "https://dlm.{region}.x.com/p" comes out as
    # "https://dlm./%7Bregion%7D.x.com/p"; put the variable back into the host.
    if parts.netloc and (not host or host.endswith((".", "-"))) and path.startswith("/{"):
        first, _, rest = path[1:].partition("/")
        host, path = host + first.lower(), "/" + rest
    path = path.rstrip("/") or "/"
    return _Url(host, path, unquote(parts.fragment))


@lru_cache(maxsize=8192)
def _template_regex(template: str, multi_segment: bool = False) -> re.Pattern[str]:
    """``/users/{id}`` -> a regex where each ``{param}`` is one non-empty segment piece (or, with
    ``multi_segment``, any text: example values such as "subscriptions/1/vms/vm1" hold slashes)."""
    out: list[str] = []
    pos = 0
    for m in _PLACEHOLDER_RE.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        # loose: a value with slashes must be concrete (no "{placeholder}" swallowed with it)
        out.append(r"(?:\{[^{}/]+\}|[^{}]+?)" if multi_segment else r"[^/]+")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out) + r"\Z", re.IGNORECASE)


def _host_matches(pattern: str, host: str) -> bool:
    if not pattern or not host:
        return True  # a relative server URL says nothing about the host
    return bool(_template_regex(pattern.lower()).match(host))


def _server_urls(spec: ApiSpec, endpoint: Endpoint) -> list[str]:
    """Every server URL the spec declares for the endpoint, first one as openapi-snippet uses it."""
    urls = [endpoint.base_url] if endpoint.base_url else []
    doc: dict[str, Any] = spec.doc or {}
    path_item = (doc.get("paths") or {}).get(endpoint.path) or {}
    operation = path_item.get(endpoint.method.lower()) or {}
    for holder in (operation, path_item, doc):
        for server in holder.get("servers") or [] if isinstance(holder, dict) else []:
            if isinstance(server, dict) and isinstance(server.get("url"), str):
                urls.append(server["url"])
    if not urls and doc.get("host"):
        urls.append(f"{(doc.get('schemes') or ['https'])[0]}://{doc['host']}{doc.get('basePath', '')}")
    return list(dict.fromkeys(urls)) or [""]


@dataclass(slots=True)
class _Candidate:
    endpoint: Endpoint
    literal_chars: int  # more literal characters = more specific template


def _path_candidates(spec: ApiSpec, url: _Url, multi_segment: bool = False) -> tuple[list[_Candidate], bool]:
    """Endpoints whose server + path template matches; the flag says a path matched under another host."""
    found: list[_Candidate] = []
    other_host = False
    for ep in spec.endpoints:
        template, _, t_fragment = ep.path.partition("#")
        t_fragment = t_fragment.split("?", 1)[0]
        template = template.split("?", 1)[0]
        if t_fragment and url.fragment and t_fragment != url.fragment:
            continue
        for server in _server_urls(spec, ep):
            base = _split_url(server) if server else _Url("", "", "")
            base_path = "" if base.path == "/" else base.path
            full = _SLASHES_RE.sub("/", base_path + "/" + template.lstrip("/")).rstrip("/") or "/"
            if not _template_regex(full, multi_segment).match(url.path):
                continue
            if _host_matches(base.host, url.host):
                found.append(_Candidate(ep, len(_PLACEHOLDER_RE.sub("", full))))
                break
            other_host = True
    return found, other_host and not found


def match_call(call: ExtractedCall, spec: ApiSpec) -> CheckResult:
    """Check one extracted call against the spec's endpoints."""
    if not call.url:
        return CheckResult("unparseable", method=call.method, problems=["no URL found in the code"])
    method = (call.method or "GET").upper()
    url = _split_url(call.url)
    candidates, other_host = _path_candidates(spec, url)
    if not candidates:
        candidates, other_host = _path_candidates(spec, url, multi_segment=True)
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
