"""php_curl: httpsnippet 2.0.0 ``targets/php/curl.js`` (ext-curl, default options)."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import (
    UNDEFINED,
    arg,
    encode_uri_component,
    js_keys,
    js_sorted,
    json_stringify,
    prop,
)
from apipack.snippets.httpsnippet import Source

_TAIL = ("]);", "", "$response = curl_exec($curl);", "$err = curl_error($curl);", "", "curl_close($curl);", "",
         "if ($err) {", '  echo "cURL Error #:" . $err;', "} else {", "  echo $response;", "}")


def render(source: Source) -> str:
    code = CodeBuilder("  ")
    code.push("<?php").blank().push("$curl = curl_init();").blank()
    options = (
        (True, "CURLOPT_PORT", source.uri.port),
        (True, "CURLOPT_URL", source.full_url),
        (False, "CURLOPT_RETURNTRANSFER", "true"),
        (True, "CURLOPT_ENCODING", ""),
        (False, "CURLOPT_MAXREDIRS", "10"),
        (False, "CURLOPT_TIMEOUT", "30"),
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
        opts.push(f"{name} => {arg(shown)},")
    if source.cookies:
        cookies = "; ".join(encode_uri_component(prop(c, "name")) + "=" + encode_uri_component(prop(c, "value"))
                            for c in source.cookies)
        opts.push(f'CURLOPT_COOKIE => "{cookies}",')
    headers_obj = source.headers_obj
    headers = [f'"{key}: {arg(headers_obj[key])}"' for key in js_sorted(js_keys(headers_obj))]
    if headers:
        opts.push("CURLOPT_HTTPHEADER => [").push(",\n    ".join(headers), 1).push("],")
    code.push(opts.join(), 1)
    code.code.extend(_TAIL)
    return code.join()
