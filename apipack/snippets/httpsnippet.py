"""httpsnippet 2.0.0's request preparation (``HTTPSnippet`` + ``prepare`` in src/index.js).

A HAR request (a dict as openapi-snippet's ``openapi-to-har.js`` builds it) becomes a
``Source``: the object every target reads (``fullUrl``, ``uriObj``, ``queryObj``,
``headersObj``, ``allHeaders``, ``postData`` with ``jsonObj`` / ``paramsObj`` / ``boundary``).
Unlike httpsnippet there is no HAR validation: requests that its validator refuses ("validation
failed", e.g. a relative server URL) are prepared the way httpsnippet prepares them when the
validation is skipped. The HAR given is never mutated.
"""

from __future__ import annotations

import posixpath
from typing import Any

from apipack.snippets.escape import (
    UNDEFINED,
    JSError,
    encode_uri_component,
    js_keys,
    js_str,
    js_truthy,
    json_parse,
)
from apipack.snippets.node_url import Url, qs_stringify, url_format, url_parse

BOUNDARY = "---011000010111000001101001"  # httpsnippet's fixed multipart boundary ("easter egg")
_MULTIPART = frozenset(("multipart/mixed", "multipart/related", "multipart/form-data", "multipart/alternative"))
_JSON = frozenset(("text/json", "text/x-json", "application/json", "application/x-json"))
_FILE_TYPES = {".txt": "text/plain", ".json": "application/json", ".png": "image/png",
               ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".pdf": "application/pdf",
               ".csv": "text/csv", ".xml": "application/xml", ".html": "text/html", ".zip": "application/zip"}


class PostData:
    """``request.postData`` after preparation (``text`` is UNDEFINED when the HAR has none)."""

    __slots__ = ("mime_type", "text", "params", "json_obj", "params_obj", "boundary")

    def __init__(self, raw: dict) -> None:
        self.mime_type: Any = raw.get("mimeType") or "application/octet-stream"
        self.text: Any = raw.get("text", UNDEFINED)
        self.params: Any = raw.get("params", UNDEFINED)
        self.json_obj: Any = False
        self.params_obj: Any = False
        self.boundary: Any = UNDEFINED


class Source:
    """What httpsnippet hands each target."""

    __slots__ = ("method", "url", "full_url", "http_version", "uri", "query_obj", "headers_obj",
                 "all_headers", "cookies", "post")

    method: Any
    url: str
    full_url: str
    http_version: Any
    uri: Url
    query_obj: dict
    headers_obj: dict
    all_headers: dict
    cookies: list
    post: PostData


def _reduce_pairs(pairs: list) -> dict:
    """``helpers/reducer.js``: repeated names collect their values into a list."""
    obj: dict = {}
    for pair in pairs:
        name = js_str(pair.get("name", UNDEFINED))
        value = pair.get("value", UNDEFINED)
        current = obj.get(name, UNDEFINED)
        if current is UNDEFINED:
            obj[name] = value
        elif isinstance(current, list):
            obj[name] = [*current, value]  # a copy: the HAR's own lists stay untouched
        else:
            obj[name] = [current, value]
    return obj


def header_name(headers: dict, name: str) -> str | None:
    """``helpers/headers.js`` getHeaderName: the key matching ``name`` case-insensitively."""
    lowered = name.lower()
    for key in js_keys(headers):
        if key.lower() == lowered:
            return key
    return None


def _multipart_text(params: list) -> str:
    # the `form-data` package's serialisation with httpsnippet's fixed boundary; the closing
    # boundary is the last part's footer, so no parts means no text at all
    if not params:
        return ""
    parts = []
    for param in params:
        value = param.get("value", UNDEFINED)
        value = js_str(value) if js_truthy(value) else ""
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{js_str(param.get("name", UNDEFINED))}"'
        filename = param.get("fileName")
        content_type = param.get("contentType")
        if js_truthy(filename):
            base = posixpath.basename(js_str(filename).replace("\\", "/"))
            head += f'; filename="{base}"'
            content_type = content_type or _FILE_TYPES.get(posixpath.splitext(base)[1].lower(),
                                                           "application/octet-stream")
        if js_truthy(content_type):
            head += f"\r\nContent-Type: {js_str(content_type)}"
        parts.append(f"{head}\r\n\r\n{value}\r\n")
    parts.append(f"--{BOUNDARY}--\r\n")
    return "".join(parts)


def prepare(har: dict) -> Source:
    """HAR request -> ``Source``, as ``new HTTPSnippet(har)`` does (without validation)."""
    src = Source()
    src.method = har.get("method", UNDEFINED)
    src.http_version = har.get("httpVersion") or "HTTP/1.1"
    query_string = har.get("queryString") or []
    headers = har.get("headers") or []
    cookies = har.get("cookies") or []
    src.cookies = cookies
    post = src.post = PostData(har.get("postData") or {})

    query_obj = _reduce_pairs(query_string) if query_string else {}
    headers_obj: dict = {}
    if headers:
        http2 = isinstance(src.http_version, str) and src.http_version.startswith("HTTP/2")
        for header in headers:
            name = js_str(header.get("name", UNDEFINED))
            headers_obj[name.lower() if http2 else name] = header.get("value", UNDEFINED)
    all_headers: dict = {}
    if cookies:
        all_headers["cookie"] = "; ".join(
            encode_uri_component(c.get("name", UNDEFINED)) + "=" + encode_uri_component(c.get("value", UNDEFINED))
            for c in cookies)

    mime = post.mime_type
    if mime in _MULTIPART:
        post.text = ""
        post.mime_type = "multipart/form-data"
        if js_truthy(post.params):
            post.text = _multipart_text(post.params)
            post.boundary = BOUNDARY
            name = header_name(headers_obj, "content-type") or "content-type"
            headers_obj[name] = "multipart/form-data; boundary=" + BOUNDARY
    elif mime == "application/x-www-form-urlencoded":
        if not js_truthy(post.params):
            post.text = ""
        else:
            post.params_obj = _reduce_pairs(post.params)
            post.text = qs_stringify(post.params_obj)
    elif mime in _JSON:
        post.mime_type = "application/json"
        if js_truthy(post.text):
            try:
                post.json_obj = json_parse(js_str(post.text))
            except ValueError:
                post.mime_type = "text/plain"  # httpsnippet falls back to a raw text body

    all_headers.update(headers_obj)

    uri = url_parse(har.get("url", UNDEFINED))
    query_obj.update(uri.query)
    uri.query = None
    uri.search = None
    uri.path = uri.pathname
    src.url = url_format(uri)
    uri.query = query_obj
    uri.search = qs_stringify(query_obj)
    if uri.search:
        uri.path = js_str(uri.pathname) + "?" + uri.search
    src.full_url = url_format(uri)
    src.uri = uri
    src.query_obj = query_obj
    src.headers_obj = headers_obj
    src.all_headers = all_headers
    return src


__all__ = ["BOUNDARY", "JSError", "PostData", "Source", "header_name", "prepare"]
