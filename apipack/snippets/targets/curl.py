"""shell_curl: httpsnippet 2.0.0 ``targets/shell/curl.js`` (default options)."""

from __future__ import annotations

import re

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import JSError, arg, js_keys, js_sorted, js_str, js_truthy, prop, shell_quote
from apipack.snippets.httpsnippet import Source, header_name

# JS /; boundary.+?(?=(;|$))/ : "." stops at line terminators, "$" is the end of the input
_BOUNDARY = re.compile("; boundary[^\n\r\u2028\u2029]+?(?=;|\\Z)")


def _quote(value: object) -> str:
    return shell_quote(value) if isinstance(value, str) else js_str(value)


def render(source: Source) -> str:
    code = CodeBuilder("  ", " \\\n  ")
    code.push(f"curl --request {arg(source.method)}")
    code.push("--url " + _quote(source.full_url))
    if source.http_version == "HTTP/1.0":
        code.push("--http1.0")

    post = source.post
    if post.mime_type == "multipart/form-data":
        strip_multipart_boundary(source)

    headers = source.headers_obj
    for key in js_sorted(js_keys(headers)):
        code.push("--header " + _quote(f"{key}: {arg(headers[key])}"))
    cookie = source.all_headers.get("cookie")
    if js_truthy(cookie):
        code.push("--cookie " + _quote(cookie))

    if post.mime_type == "multipart/form-data":
        if not isinstance(post.params, list):
            raise JSError("TypeError: Cannot read properties of undefined (reading 'forEach')")
        for param in post.params:
            name = arg(prop(param, "name"))
            file_name = prop(param, "fileName")
            text = f"{name}=@{arg(file_name)}" if js_truthy(file_name) else f"{name}={arg(prop(param, 'value'))}"
            code.push("--form " + _quote(text))
    elif post.mime_type == "application/x-www-form-urlencoded":
        if js_truthy(post.params):
            for param in post.params:
                code.push("--data " + _quote(f"{arg(prop(param, 'name'))}={arg(prop(param, 'value'))}"))
        else:
            code.push("--data " + _quote(post.text))
    elif js_truthy(post.text):
        code.push("--data " + _quote(post.text))
    return code.join()


def strip_multipart_boundary(source: Source) -> None:
    """curl.js rewrites the shared request in place: later targets see the header without boundary."""
    name = header_name(source.headers_obj, "content-type")
    value = source.headers_obj.get(name) if name is not None else None
    if name and js_truthy(value):
        if not isinstance(value, str):
            raise JSError("TypeError: contentTypeHeader.replace is not a function")
        stripped = _BOUNDARY.sub("", value, count=1)
        source.headers_obj[name] = stripped
        source.all_headers[name] = stripped
