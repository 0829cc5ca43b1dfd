"""python_python3: httpsnippet 2.0.0 ``targets/python/python3.js`` (http.client)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import UNDEFINED, arg, js_keys, json_stringify
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder()
    code.push("import http.client").blank()
    uri = source.uri
    kind = "HTTPSConnection" if uri.protocol == "https:" else "HTTPConnection"
    code.push(f'conn = http.client.{kind}("{arg(uri.host)}")').blank()

    payload = json_stringify(source.post.text)
    has_payload = payload is not UNDEFINED
    if has_payload:
        code.push(f"payload = {payload}").blank()

    headers = source.all_headers
    keys = js_keys(headers)
    if len(keys) == 1:
        code.push(f"headers = {{ '{keys[0]}': \"{arg(headers[keys[0]])}\" }}").blank()
    elif len(keys) > 1:
        code.push("headers = {")
        last = len(keys) - 1
        for i, key in enumerate(keys):
            code.push(f"    '{key}': \"{arg(headers[key])}\"{',' if i != last else ''}")
        code.push("    }").blank()

    head = f'conn.request("{arg(source.method)}", "{arg(uri.path)}"'
    if has_payload:
        code.push(head + (", payload, headers)" if keys else ", payload)"))
    else:
        code.push(head + (", headers=headers)" if keys else ")"))
    code.blank().push("res = conn.getresponse()").push("data = res.read()").blank()
    code.push('print(data.decode("utf-8"))')
    return code.join()
