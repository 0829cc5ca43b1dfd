"""javascript_xhr: httpsnippet 2.0.0 ``targets/javascript/xhr.js`` (XMLHttpRequest, withCredentials)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import UNDEFINED, JSError, js_keys, js_str, js_truthy, json_stringify, prop
from apipack.snippets.httpsnippet import Source, header_name


def _json(value: object) -> str:
    out = json_stringify(value)
    return "undefined" if out is UNDEFINED else out


def render(source: Source) -> str:
    code = CodeBuilder("  ")
    post = source.post
    mime = post.mime_type
    if mime == "application/json":
        code.push(f"const data = JSON.stringify({_pretty(post.json_obj)});").blank()
    elif mime == "multipart/form-data":
        code.push("const data = new FormData();")
        if not isinstance(post.params, list):
            raise JSError("TypeError: Cannot read properties of undefined (reading 'forEach')")
        for param in post.params:
            value = prop(param, "value")
            if not js_truthy(value):
                value = prop(param, "fileName")
                if not js_truthy(value):
                    value = ""
            code.push(f"data.append({_json(prop(param, 'name'))}, {_json(value)});")
        name = header_name(source.all_headers, "content-type")
        # JS: `if (header.indexOf('boundary'))` is true unless the header STARTS with "boundary"
        if name is not None and js_str(source.all_headers[name]).find("boundary") != 0:
            del source.all_headers[name]
        code.blank()
    else:
        text = post.text if js_truthy(post.text) else None
        code.push(f"const data = {_json(text)};").blank()

    code.push("const xhr = new XMLHttpRequest();").push("xhr.withCredentials = true;").blank()
    code.push('xhr.addEventListener("readystatechange", function () {')
    code.push("if (this.readyState === this.DONE) {", 1).push("console.log(this.responseText);", 2)
    code.push("}", 1).push("});").blank()
    code.push(f"xhr.open({_json(source.method)}, {_json(source.full_url)});")
    headers = source.all_headers
    for key in js_keys(headers):
        code.push(f"xhr.setRequestHeader({_json(key)}, {_json(headers[key])});")
    code.blank().push("xhr.send(data);")
    return code.join()


def _pretty(value: object) -> str:
    out = json_stringify(value, "  ")
    return "undefined" if out is UNDEFINED else out
