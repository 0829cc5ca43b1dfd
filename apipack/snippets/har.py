"""HAR requests for one endpoint: a port of openapi-snippet 0.14.0's ``openapi-to-har.js``.

``build_hars(spec, method, path)`` returns what ``getEndpoint(openApi, path, method, values)``
returns in node: one HAR request per request-body media type it knows (JSON, then form, then
multipart), or one without a body. Server URL, path / query / header / cookie parameters,
the security header and the sampled body come out byte for byte as node makes them (see
docs/conformance.md for the few places node throws and what we do there instead).

The document is never modified: openapi-to-har's in-place edits are replayed per endpoint
(``ParamState``) and the resolved-``$ref`` memo lives in the spec's ``render_cache``.
"""

from __future__ import annotations

from typing import Any

from apipack.errors import UnknownEndpointError
from apipack.openapi.model import ApiSpec
from apipack.snippets.har_params import ParamState, collect, har_resolve, js_replace_first
from apipack.snippets.jsvalue import (
    SKIP,
    UNDEFINED,
    encode_uri_component,
    js_keys,
    json_stringify,
    to_js_string,
)
from apipack.snippets.sampler import JsError, Sampler
from apipack.snippets.sampler.pointer import js_get, object_keys
from apipack.snippets.sampler.traverse import truthy

Har = dict[str, Any]
_BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def _caches(spec: ApiSpec | dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document and its memo of resolved references (kept on the ApiSpec between calls)."""
    if isinstance(spec, ApiSpec):
        cache = spec.render_cache
        if "har_refs" not in cache:
            cache["har_refs"] = {}
            cache["sampler"] = {}
        return spec.doc, cache
    return spec, {"har_refs": {}, "sampler": {}}


def build_hars(spec: ApiSpec | dict[str, Any], method: str, path: str, values: dict[str, Any] | None = None,
               *, value_locations: tuple[str, ...] = ("query",)) -> list[Har]:
    """The HAR requests openapi-snippet renders for ``method`` ``path``.

    ``values`` fills parameters by name as openapi-snippet's ``values`` argument does: node only
    uses them for query parameters; ``value_locations`` may add "path", "header", "cookie".
    """
    doc, cache = _caches(spec)
    key = method.lower()
    paths = doc.get("paths")
    item = paths.get(path) if isinstance(paths, dict) else None
    op = item.get(key) if isinstance(item, dict) else None
    if not isinstance(op, dict):
        if isinstance(item, dict) and key in item:
            op = {}  # a null operation: node throws reading its fields; render it without any
        else:
            raise UnknownEndpointError(f"the spec declares no {method.upper()} {path}")
    state = ParamState(doc, cache["har_refs"])

    def where(location: str) -> dict[str, Any] | None:
        return values if values is not None and location in value_locations else None

    base_url = _base_url(doc, item, op)
    full_path = path
    for p in collect(state, item, op, "path", where("path")):
        full_path = js_replace_first(full_path, "{" + to_js_string(p.get("name", UNDEFINED)) + "}",
                                     to_js_string(p["value"]))
    headers = _headers(state, doc, item, op, where("header"))
    query = collect(state, item, op, "query", where("query"))
    cookies = collect(state, item, op, "cookie", where("cookie"))
    base: Har = {
        "method": method.upper(),
        "url": to_js_string(base_url) + full_path,
        "headers": headers,
        "queryString": query,
        "httpVersion": "HTTP/1.1",
        "cookies": cookies,
        "headersSize": 0,
        "bodySize": 0,
    }
    sampler = Sampler(doc, overlay=state.overlay, shared=cache["sampler"])
    payloads = _payloads(state, doc, op, sampler)
    if not payloads:
        return [_clean(base)]
    hars = []
    for payload in payloads:
        har = _clean(base)
        har["headers"].append({"name": "content-type", "value": payload["mimeType"]})
        har["postData"] = payload
        har["comment"] = payload["mimeType"]
        hars.append(har)
    return hars


def _clean(har: Har) -> Har:
    """A fresh copy without JavaScript ``undefined`` members (what JSON.stringify drops)."""
    out = dict(har)
    for key in ("headers", "queryString", "cookies"):
        out[key] = [{k: v for k, v in p.items() if v is not UNDEFINED} for p in har[key]]
    return out


def _first_server_url(servers: Any) -> Any:
    """``servers[0].url``; crash:servers-empty: node reads ``url`` of undefined on ``[]``."""
    first = js_get(servers, "0") if isinstance(servers, list | dict | str) else UNDEFINED
    if first is UNDEFINED or first is None:
        return UNDEFINED
    return js_get(first, "url")


def server_of(spec: ApiSpec | dict[str, Any], method: str, path: str) -> tuple[str, dict[str, str]]:
    """The server URL openapi-snippet puts before the path, and its variables' defaults."""
    doc = spec.doc if isinstance(spec, ApiSpec) else spec
    item = (doc.get("paths") or {}).get(path) or {}
    op = item.get(method.lower()) if isinstance(item, dict) else None
    op = op if isinstance(op, dict) else {}
    url = _base_url(doc, item, op)
    variables: dict[str, str] = {}
    for holder in (op, item, doc):
        servers = holder.get("servers")
        if isinstance(servers, list) and servers and isinstance(servers[0], dict):
            for name, var in (servers[0].get("variables") or {}).items():
                if isinstance(var, dict) and var.get("default") is not None:
                    variables[name] = str(var["default"])
            break
    return (url if isinstance(url, str) else ""), variables


def _base_url(doc: dict[str, Any], item: dict[str, Any], op: dict[str, Any]) -> Any:
    for holder in (op, item, doc):
        servers = holder.get("servers", UNDEFINED)
        if truthy(servers):
            url = _first_server_url(servers)
            if url is not UNDEFINED or (isinstance(servers, list) and servers):
                return url
    schemes = doc.get("schemes", UNDEFINED)
    url = to_js_string(js_get(schemes, "0")) if schemes is not UNDEFINED else "http"
    host = to_js_string(doc.get("host", UNDEFINED))
    base_path = doc.get("basePath", UNDEFINED)
    if base_path == "/":
        return url + "://" + host
    return url + "://" + host + to_js_string(base_path)


def _scheme_def(doc: dict[str, Any], name: Any, op_level: bool) -> Any:
    if op_level and doc.get("securityDefinitions"):
        return js_get(doc["securityDefinitions"], to_js_string(name))
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict) or name is UNDEFINED:
        # crash:security-undeclared (no components / securitySchemes, or an empty `{}` requirement)
        return UNDEFINED
    return schemes.get(to_js_string(name), UNDEFINED)


def _headers(state: ParamState, doc: dict[str, Any], item: dict[str, Any], op: dict[str, Any],
             values: dict[str, Any] | None) -> list[dict[str, Any]]:
    """getHeadersArray: accept (Swagger consumes), header parameters, then one auth header."""
    headers: list[dict[str, Any]] = []
    consumes = op.get("consumes", UNDEFINED)
    if consumes is not UNDEFINED and consumes is not None:
        items = consumes if isinstance(consumes, list) else [js_get(consumes, k) for k in object_keys(consumes)]
        headers.extend({"name": "accept", "value": v} for v in items)
    headers.extend(collect(state, item, op, "header", values))

    op_level = op.get("security", UNDEFINED) is not UNDEFINED
    requirements = op["security"] if op_level else doc.get("security", UNDEFINED)
    basic = api_key = oauth = None
    if requirements is not UNDEFINED and requirements is not None:
        reqs = requirements if isinstance(requirements, list) else \
            [js_get(requirements, k) for k in object_keys(requirements)] if isinstance(requirements, dict | str) \
            else []
        for req in reqs:
            names = object_keys(req) if req is not None and req is not UNDEFINED else []
            name = names[0] if names else UNDEFINED
            definition = _scheme_def(doc, name, op_level)
            kind = js_get(definition, "type") if isinstance(definition, dict) else UNDEFINED
            if not isinstance(kind, str):
                continue  # crash:security-undeclared / a scheme without a type: no header
            kind = kind.lower()
            scheme = definition.get("scheme", UNDEFINED)
            auth_scheme = None
            if kind != "apikey" and (op_level or kind != "oauth2"):
                # crash:security-http-without-scheme (global security reads scheme.toLowerCase())
                auth_scheme = scheme.lower() if isinstance(scheme, str) else None
            if kind == "basic":
                basic = name
            elif kind == "apikey":
                if definition.get("in") == "header":
                    api_key = definition
            elif kind == "oauth2":
                oauth = name
            elif kind == "http":
                if auth_scheme == "bearer":
                    oauth = name
                elif auth_scheme == "basic":
                    basic = name
    if basic:
        headers.append({"name": "Authorization", "value": "Basic REPLACE_BASIC_AUTH"})
    elif api_key:
        headers.append({"name": api_key.get("name", UNDEFINED), "value": "REPLACE_KEY_VALUE"})
    elif oauth:
        headers.append({"name": "Authorization", "value": "Bearer REPLACE_BEARER_TOKEN"})
    return headers


def _payloads(state: ParamState, doc: dict[str, Any], op: dict[str, Any], sampler: Sampler) -> list[dict[str, Any]]:
    """getPayloads: a Swagger body parameter, else the three request-body media types it knows."""
    params = op.get("parameters", UNDEFINED)
    if isinstance(params, list | dict):
        for param in (params if isinstance(params, list) else [params[k] for k in js_keys(params)]):
            where = js_get(param, "in") if isinstance(param, dict) else UNDEFINED
            if isinstance(where, str) and where.lower() == "body" and param.get("schema", UNDEFINED) is not UNDEFINED:
                try:
                    sample = sampler.sample(param["schema"])
                except (JsError, RecursionError):
                    sample = {}  # crash:sampler (node logs and returns null; its caller then throws)
                payload = {"mimeType": "application/json"}
                text = json_stringify(sample)
                if text is not UNDEFINED:
                    payload["text"] = text
                return [payload]
    body = op.get("requestBody", UNDEFINED)
    if isinstance(body, dict) and isinstance(body.get("$ref"), str):
        body = har_resolve(doc, body["$ref"], state.ref_memo)  # crash:pointer-escapes handled inside
    if not isinstance(body, dict):
        return []
    content = body.get("content")
    if not isinstance(content, dict) or not content:
        return []
    payloads: list[dict[str, Any]] = []
    for mime in _BODY_TYPES:
        media = content.get(mime)
        if not isinstance(media, dict):
            continue
        schema = media.get("schema", UNDEFINED)
        if schema is UNDEFINED or not truthy(schema):
            continue
        try:
            sample = sampler.sample(schema)
        except (JsError, RecursionError):
            sample = {}  # crash:sampler: a schema node cannot sample; send an empty object
        payload = _payload(mime, sample)
        if payload is not None:
            payloads.append(payload)
    return payloads


def _payload(mime: str, sample: Any) -> dict[str, Any] | None:
    if mime == "application/json":
        text = json_stringify(sample)
        return {"mimeType": mime} if text is UNDEFINED else {"mimeType": mime, "text": text}
    if sample is UNDEFINED or sample is None:
        return None  # crash:body-sample-null for null: node's Object.keys(null) throws; as for undefined
    keys = object_keys(sample)
    if mime == "multipart/form-data":
        params = []
        for key in keys:
            value = js_get(sample, key)
            if not isinstance(value, str):
                value = json_stringify(value)
            params.append({"name": key} if value is UNDEFINED else {"name": key, "value": value})
        return {"mimeType": mime, "params": params}
    params = []
    for key in keys:
        value = js_get(sample, key)
        if value is SKIP:
            value = UNDEFINED  # crash:sampler: a Symbol cannot be encoded; as if it were absent
        params.append({"name": encode_uri_component(key).replace("%20", "+"),
                       "value": encode_uri_component(value).replace("%20", "+")})
    text = "&".join(f"{i}={to_js_string(_plain(js_get(sample, str(i))))}" for i in range(len(params)))
    return {"mimeType": mime, "params": params, "text": text}


def _plain(value: Any) -> Any:
    return UNDEFINED if value is SKIP else value
