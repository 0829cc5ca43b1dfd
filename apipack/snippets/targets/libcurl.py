"""c_libcurl: httpsnippet 2.0.0 ``targets/c/libcurl.js``."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import arg, js_keys, js_str, js_truthy, json_stringify
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder()
    code.push("CURL *hnd = curl_easy_init();").blank()
    code.push(f'curl_easy_setopt(hnd, CURLOPT_CUSTOMREQUEST, "{js_str(source.method).upper()}");')
    code.push(f'curl_easy_setopt(hnd, CURLOPT_URL, "{arg(source.full_url)}");')
    headers = source.headers_obj
    keys = js_keys(headers)
    if keys:
        code.blank().push("struct curl_slist *headers = NULL;")
        for key in keys:
            code.push(f'headers = curl_slist_append(headers, "{key}: {arg(headers[key])}");')
        code.push("curl_easy_setopt(hnd, CURLOPT_HTTPHEADER, headers);")
    cookie = source.all_headers.get("cookie")
    if js_truthy(cookie):
        code.blank().push(f'curl_easy_setopt(hnd, CURLOPT_COOKIE, "{arg(cookie)}");')
    if js_truthy(source.post.text):
        code.blank().push(f"curl_easy_setopt(hnd, CURLOPT_POSTFIELDS, {json_stringify(source.post.text)});")
    code.blank().push("CURLcode ret = curl_easy_perform(hnd);")
    return code.join()
