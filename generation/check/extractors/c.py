"""C libcurl (``c_libcurl``): ``curl_easy_setopt(hnd, CURLOPT_URL / CURLOPT_CUSTOMREQUEST / CURLOPT_POSTFIELDS, ...)``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import string_literal_after

_URL_RE = re.compile(r"CURLOPT_URL\s*,\s*\"([^\"]+)\"")
_METHOD_RE = re.compile(r"CURLOPT_CUSTOMREQUEST\s*,\s*\"([A-Za-z]+)\"")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = m.group(1)
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    call.add_body_text(string_literal_after(code, r"CURLOPT_POSTFIELDS\s*,"))
    call.body_keys |= set(re.findall(r"curl_mime_name\(\s*\w+\s*,\s*\"([^\"]+)\"", code))
    call.default_method(post_with_body=True)
    call.add_url_query()
    return call
