"""One endpoint's cut of a spec: the parts of the document that rendering and checking that
endpoint read, so a service can load a few kilobytes per answer instead of a whole parsed spec.

``endpoint_slice(spec, endpoint)`` keeps, of the document:
- the top-level keys the HAR builder and the check read (``servers``, Swagger's ``host``,
  ``basePath``, ``schemes``, ``consumes``, ``security``, ``securityDefinitions``, the version key),
  and every security scheme;
- the endpoint's path item without its other operations, and of its operation what a request is
  built from (parameters, request body, security, servers, consumes): responses, examples and
  callbacks are what make a cut large, and no request needs them;
- everything those parts reach through local ``$ref``s, transitively, copied whole at the
  granularity a reference names (``#/components/schemas/Pet/properties/id`` copies ``Pet``).

Rendering and checking the endpoint on the cut gives what they give on the whole spec
(tests/unit/openapi/test_endpoint_slice.py holds that for every endpoint of the sample specs).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from apipack.openapi.model import ApiSpec, Endpoint
from apipack.openapi.refs import scan_refs, unescape_token

_TOP_LEVEL = ("openapi", "swagger", "servers", "host", "basePath", "schemes", "consumes", "produces",
              "security", "securityDefinitions")
_REQUEST_PARTS = ("parameters", "requestBody", "security", "servers", "consumes")
_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def endpoint_slice(spec: ApiSpec, endpoint: Endpoint) -> ApiSpec:
    """An ``ApiSpec`` holding only ``endpoint`` and the document parts it needs."""
    doc = spec.doc or {}
    cut: dict[str, Any] = {k: doc[k] for k in _TOP_LEVEL if k in doc}
    paths = doc.get("paths")
    item = paths.get(endpoint.path) if isinstance(paths, dict) else None
    if isinstance(item, dict):
        key = next((k for k in item if k.lower() == endpoint.method.lower()), endpoint.method.lower())
        kept = {k: v for k, v in item.items() if k.lower() not in _HTTP_METHODS}
        if key in item:
            op = item[key]
            kept[key] = {k: v for k, v in op.items() if k in _REQUEST_PARTS} if isinstance(op, dict) else op
        cut["paths"] = {endpoint.path: kept}
    components = doc.get("components")
    if isinstance(components, dict) and "securitySchemes" in components:
        cut["components"] = {"securitySchemes": components["securitySchemes"]}
    _copy_referenced(doc, cut)
    return ApiSpec(api_id=spec.api_id, title=spec.title, description="", provider=spec.provider,
                   spec_path=spec.spec_path, content_hash=spec.content_hash, doc=cut,
                   endpoints=[endpoint])


def _copy_referenced(doc: dict[str, Any], cut: dict[str, Any]) -> None:
    """Copy into ``cut`` every unit of ``doc`` that a ``$ref`` in ``cut`` reaches, transitively."""
    seen: set[str] = set()
    todo = scan_refs(cut)
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        for unit in _units(ref):
            value = _get(doc, unit)
            if value is _MISSING or not _put(cut, unit, value):
                continue
            todo |= scan_refs(value) - seen


def _units(ref: str) -> list[tuple[str, ...]]:
    """The document keys a local reference may name: as written, and with RFC 6901 unescaping
    and percent-decoding, since the renderer tries its pointers both ways
    (``apipack.snippets.har_params.har_resolve``). A unit is three keys under ``components``
    (``components/schemas/Pet``), two elsewhere (``paths/~1pets``, ``definitions/Pet``)."""
    if not ref.startswith("#/"):
        return []
    raw = ref[2:].split("/")
    readings = (raw, [unquote(t) for t in raw], [unescape_token(t) for t in raw],
                [unescape_token(t) for t in unquote(ref[2:]).split("/")])
    out = []
    for tokens in readings:
        unit = tuple(tokens[:3] if tokens[0] == "components" else tokens[:2])
        if unit not in out:
            out.append(unit)
    return out


_MISSING = object()


def _get(doc: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(doc, dict) or key not in doc:
            return _MISSING
        doc = doc[key]
    return doc


def _put(cut: dict[str, Any], keys: tuple[str, ...], value: Any) -> bool:
    """Set ``cut[k0][k1]...`` to ``value``; False when it is there already or sits inside a part
    copied whole (a holder that is not a mapping)."""
    holder = cut
    for key in keys[:-1]:
        nxt = holder.get(key, _MISSING)
        if nxt is _MISSING:
            nxt = holder[key] = {}
        elif not isinstance(nxt, dict):
            return False
        holder = nxt
    if holder.get(keys[-1], _MISSING) is value:
        return False
    # new, or the endpoint's own path item cut down, which another operation of it refers into
    # (opensuse.org/obs: a DELETE takes its parameter from the GET beside it): then whole
    holder[keys[-1]] = value
    return True
