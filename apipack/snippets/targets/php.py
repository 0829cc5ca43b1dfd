"""php_curl: httpsnippet 2.0.0 ``targets/php/curl.js`` (ext-curl, default options)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import (
    UNDEFINED,
    encode_uri_component,
    js_keys,
    js_sorted,
    json_stringify,
    prop,
    util_format,
)
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder("  ")
    code.push("<?php").blank().push("$curl = curl_init();").blank()
    options = (
        (True, "CURLOPT_PORT", source.uri.port),
        (True, "CURLOPT_URL", source.full_url),
        (False, "CURLOPT_RETURNTRANSFER", "true"),
        (True, "CURLOPT_ENCODING", ""),
        (False, "CURLOPT_MAXREDIRS", 10),
        (False, "CURLOPT_TIMEOUT", 30),
        (False, "CURLOPT_HTTP_VERSION",
         "CURL_HTTP_VERSION_1_0" if source.http_version == "HTTP/1.0" else "CURL_HTTP_VERSION_1_1"),
        (True, "CURLOPT_CUSTOMREQUEST", source.method),
        (True, "CURLOPT_POSTFIELDS", source.post.text),
    )
    code.push("curl_setopt_array($curl, [")
    opts = CodeBuilder("  ", "\n  ")
    for escape, name, value in options:
        if value is None or value is UNDEFINED:
            continue
        shown = json_stringify(value) if escape else value
        opts.push(util_format("%s => %s,", name, "undefined" if shown is UNDEFINED else shown))
    if source.cookies:
        cookies = "; ".join(encode_uri_component(prop(c, "name")) + "=" + encode_uri_component(prop(c, "value"))
                            for c in source.cookies)
        opts.push(util_format('CURLOPT_COOKIE => "%s",', cookies))
    headers_obj = source.headers_obj
    headers = [util_format('"%s: %s"', key, headers_obj[key]) for key in js_sorted(js_keys(headers_obj))]
    if headers:
        opts.push("CURLOPT_HTTPHEADER => [").push(1, ",\n    ".join(headers)).push("],")
    code.push(1, opts.join()).push("]);").blank()
    code.push("$response = curl_exec($curl);").push("$err = curl_error($curl);").blank()
    code.push("curl_close($curl);").blank().push("if ($err) {")
    code.push(1, 'echo "cURL Error #:" . $err;')
    code.push("} else {").push(1, "echo $response;").push("}")
    return code.join()
