"""PHP cURL (``php_curl``): ``CURLOPT_URL => "..."``, ``CURLOPT_CUSTOMREQUEST => "M"``, ``CURLOPT_POSTFIELDS``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import (
    QUOTED,
    body_keys,
    literal_after,
    quoted_text,
    string_literal_after,
    top_level_keys,
)

_URL_RE = re.compile(r"CURLOPT_URL\s*(?:=>|,)\s*" + QUOTED)
_METHOD_RE = re.compile(r"CURLOPT_CUSTOMREQUEST\s*(?:=>|,)\s*[\"']([A-Za-z]+)[\"']")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = quoted_text(m)
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    body = string_literal_after(code, r"CURLOPT_POSTFIELDS\s*(?:=>|,)")
    if body is not None:
        call.has_body = True
        call.body_keys |= body_keys(body)
    elif (arr := literal_after(code, r"CURLOPT_POSTFIELDS\s*(?:=>|,)\s*(?:json_encode\(|http_build_query\()?")) is not None:
        call.has_body = True
        call.body_keys |= top_level_keys(arr)
    if call.method is None and call.url:
        call.method = "POST" if call.has_body else "GET"  # libcurl's defaults
    call.add_url_query()
    return call
