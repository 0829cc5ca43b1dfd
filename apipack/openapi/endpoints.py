"""One ``Endpoint`` per path x method of an OpenAPI 3.x document (apipack.openapi.model).

Endpoints come in document order (paths, then the methods of each path item), the order
openapi-snippet's callers walk them. Parameters merge path-level and operation-level ones
(operation wins on the same name and location); the request body is the media type
openapi-snippet renders first (JSON, then form, then multipart, else the first listed);
security is the operation's requirement list, else the document's.
"""

from __future__ import annotations

import re
from typing import Any

from apipack.openapi.model import Endpoint, Parameter, RequestBody, SecurityScheme
from apipack.openapi.refs import Resolver

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS = {"path", "query", "header", "cookie", "formData"}
_SNIPPET_BODY_ORDER = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
_KINDS = {"apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"}
_SERVER_VAR = re.compile(r"\{([^{}]+)\}")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def server_url(servers: Any) -> str:
    """The first server's URL with each ``{variable}`` replaced by its default."""
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    first = servers[0]
    url = _text(first.get("url"))
    variables = first.get("variables") if isinstance(first.get("variables"), dict) else {}

    def fill(m: re.Match[str]) -> str:
        var = variables.get(m.group(1))
        if isinstance(var, dict) and var.get("default") is not None:
            return str(var["default"])
        return m.group(0)

    return _SERVER_VAR.sub(fill, url)


def _parameters(resolver: Resolver, item: dict[str, Any], op: dict[str, Any]) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], Parameter] = {}
    for source in (item.get("parameters"), op.get("parameters")):
        if not isinstance(source, list):
            continue
        for raw in source:
            param = resolver.deref(raw)
            if not isinstance(param, dict):
                continue
            name, where = param.get("name"), param.get("in")
            if not isinstance(name, str) or not name or not isinstance(where, str) or where not in _LOCATIONS:
                continue  # body parameters become the request body; nameless ones send nothing
            schema = param.get("schema")
            if not isinstance(schema, dict):
                content = param.get("content")
                media = next(iter(content.values()), None) if isinstance(content, dict) and content else None
                schema = media.get("schema") if isinstance(media, dict) else None
            if not isinstance(schema, dict):
                schema = {k: param[k] for k in ("type", "format", "items", "enum", "default") if k in param}
            schema = resolver.resolve(schema)
            example = param.get("example")
            if example is None and isinstance(schema, dict):
                example = schema.get("example")
            merged[(name, where)] = Parameter(
                name=name, location=where, required=bool(param.get("required")) or where == "path",
                description=_text(param.get("description")), schema=schema if isinstance(schema, dict) else {},
                example=example)
    return tuple(merged.values())


def _request_body(resolver: Resolver, op: dict[str, Any]) -> RequestBody | None:
    body = resolver.deref(op.get("requestBody"))
    if not isinstance(body, dict):
        return None
    content = body.get("content")
    if not isinstance(content, dict) or not content:
        return None
    chosen = next((ct for ct in _SNIPPET_BODY_ORDER if ct in content), next(iter(content)))
    media = content.get(chosen)
    raw_schema = media.get("schema") if isinstance(media, dict) else None
    schema = resolver.resolve(raw_schema) if isinstance(raw_schema, dict) else {}
    flat = resolver.deref(schema) if isinstance(schema, dict) else {}
    props: dict[str, Any] = {}
    required: list[str] = []
    all_of = flat.get("allOf") if isinstance(flat, dict) else None
    for part in [flat] + [resolver.deref(s) for s in (all_of if isinstance(all_of, list) else [])]:
        if isinstance(part, dict):
            if isinstance(part.get("properties"), dict):
                props.update(part["properties"])
            if isinstance(part.get("required"), list):
                required.extend(r for r in part["required"] if isinstance(r, str))
    return RequestBody(content_type=chosen, required=bool(body.get("required")),
                       schema=schema if isinstance(schema, dict) else {},
                       properties=tuple(props), required_properties=tuple(dict.fromkeys(required)))


def _security(doc: dict[str, Any], op: dict[str, Any]) -> tuple[SecurityScheme, ...]:
    requirements = op["security"] if "security" in op else doc.get("security")
    components = doc.get("components") if isinstance(doc.get("components"), dict) else {}
    schemes = components.get("securitySchemes") if isinstance(components.get("securitySchemes"), dict) else {}
    out: list[SecurityScheme] = []
    seen: set[str] = set()
    for req in requirements if isinstance(requirements, list) else []:
        for name in req if isinstance(req, dict) else []:
            scheme = schemes.get(name)
            kind = scheme.get("type") if isinstance(scheme, dict) else None
            if name in seen or not isinstance(kind, str) or kind not in _KINDS:
                continue
            seen.add(name)
            scheme_name = scheme.get("scheme")
            out.append(SecurityScheme(
                name=name, kind=scheme["type"],
                location=scheme.get("in") if isinstance(scheme.get("in"), str) else None,
                param_name=scheme.get("name") if isinstance(scheme.get("name"), str) else None,
                scheme=scheme_name.lower() if isinstance(scheme_name, str) else None))
    return tuple(out)


def iter_operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], Any]]:
    """(path, method, path item, operation) in document order; operations may be non-dicts."""
    out = []
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for key, op in item.items():
            if key in HTTP_METHODS:
                out.append((path, key, item, op))
    return out


def build_endpoints(api_id: str, doc: dict[str, Any], *, resolver: Resolver | None = None) -> list[Endpoint]:
    resolver = resolver or Resolver(doc)
    out = []
    for path, method, item, op in iter_operations(doc):
        op = op if isinstance(op, dict) else {}
        servers = op.get("servers") or item.get("servers") or doc.get("servers")
        tags = op.get("tags") if isinstance(op.get("tags"), list) else []
        out.append(Endpoint(
            api_id=api_id, method=method.upper(), path=path,
            operation_id=op.get("operationId") if isinstance(op.get("operationId"), str) else None,
            summary=_text(op.get("summary")), description=_text(op.get("description")),
            tags=tuple(t for t in tags if isinstance(t, str)),
            parameters=_parameters(resolver, item, op), request_body=_request_body(resolver, op),
            security=_security(doc, op), base_url=server_url(servers),
            deprecated=op.get("deprecated") is True))
    return out
