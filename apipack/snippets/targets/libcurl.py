"""c_libcurl: httpsnippet 2.0.0 ``targets/c/libcurl.js``."""

from __future__ import annotations

from apipack.snippets.code_builder import CodeBuilder
from apipack.snippets.escape import js_keys, js_str, js_truthy, json_stringify
from apipack.snippets.httpsnippet import Source


def render(source: Source) -> str:
    code = CodeBuilder()
    code.push("CURL *hnd = curl_easy_init();").blank()
    code.push('curl_easy_setopt(hnd, CURLOPT_CUSTOMREQUEST, "%s");', js_str(source.method).upper())
    code.push('curl_easy_setopt(hnd, CURLOPT_URL, "%s");', source.full_url)
    keys = js_keys(source.headers_obj)
    if keys:
        code.blank().push("struct curl_slist *headers = NULL;")
        for key in keys:
            code.push('headers = curl_slist_append(headers, "%s: %s");', key, source.headers_obj[key])
        code.push("curl_easy_setopt(hnd, CURLOPT_HTTPHEADER, headers);")
    cookie = source.all_headers.get("cookie")
    if js_truthy(cookie):
        code.blank().push('curl_easy_setopt(hnd, CURLOPT_COOKIE, "%s");', cookie)
    if js_truthy(source.post.text):
        code.blank().push("curl_easy_setopt(hnd, CURLOPT_POSTFIELDS, %s);", json_stringify(source.post.text))
    code.blank().push("CURLcode ret = curl_easy_perform(hnd);")
    return code.join()
