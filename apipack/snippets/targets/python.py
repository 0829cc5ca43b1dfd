"""python_python3: httpsnippet 2.0.0 ``targets/python/python3.js`` (http.client)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import UNDEFINED, js_keys, json_stringify
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder()
    code.push("import http.client").blank()
    uri = source.uri
    if uri.protocol == "https:":
        code.push('conn = http.client.HTTPSConnection("%s")', uri.host).blank()
    else:
        code.push('conn = http.client.HTTPConnection("%s")', uri.host).blank()

    payload = json_stringify(source.post.text)
    has_payload = payload is not UNDEFINED and payload != ""
    if has_payload:
        code.push("payload = %s", payload).blank()

    headers = source.all_headers
    keys = js_keys(headers)
    if len(keys) == 1:
        code.push("headers = { '%s': \"%s\" }", keys[0], headers[keys[0]]).blank()
    elif len(keys) > 1:
        code.push("headers = {")
        last = len(keys) - 1
        for i, key in enumerate(keys):
            code.push("    '%s': \"%s\"," if i != last else "    '%s': \"%s\"", key, headers[key])
        code.push("    }").blank()

    method, path = source.method, uri.path
    if has_payload and keys:
        code.push('conn.request("%s", "%s", payload, headers)', method, path)
    elif has_payload:
        code.push('conn.request("%s", "%s", payload)', method, path)
    elif keys:
        code.push('conn.request("%s", "%s", headers=headers)', method, path)
    else:
        code.push('conn.request("%s", "%s")', method, path)
    code.blank().push("res = conn.getresponse()").push("data = res.read()").blank()
    code.push('print(data.decode("utf-8"))')
    return code.join()
