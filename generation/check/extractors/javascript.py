"""Browser JavaScript XHR (``javascript_xhr``): ``xhr.open("M", "url")`` and ``const data = ...``;
also ``fetch("url", {method, body})`` as LLMs often write it."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import (
    QUOTED,
    literal_after,
    quoted_text,
    string_literal_after,
    top_level_keys,
)

_OPEN_RE = re.compile(r"\.open\(\s*[\"']([A-Za-z]+)[\"']\s*,\s*(?:" + QUOTED + r"|`([^`]+)`)")
_FETCH_RE = re.compile(r"fetch\(\s*[\"'`]([^\"'`]+)[\"'`]")
_FETCH_METHOD_RE = re.compile(r"method:\s*[\"']([A-Za-z]+)[\"']")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _OPEN_RE.search(code):
        call.method = m.group(1).upper()
        call.url = m.group(4) if m.group(4) is not None else quoted_text(m, 2)
    elif m := _FETCH_RE.search(code):
        call.url = m.group(1)
        mm = _FETCH_METHOD_RE.search(code)
        call.method = mm.group(1).upper() if mm else "GET"
    obj = literal_after(code, r"JSON\.stringify\(")
    if obj is not None or "JSON.stringify(" in code:
        call.has_body = True
        call.body_keys |= top_level_keys(obj or "")
    else:
        call.add_body_text(string_literal_after(code, r"\b(?:const|let|var)\s+data\s*="))
    appended = re.findall(r"\.append\(\s*[\"']([^\"']+)[\"']", code)
    if appended:
        call.has_body = True
        call.body_keys |= set(appended)
    call.add_url_query()
    return call
