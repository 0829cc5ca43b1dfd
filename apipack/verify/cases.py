"""Verification cases: an endpoint, its spec pointed at the echo server, and the HAR to render."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any

from apipack.openapi.model import ApiSpec, Endpoint


@dataclass(slots=True)
class Case:
    case_id: str  # c00000: a valid identifier in every target language
    spec: ApiSpec  # pointed at the echo server
    endpoint: Endpoint


def sample_endpoints(specs: list[ApiSpec], limit: int | None, seed: int = 0) -> list[tuple[ApiSpec, Endpoint]]:
    """Every endpoint of ``specs``, or ``limit`` of them drawn at random (deterministic for ``seed``)."""
    pairs = [(spec, ep) for spec in specs for ep in spec.endpoints]
    if limit is not None and limit < len(pairs):
        pairs = random.Random(seed).sample(pairs, limit)
    return pairs


def make_cases(pairs: list[tuple[ApiSpec, Endpoint]], echo_base: Any) -> list[Case]:
    """``echo_base(case_id)`` gives the echo server's URL for a case (``EchoServer.base_url``)."""
    cases = []
    for i, (spec, endpoint) in enumerate(pairs):
        case_id = f"c{i:05d}"
        cases.append(Case(case_id, point_at(spec, endpoint, echo_base(case_id)), endpoint))
    return cases


def point_at(spec: ApiSpec, endpoint: Endpoint, base: str) -> ApiSpec:
    """A copy of ``spec`` whose servers (top, path and operation level) go to ``base``.

    The path part of the original server URL is kept, trailing slash included, so that defects
    such as the doubled slash of a server URL ending in '/' are reproduced, not hidden.
    """
    doc = dict(spec.doc)
    doc["servers"] = [_pointed(s, base) for s in (doc.get("servers") or [{"url": "/"}])][:1]
    paths = dict(doc.get("paths") or {})
    item = dict(paths.get(endpoint.path) or {})
    if "servers" in item:
        item["servers"] = [_pointed(s, base) for s in item["servers"]][:1]
    op_key = endpoint.method.lower()
    if isinstance(item.get(op_key), dict) and "servers" in item[op_key]:
        op = dict(item[op_key])
        op["servers"] = [_pointed(s, base) for s in op["servers"]][:1]
        item[op_key] = op
    paths[endpoint.path] = item
    doc["paths"] = paths
    return replace(spec, doc=doc)


_ABSOLUTE = re.compile(r"^(?:[^:/?#]*:)?//[^/?#]*(.*)$")


def _pointed(server: Any, base: str) -> dict[str, Any]:
    url = server.get("url", "/") if isinstance(server, dict) else "/"
    # the path after "scheme://host" or a scheme-relative "//host"; the scheme and host may be
    # server variables ("{protocol}://{customer}.example.com/api"), which urlsplit does not take
    absolute = _ABSOLUTE.match(url)
    path = absolute.group(1) if absolute else url
    variables = server.get("variables") if isinstance(server, dict) else None
    if path and not path.startswith("/"):
        path = "/" + path
    out: dict[str, Any] = {"url": base + path}  # "" stays "": no slash is added that was not there
    if variables:
        out["variables"] = variables
    return out
