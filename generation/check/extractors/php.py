"""PHP cURL (``php_curl``): ``CURLOPT_URL => "..."``, ``CURLOPT_CUSTOMREQUEST => "M"``, ``CURLOPT_POSTFIELDS``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import (
    QUOTED,
    literal_after,
    quoted_text,
    string_literal_after,
    unescape,
)

_URL_RE = re.compile(r"CURLOPT_URL\s*(?:=>|,)\s*" + QUOTED)
_METHOD_RE = re.compile(r"CURLOPT_CUSTOMREQUEST\s*(?:=>|,)\s*[\"']([A-Za-z]+)[\"']")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = unescape(quoted_text(m))  # "\$count": PHP escapes "$" in double quotes
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    body = string_literal_after(code, r"CURLOPT_POSTFIELDS\s*(?:=>|,)")
    if body is not None:
        call.add_body_text(body)
    else:
        call.add_body_literal(literal_after(code, r"CURLOPT_POSTFIELDS\s*(?:=>|,)\s*(?:json_encode\(|http_build_query\()?"))
    call.default_method(post_with_body=True)
    call.add_url_query()
    return call
