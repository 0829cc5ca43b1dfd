"""swift_nsurlsession: httpsnippet 2.0.0 ``targets/swift/nsurlsession.js`` and its ``helpers.js``."""

from __future__ import annotations

from typing import Any

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import UNDEFINED, JSError, js_keys, js_str, js_truthy, prop, util_format
from apipack.snippets.httpsnippet import Source

_INDENT = "  "


def _concat(items: list[str], pretty: bool, level: int) -> str:
    if pretty:
        current = _INDENT * level
        return "[\n" + current + (",\n" + current).join(items) + "\n" + _INDENT * (level - 1) + "]"
    return "[" + ", ".join(items) + "]"


def literal(value: Any, level: int = 0) -> str:
    """helpers.literalRepresentation (``level`` is the caller's indentLevel, 0 for the top)."""
    level += 1
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_str(value)
    if isinstance(value, list):
        pretty = False
        items = []
        for v in value:
            if isinstance(v, dict):
                pretty = len(v) > 1  # the last object element decides, as in JS
            items.append(literal(v, level))
        return _concat(items, pretty, level)
    if isinstance(value, dict):
        pairs = [util_format('"%s": %s', k, literal(value[k], level)) for k in js_keys(value)]
        return _concat(pairs, len(pairs) > 1, level)
    if value is None or value is UNDEFINED:
        return ""
    return '"' + js_str(value).replace('"', '\\"') + '"'


def render(source: Source) -> str:
    code = CodeBuilder(_INDENT)
    post = source.post
    code.push("import Foundation")
    has_headers = bool(source.all_headers)
    if has_headers:
        code.blank().push("let headers = " + literal(source.all_headers))
    has_body = js_truthy(post.text) or js_truthy(post.json_obj) or js_truthy(post.params)
    if has_body:
        mime = post.mime_type
        if mime == "application/x-www-form-urlencoded":
            params = post.params
            if not isinstance(params, list) or not params:
                raise JSError("TypeError: Cannot read properties of undefined (reading 'name')")
            code.blank().push('let postData = NSMutableData(data: "%s=%s".data(using: String.Encoding.utf8)!)',
                              prop(params[0], "name"), prop(params[0], "value"))
            for param in params[1:]:
                code.push('postData.append("&%s=%s".data(using: String.Encoding.utf8)!)',
                          prop(param, "name"), prop(param, "value"))
        elif mime == "application/json":
            if js_truthy(post.json_obj):
                # the declaration is util.format's format string here: '%' in the data is live
                code.push(util_format("let parameters = " + literal(post.json_obj), "as [String : Any]"))
                code.blank().push("let postData = JSONSerialization.data(withJSONObject: parameters, options: [])")
        elif mime == "multipart/form-data":
            _multipart(code, post.params, post.boundary)
        else:
            code.blank().push('let postData = NSData(data: "%s".data(using: String.Encoding.utf8)!)', post.text)

    code.blank()
    code.push('let request = NSMutableURLRequest(url: NSURL(string: "%s")! as URL,', source.full_url)
    code.push("                                        cachePolicy: .useProtocolCachePolicy,")
    code.push("                                    timeoutInterval: %s)", "10.0")
    code.push('request.httpMethod = "%s"', source.method)
    if has_headers:
        code.push("request.allHTTPHeaderFields = headers")
    if has_body:
        code.push("request.httpBody = postData as Data")
    code.blank().push("let session = URLSession.shared")
    code.push("let dataTask = session.dataTask(with: request as URLRequest, "
              "completionHandler: { (data, response, error) -> Void in")
    code.push(1, "if (error != nil) {").push(2, "print(error)").push(1, "} else {")
    code.push(2, "let httpResponse = response as? HTTPURLResponse").push(2, "print(httpResponse)")
    code.push(1, "}").push("})").blank().push("dataTask.resume()")
    return code.join()


def _multipart(code: CodeBuilder, params: Any, boundary: Any) -> None:
    code.push("let parameters = " + literal(params)).blank()
    code.push('let boundary = "%s"', boundary).blank()
    code.push('var body = ""').push("var error: NSError? = nil").push("for param in parameters {")
    code.push(1, 'let paramName = param["name"]!')
    code.push(1, 'body += "--\\(boundary)\\r\\n"')
    code.push(1, 'body += "Content-Disposition:form-data; name=\\"\\(paramName)\\""')
    code.push(1, 'if let filename = param["fileName"] {')
    code.push(2, 'let contentType = param["content-type"]!')
    code.push(2, "let fileContent = String(contentsOfFile: filename, encoding: String.Encoding.utf8)")
    code.push(2, "if (error != nil) {").push(3, "print(error)").push(2, "}")
    code.push(2, 'body += "; filename=\\"\\(filename)\\"\\r\\n"')
    code.push(2, 'body += "Content-Type: \\(contentType)\\r\\n\\r\\n"')
    code.push(2, "body += fileContent")
    code.push(1, '} else if let paramValue = param["value"] {')
    code.push(2, 'body += "\\r\\n\\r\\n\\(paramValue)"')
    code.push(1, "}").push("}")

