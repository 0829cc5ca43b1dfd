"""What a snippet should send, and how what arrived differs from it.

The expectation comes from two places: the HAR request the snippet was rendered from (the values
it meant to send) and the endpoint in the spec (method, path template, required parameters, media
type). Each difference is a named class, so a corpus run can count them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_plus, urlsplit

from apipack.openapi.model import Endpoint
from apipack.verify.echo import CASE_PREFIX, ArrivedRequest

# Mismatch classes, in the order a report lists them.
MISMATCH_CLASSES: dict[str, str] = {
    "not_sent": "no request reached the server",
    "wrong_method": "the HTTP method differs from the endpoint's",
    "double_slash": "the path has '//' where the template has one '/' (server URL ends in '/')",
    "path_param_unfilled": "a path parameter was sent as the literal '{name}'",
    "server_variables_unfilled": "a server variable was sent as the literal '{name}'",
    "path_mismatch": "the path does not match the endpoint's template",
    "query_missing": "a query parameter the snippet meant to send did not arrive",
    "query_extra": "a query parameter arrived that the snippet did not mean to send",
    "header_missing": "a header the snippet meant to send did not arrive",
"header_mismatch": "a header arrived with another value than the snippet meant",
    "content_type_mismatch": "the body's media type differs from the spec's",
    "body_mismatch": "the body differs from the one the snippet meant to send",
}

_PARAM = re.compile(r"\{([^}/]+)\}")
# Headers that clients set on their own or that HTTP forbids scripts to set; never "missing".
_TRANSPORT_HEADERS = {"content-length", "host", "connection", "accept-encoding", "user-agent",
                      "transfer-encoding"}


@dataclass(slots=True)
class Expected:
    method: str
    path_template: str  # the endpoint's template, prefixed with the server's base path
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-cased names
    media_type: str | None
    body: Any  # parsed: dict for JSON/form/multipart, str for text, None for no body
    check_body: bool = True


@dataclass(slots=True)
class Comparison:
    mismatches: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def add(self, kind: str, detail: str) -> None:
        if kind not in self.mismatches:
            self.mismatches.append(kind)
        self.details.append(f"{kind}: {detail}")


def expected_from_har(har: dict[str, Any], endpoint: Endpoint) -> Expected:
    url = urlsplit(har["url"])
    path = url.path
    if path.startswith(CASE_PREFIX):
        path = "/" + path[len(CASE_PREFIX):].partition("/")[2]
    # the HAR's path is the server's base path + the template with its parameters filled in
    # a few specs put a query into the path key ("/build/{file}?view=info"): it is query, not path
    # ... or a fragment ("/#X-Amz-Target=...", amazonaws.com): no client sends a fragment
    template_path = endpoint.path.partition("?")[0].partition("#")[0]
    tail = re.search(_template_regex(template_path) + "$", path)
    base_path = path[: tail.start()] if tail else ""
    # a server variable in the base path ('/{basePath}') stands for its value, which may hold '/'
    template = _PARAM.sub(lambda m: "{+" + m.group(1) + "}", base_path.rstrip("/")) + template_path
    in_url = parse_qsl(url.query, keep_blank_values=True)
    # httpsnippet merges the URL's own query over the HAR's queryString: the URL's value wins
    query = [(q["name"], str(q["value"])) for q in har.get("queryString", [])
             if q["name"] not in {k for k, _ in in_url}]
    query += in_url
    headers = {h["name"].lower(): str(h["value"]) for h in har.get("headers", [])}
    cookies = har.get("cookies") or []
    if cookies:
        headers["cookie"] = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    post = har.get("postData") or {}
    media = (post.get("mimeType") or "").split(";")[0].strip().lower() or None
    body: Any = None
    if post:
        if "params" in post and post["params"] is not None:
            body = _params_dict(post["params"])
            if media == "application/x-www-form-urlencoded":
                # openapi-snippet puts form values into the HAR already percent-encoded; the value
                # the spec describes is the decoded one
                # (encodeURIComponent, then '+' for spaces)
                body = {k: [unquote_plus(v) for v in vs] for k, vs in body.items()}
        else:
            body = _parse_text(media, post.get("text", ""))
    return Expected(method=har["method"].upper(), path_template=template, query=query, headers=headers,
                    media_type=media, body=body)


def compare(expected: Expected, arrived: ArrivedRequest | None, *, check_body: bool = True) -> Comparison:
    result = Comparison()
    if arrived is None:
        result.add("not_sent", "the echo server recorded nothing for this case")
        return result
    if arrived.method.upper() != expected.method:
        result.add("wrong_method", f"{arrived.method} instead of {expected.method}")
    _compare_path(expected.path_template, arrived.path, result)
    _compare_query(expected.query, arrived.query, result)
    for name, value in expected.headers.items():
        if name in _TRANSPORT_HEADERS or name == "content-type":
            continue
        got = arrived.headers.get(name)
        if got is None:
            result.add("header_missing", name)
        elif _header_value(name, got) != _header_value(name, value):
            result.add("header_mismatch", f"{name}: {got!r} instead of {value!r}")
    if expected.media_type:
        got_media = (arrived.headers.get("content-type") or "").split(";")[0].strip().lower()
        if got_media != expected.media_type and not (check_body is False and not got_media):
            result.add("content_type_mismatch", f"{got_media or 'none'} instead of {expected.media_type}")
    if check_body and expected.body is not None:
        got_body = _parse_arrived_body(expected.media_type, arrived)
        if got_body != expected.body:
            result.add("body_mismatch", f"{_short(got_body)} instead of {_short(expected.body)}")
    return result


def _compare_path(template: str, path: str, result: Comparison) -> None:
    if "//" in path and "//" not in template:
        result.add("double_slash", path)
        path = re.sub(r"/{2,}", "/", path)
    decoded = unquote(path)
    for name in _PARAM.findall(decoded):
        if "{" + name + "}" in template:
            result.add("path_param_unfilled", "{" + name + "}")
        elif "{+" + name + "}" in template:
            result.add("server_variables_unfilled", "{" + name + "}")
    pattern = "^" + _template_regex(template) + "/?$"
    if not re.match(pattern, decoded) and not re.match(pattern, path):
        result.add("path_mismatch", f"{path} does not match {template}")


def _header_value(name: str, value: str) -> object:
    if name == "cookie":  # clients join cookies with ';' or '; ' and may reorder them
        return sorted(part.strip() for part in value.split(";") if part.strip())
    return value.strip()


def _template_regex(template: str) -> str:
    escaped = re.escape(template).replace(r"\{", "{").replace(r"\}", "}").replace(r"\+", "+")
    return _PARAM.sub(lambda m: ".+" if m.group(1).startswith("+") else "[^/]+", escaped)


def _compare_query(expected: list[tuple[str, str]], arrived: list[tuple[str, str]], result: Comparison) -> None:
    want = sorted((k, v) for k, v in expected)
    got = sorted((k, v) for k, v in arrived)
    if want == got:
        return
    want_keys = {k for k, _ in want}
    got_keys = {k for k, _ in got}
    for key in sorted(want_keys - got_keys):
        result.add("query_missing", key)
    for key in sorted(got_keys - want_keys):
        result.add("query_extra", key)
    if want_keys == got_keys:
        result.add("query_missing", f"values differ: {got} instead of {want}")


def _params_dict(params: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in params:
        out.setdefault(p["name"], []).append(str(p.get("value", "")))
    return out


def _parse_text(media: str | None, text: str) -> Any:
    if media and (media.endswith("json") or media.endswith("+json")):
        try:
            return json.loads(text)
        except ValueError:
            return text
    if media == "application/x-www-form-urlencoded":
        return _params_dict([{"name": k, "value": v} for k, v in parse_qsl(text, keep_blank_values=True)])
    return text


def _parse_arrived_body(media: str | None, arrived: ArrivedRequest) -> Any:
    raw = arrived.body
    if media == "multipart/form-data":
        ctype = arrived.headers.get("content-type", "")
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
        if not message.is_multipart():
            return raw.decode("utf-8", "replace")
        fields: dict[str, list[str]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            fields.setdefault(str(name), []).append(payload.decode("utf-8", "replace"))
        return fields
    return _parse_text(media, raw.decode("utf-8", "replace"))


def _short(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= 120 else text[:117] + "..."
