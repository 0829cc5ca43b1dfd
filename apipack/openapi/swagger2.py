"""Swagger 2.0 -> OpenAPI 3.0, enough for the endpoint model and the snippet renderer.

Covers what decides a request: ``host`` + ``basePath`` + ``schemes`` -> ``servers``;
``consumes`` + ``in: body`` -> ``requestBody`` per media type; ``in: formData`` ->
a form or multipart ``requestBody`` (multipart when a file is sent or only multipart is
consumed); the other parameters' type keywords -> ``schema``; ``collectionFormat`` -> style /
explode; ``securityDefinitions`` -> ``components.securitySchemes`` (basic -> http basic,
apiKey as is, oauth2 flows renamed); ``definitions`` / ``parameters`` / ``responses`` ->
``components`` with every ``$ref`` rewritten. Responses keep their schema under each
``produces`` media type.
"""

from __future__ import annotations

import copy
from typing import Any

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
                "uniqueItems", "multipleOf")
_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}


def is_swagger2(doc: Any) -> bool:
    return isinstance(doc, dict) and str(doc.get("swagger", "")).startswith("2")


def _rewrite_refs(node: Any, body_params: set[str]) -> Any:
    """Every ``#/definitions|parameters|responses/...`` ref pointed at its components home."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                cur["$ref"] = _new_ref(ref, body_params)
            stack.extend(v for v in cur.values() if isinstance(v, dict | list))
        elif isinstance(cur, list):
            stack.extend(v for v in cur if isinstance(v, dict | list))
    return node


def _new_ref(ref: str, body_params: set[str]) -> str:
    if ref.startswith("#/definitions/"):
        return "#/components/schemas/" + ref[len("#/definitions/"):]
    if ref.startswith("#/parameters/"):
        name = ref[len("#/parameters/"):]
        return ("#/components/requestBodies/" if name in body_params else "#/components/parameters/") + name
    if ref.startswith("#/responses/"):
        return "#/components/responses/" + ref[len("#/responses/"):]
    return ref


def _schema_of(param: dict[str, Any]) -> dict[str, Any]:
    schema = {k: param[k] for k in _SCHEMA_KEYS if k in param}
    if schema.get("type") == "file":
        schema = {"type": "string", "format": "binary"}
    items = schema.get("items")
    if isinstance(items, dict) and items.get("type") == "file":
        schema["items"] = {"type": "string", "format": "binary"}
    return schema


def _convert_param(param: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in param.items() if k not in _SCHEMA_KEYS and k not in ("collectionFormat",)}
    out["schema"] = _schema_of(param)
    fmt = param.get("collectionFormat")
    if param.get("type") == "array" and fmt:
        if fmt == "multi":
            out["style"], out["explode"] = "form", True
        elif fmt == "ssv":
            out["style"] = "spaceDelimited"
        elif fmt == "pipes":
            out["style"] = "pipeDelimited"
        elif fmt == "csv":
            out["explode"] = False
    if "x-example" in param and "example" not in out:
        out["example"] = param["x-example"]
    return out


def _body_from(param: dict[str, Any], consumes: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"content": {ct: {"schema": param.get("schema", {})} for ct in consumes}}
    if param.get("description"):
        body["description"] = param["description"]
    if param.get("required"):
        body["required"] = True
    if "x-examples" in param and isinstance(param["x-examples"], dict):
        for ct, example in param["x-examples"].items():
            if ct in body["content"]:
                body["content"][ct]["example"] = example
    return body


def _form_body(params: list[dict[str, Any]], consumes: list[str]) -> dict[str, Any]:
    has_file = any(p.get("type") == "file" for p in params)
    kind = _MULTIPART if has_file or (_MULTIPART in consumes and _FORM not in consumes) else _FORM
    props = {p["name"]: {**_schema_of(p), **({"description": p["description"]} if p.get("description") else {})}
             for p in params if isinstance(p.get("name"), str)}
    schema: dict[str, Any] = {"type": "object", "properties": props}
    required = [p["name"] for p in params if p.get("required") and isinstance(p.get("name"), str)]
    if required:
        schema["required"] = required
    return {"content": {kind: {"schema": schema}}}


def _convert_operation(op: dict[str, Any], consumes: list[str], produces: list[str],
                       doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in op.items() if k not in ("consumes", "produces", "parameters", "responses", "schemes")}
    op_consumes = op.get("consumes") or consumes or ["application/json"]
    op_produces = op.get("produces") or produces or ["application/json"]
    params, form = [], []
    for param in op.get("parameters", []) or []:
        target = _deref_param(param, doc)
        where = target.get("in") if isinstance(target, dict) else None
        if where == "body":
            out["requestBody"] = (_body_ref(param) if "$ref" in param else _body_from(target, op_consumes))
        elif where == "formData":
            form.append(target)
        elif "$ref" in param:
            params.append(param)
        elif isinstance(param, dict):
            params.append(_convert_param(param))
    if form:
        out["requestBody"] = _form_body(form, op_consumes)
    if params:
        out["parameters"] = params
    responses = op.get("responses")
    if isinstance(responses, dict):
        out["responses"] = {code: _convert_response(r, op_produces) for code, r in responses.items()}
    if op.get("schemes") and "servers" not in out:
        base = _server_urls(doc, op["schemes"])
        if base:
            out["servers"] = base
    return out


def _body_ref(param: dict[str, Any]) -> dict[str, Any]:
    return {"$ref": param["$ref"]}


def _deref_param(param: Any, doc: dict[str, Any]) -> Any:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str) and param["$ref"].startswith("#/parameters/"):
        return (doc.get("parameters") or {}).get(param["$ref"][len("#/parameters/"):], {})
    return param


def _convert_response(resp: Any, produces: list[str]) -> Any:
    if not isinstance(resp, dict) or "$ref" in resp:
        return resp
    out = {k: v for k, v in resp.items() if k not in ("schema", "examples")}
    out.setdefault("description", "")
    if "schema" in resp:
        out["content"] = {ct: {"schema": resp["schema"]} for ct in produces}
    return out


def _server_urls(doc: dict[str, Any], schemes: list[Any] | None = None) -> list[dict[str, str]]:
    host = doc.get("host")
    base_path = doc.get("basePath") or ""
    if not isinstance(base_path, str):
        base_path = ""
    if not host:
        return [{"url": base_path or "/"}]
    chosen = schemes or doc.get("schemes") or ["https"]
    return [{"url": f"{scheme}://{host}{'' if base_path == '/' else base_path}"} for scheme in chosen]


def _convert_security(defs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, d in defs.items():
        if not isinstance(d, dict):
            continue
        kind = d.get("type")
        if kind == "basic":
            out[name] = {"type": "http", "scheme": "basic"}
        elif kind == "apiKey":
            out[name] = {k: d[k] for k in ("type", "name", "in", "description") if k in d}
        elif kind == "oauth2":
            flow = _FLOWS.get(d.get("flow", ""), "implicit")
            body = {k: d[k] for k in ("authorizationUrl", "tokenUrl") if k in d}
            body["scopes"] = d.get("scopes") or {}
            out[name] = {"type": "oauth2", "flows": {flow: body}}
        else:
            out[name] = dict(d)
        if d.get("description") and "description" not in out[name]:
            out[name]["description"] = d["description"]
    return out


def convert(doc: dict[str, Any]) -> dict[str, Any]:
    """A new OpenAPI 3.0.3 document; the input is not modified."""
    src = copy.deepcopy(doc)
    body_params = {name for name, p in (src.get("parameters") or {}).items()
                   if isinstance(p, dict) and p.get("in") in ("body", "formData")}
    consumes = src.get("consumes") or []
    produces = src.get("produces") or []
    out: dict[str, Any] = {"openapi": "3.0.3"}
    for key, value in src.items():
        if key in ("swagger", "host", "basePath", "schemes", "consumes", "produces", "definitions",
                   "parameters", "responses", "securityDefinitions", "paths"):
            continue
        out[key] = value
    out["servers"] = _server_urls(src)
    paths: dict[str, Any] = {}
    for path, item in (src.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        new_item: dict[str, Any] = {}
        for key, value in item.items():
            if key in _METHODS and isinstance(value, dict):
                new_item[key] = _convert_operation(value, consumes, produces, src)
            elif key == "parameters" and isinstance(value, list):
                new_item[key] = [p if "$ref" in p else _convert_param(p) for p in value
                                 if isinstance(p, dict) and p.get("in") not in ("body", "formData")]
            else:
                new_item[key] = value
        paths[path] = new_item
    out["paths"] = paths
    components: dict[str, Any] = {}
    if isinstance(src.get("definitions"), dict):
        components["schemas"] = src["definitions"]
    params = src.get("parameters") or {}
    if params:
        components["parameters"] = {n: _convert_param(p) for n, p in params.items() if n not in body_params}
        bodies = {n: (_body_from(p, consumes or ["application/json"]) if p.get("in") == "body"
                      else _form_body([p], consumes)) for n, p in params.items() if n in body_params}
        if bodies:
            components["requestBodies"] = bodies
    if isinstance(src.get("responses"), dict):
        components["responses"] = {n: _convert_response(r, produces or ["application/json"])
                                   for n, r in src["responses"].items()}
    if isinstance(src.get("securityDefinitions"), dict):
        components["securitySchemes"] = _convert_security(src["securityDefinitions"])
    if components:
        out["components"] = components
    return _rewrite_refs(out, body_params)
