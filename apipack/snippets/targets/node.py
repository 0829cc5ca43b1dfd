"""node_request: httpsnippet 2.0.0 ``targets/node/request.js`` (stringify-object, 80-char inline limit)."""

from __future__ import annotations

import re

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import JSError, encode_uri_component, js_str, js_truthy, prop, stringify_object
from apipack.snippets.httpsnippet import Source

_READ_STREAM = re.compile(r"""'fs\.createReadStream\("([^\n\r\u2028\u2029]+)"\)'""")


def render(source: Source) -> str:
    include_fs = False
    code = CodeBuilder("  ")
    code.push("const request = require('request');").blank()
    req: dict = {"method": source.method, "url": source.url}
    if source.query_obj:
        req["qs"] = source.query_obj
    if source.headers_obj:
        req["headers"] = source.headers_obj

    post = source.post
    mime = post.mime_type
    if mime == "application/x-www-form-urlencoded":
        req["form"] = post.params_obj
    elif mime == "application/json":
        if js_truthy(post.json_obj):
            req["body"] = post.json_obj
            req["json"] = True
    elif mime == "multipart/form-data":
        form: dict = {}
        req["formData"] = form
        if not isinstance(post.params, list):
            raise JSError("TypeError: Cannot read properties of undefined (reading 'forEach')")
        for param in post.params:
            name = js_str(prop(param, "name"))
            file_name, content_type = prop(param, "fileName"), prop(param, "contentType")
            if not js_truthy(file_name) and not js_truthy(content_type):
                form[name] = prop(param, "value")
                continue
            attachment: dict = {}
            if js_truthy(file_name):
                include_fs = True
                attachment["value"] = f'fs.createReadStream("{js_str(file_name)}")'
            elif js_truthy(prop(param, "value")):
                attachment["value"] = param["value"]
            if js_truthy(file_name):
                attachment["options"] = {"filename": file_name,
                                         "contentType": content_type if js_truthy(content_type) else None}
            form[name] = attachment
    elif js_truthy(post.text):
        req["body"] = post.text

    if source.cookies:
        req["jar"] = "JAR"
        code.push("const jar = request.jar();")
        for cookie in source.cookies:
            code.push(f"jar.setCookie(request.cookie('{encode_uri_component(prop(cookie, 'name'))}="
                      f"{encode_uri_component(prop(cookie, 'value'))}'), '{source.url}');")
        code.blank()
    if include_fs:
        code.unshift("const fs = require('fs');")

    code.push(f"const options = {stringify_object(req, '  ', 80)};").blank()
    code.push("request(options, function (error, response, body) {")
    code.push("if (error) throw new Error(error);", 1).blank()
    code.push("console.log(body);", 1).push("});").blank()
    text = code.join().replace('"JAR"', "jar", 1)
    return _READ_STREAM.sub(r"fs.createReadStream('\1')", text) if include_fs else text
