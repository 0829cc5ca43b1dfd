"""swift_nsurlsession: httpsnippet 2.0.0 ``targets/swift/nsurlsession.js`` and its ``helpers.js``."""

from __future__ import annotations

from typing import Any

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import UNDEFINED, arg, js_keys, js_str, js_truthy, prop
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
        pairs = [f'"{k}": {literal(value[k], level)}' for k in js_keys(value)]
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
                # httpsnippet throws here ("reading 'name'") and openapi-snippet loses the endpoint;
                # rendered as it would be had it not thrown: the (empty) form text as the body
                text = post.text if isinstance(post.text, str) else ""
                code.blank().push(f'let postData = NSMutableData(data: "{arg(text)}".data(using: String.Encoding.utf8)!)')
                params = []
            else:
                first = f"{arg(prop(params[0], 'name'))}={arg(prop(params[0], 'value'))}"
                code.blank().push(f'let postData = NSMutableData(data: "{first}".data(using: String.Encoding.utf8)!)')
            for param in params[1:]:
                pair = f"{arg(prop(param, 'name'))}={arg(prop(param, 'value'))}"
                code.push(f'postData.append("&{pair}".data(using: String.Encoding.utf8)!)')
        elif mime == "application/json":
            if js_truthy(post.json_obj):
                # the declaration is util.format's format string here: '%' in the data is live
                code.push_format("let parameters = " + literal(post.json_obj), "as [String : Any]")
                code.blank().push("let postData = JSONSerialization.data(withJSONObject: parameters, options: [])")
        elif mime == "multipart/form-data":
            _multipart(code, post.params, post.boundary)
        else:
            code.blank().push(f'let postData = NSData(data: "{arg(post.text)}".data(using: String.Encoding.utf8)!)')

    code.blank()
    code.push(f'let request = NSMutableURLRequest(url: NSURL(string: "{arg(source.full_url)}")! as URL,')
    code.push("                                        cachePolicy: .useProtocolCachePolicy,")
    code.push("                                    timeoutInterval: 10.0)")
    code.push(f'request.httpMethod = "{arg(source.method)}"')
    if has_headers:
        code.push("request.allHTTPHeaderFields = headers")
    if has_body:
        code.push("request.httpBody = postData as Data")
    code.blank().push("let session = URLSession.shared")
    code.push("let dataTask = session.dataTask(with: request as URLRequest, "
              "completionHandler: { (data, response, error) -> Void in")
    code.push("if (error != nil) {", 1).push("print(error)", 2).push("} else {", 1)
    code.push("let httpResponse = response as? HTTPURLResponse", 2).push("print(httpResponse)", 2)
    code.push("}", 1).push("})").blank().push("dataTask.resume()")
    return code.join()


def _multipart(code: CodeBuilder, params: Any, boundary: Any) -> None:
    code.push("let parameters = " + literal(params)).blank()
    code.push(f'let boundary = "{arg(boundary)}"').blank()
    code.push('var body = ""').push("var error: NSError? = nil").push("for param in parameters {")
    code.push('let paramName = param["name"]!', 1)
    code.push('body += "--\\(boundary)\\r\\n"', 1)
    code.push('body += "Content-Disposition:form-data; name=\\"\\(paramName)\\""', 1)
    code.push('if let filename = param["fileName"] {', 1)
    code.push('let contentType = param["content-type"]!', 2)
    code.push("let fileContent = String(contentsOfFile: filename, encoding: String.Encoding.utf8)", 2)
    code.push("if (error != nil) {", 2).push("print(error)", 3).push("}", 2)
    code.push('body += "; filename=\\"\\(filename)\\"\\r\\n"', 2)
    code.push('body += "Content-Type: \\(contentType)\\r\\n\\r\\n"', 2)
    code.push("body += fileContent", 2)
    code.push('} else if let paramValue = param["value"] {', 1)
    code.push('body += "\\r\\n\\r\\n\\(paramValue)"', 2)
    code.push("}", 1).push("}")

