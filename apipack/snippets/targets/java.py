"""java_okhttp: httpsnippet 2.0.0 ``targets/java/okhttp.js``."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import js_keys, js_str, js_truthy, json_stringify
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
            code.push('MediaType mediaType = MediaType.parse("%s; boundary=%s");', post.mime_type, post.boundary)
        else:
            code.push('MediaType mediaType = MediaType.parse("%s");', post.mime_type)
        code.push("RequestBody body = RequestBody.create(mediaType, %s);", json_stringify(post.text))

    code.push("Request request = new Request.Builder()")
    code.push(1, '.url("%s")', source.full_url)
    method = js_str(source.method)
    upper = method.upper()
    if upper not in _METHODS:
        code.push(1, '.method("%s", body)' if has_body else '.method("%s", null)', upper)
    elif upper in _WITH_BODY:
        code.push(1, ".%s(body)" if has_body else ".%s(null)", method.lower())
    else:
        code.push(1, ".%s()", method.lower())

    for key in js_keys(source.all_headers):
        code.push(1, '.addHeader("%s", "%s")', key, source.all_headers[key])
    code.push(1, ".build();").blank().push("Response response = client.newCall(request).execute();")
    return code.join()
