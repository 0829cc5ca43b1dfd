"""Go ``net/http`` (``go_native``): ``url := "..."``, ``http.NewRequest("M", url, payload)``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import string_literal_after

_URL_RE = re.compile(r"url\s*:?=\s*\"([^\"]+)\"")
_NEW_REQUEST_RE = re.compile(r"http\.NewRequest(?:WithContext)?\(\s*(?:\w+\s*,\s*)?\"([A-Za-z]+)\"\s*,\s*(\"([^\"]+)\"|\w+)")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _NEW_REQUEST_RE.search(code):
        call.method = m.group(1).upper()
        if m.group(3):
            call.url = m.group(3)
    if call.url is None and (m := _URL_RE.search(code)):
        call.url = m.group(1)
    body = string_literal_after(code, r"strings\.NewReader\(")
    if body is None:
        body = string_literal_after(code, r"bytes\.NewBuffer(?:String)?\(\s*(?:\[\]byte\()?")
    call.add_body_text(body)
    call.add_url_query()
    return call
