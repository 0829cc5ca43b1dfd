"""java_okhttp: httpsnippet 2.0.0 ``targets/java/okhttp.js``."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import arg, js_keys, js_str, js_truthy, json_stringify
from apipack.snippets.httpsnippet import Source

_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
_WITH_BODY = ("POST", "PUT", "DELETE", "PATCH")


def render(source: Source) -> str:
    code = CodeBuilder("  ")
    post = source.post
    has_body = js_truthy(post.text)
    code.push("OkHttpClient client = new OkHttpClient();").blank()
    if has_body:
        if js_truthy(post.boundary):
            code.push(f'MediaType mediaType = MediaType.parse("{arg(post.mime_type)}; boundary={arg(post.boundary)}");')
        else:
            code.push(f'MediaType mediaType = MediaType.parse("{arg(post.mime_type)}");')
        code.push(f"RequestBody body = RequestBody.create(mediaType, {json_stringify(post.text)});")

    code.push("Request request = new Request.Builder()")
    code.push(f'.url("{arg(source.full_url)}")', 1)
    method = js_str(source.method)
    upper = method.upper()
    if upper not in _METHODS:
        code.push(f'.method("{upper}", {"body" if has_body else "null"})', 1)
    elif upper in _WITH_BODY:
        code.push(f".{method.lower()}({'body' if has_body else 'null'})", 1)
    else:
        code.push(f".{method.lower()}()", 1)

    headers = source.all_headers
    for key in js_keys(headers):
        code.push(f'.addHeader("{key}", "{arg(headers[key])}")', 1)
    code.push(".build();", 1).blank().push("Response response = client.newCall(request).execute();")
    return code.join()
