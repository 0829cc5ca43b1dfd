"""Rendering an endpoint with the instruction's values: the dataset's HAR builder and renderers
(``apipack.snippets``), values placed in path, query and header parameters (openapi-snippet's
``values`` argument, widened to path and header) and in the top-level properties of the
sampled request body (JSON, form and multipart), which openapi-snippet has no argument for."""

from __future__ import annotations

import json
from typing import Any

from apipack.openapi.model import ApiSpec

PARAM_LOCATIONS = ("path", "query", "header")


def _body_names(spec: ApiSpec, method: str, path: str) -> set[str]:
    endpoint = spec.endpoint(method, path) if isinstance(spec, ApiSpec) else None
    body = endpoint.request_body if endpoint is not None else None
    return set(body.properties) if body is not None else set()


def fill_body(har: dict[str, Any], values: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """Put ``values`` (those in ``names``) into the HAR's sampled body, keeping its layout."""
    from apipack.snippets.escape import encode_uri_component, js_str, json_stringify

    post = har.get("postData")
    wanted = {k: v for k, v in values.items() if k in names}
    if not post or not wanted:
        return har
    mime = post.get("mimeType", "")
    if mime == "application/json" and isinstance(post.get("text"), str):
        try:
            data = json.loads(post["text"])
        except ValueError:
            return har
        if isinstance(data, dict):
            data.update(wanted)
            post["text"] = json_stringify(data)
    elif mime == "application/x-www-form-urlencoded" and isinstance(post.get("params"), list):
        # openapi-snippet: params hold encodeURIComponent'd values ("+" for spaces), text the raw ones
        present = set()
        for param in post["params"]:
            if param.get("name") in wanted:
                param["value"] = encode_uri_component(wanted[param["name"]]).replace("%20", "+")
                present.add(param["name"])
        for name, value in wanted.items():
            if name not in present:
                post["params"].append({"name": name, "value": encode_uri_component(value).replace("%20", "+")})
        post["text"] = "&".join(f"{p['name']}={p['value']}" for p in post["params"])
    elif mime == "multipart/form-data" and isinstance(post.get("params"), list):
        for param in post["params"]:
            if param.get("name") in wanted:
                value = wanted[param["name"]]
                param["value"] = value if isinstance(value, str) else js_str(value)
    return har


def render_with_values(spec: ApiSpec, method: str, path: str, target: str,
                       values: dict[str, Any] | None = None, *, corrected: bool = True) -> str:
    """The first snippet openapi-snippet would give for ``target``, with ``values`` filled in.

    ``corrected`` (the default for answers to users): openapi-snippet's defects fixed
    (``apipack.snippets.corrections``); False gives its output byte for byte.
    """
    from apipack.snippets import build_hars, render
    from apipack.snippets.endpoint import path_context

    if not values:
        har = build_hars(spec, method, path)[0]
    else:
        har = build_hars(spec, method, path, values, value_locations=PARAM_LOCATIONS)[0]
        har = fill_body(har, values, _body_names(spec, method, path))
    if not corrected:
        return render(har, target)
    return render(har, target, corrected=True, context=path_context(spec, method, path))
