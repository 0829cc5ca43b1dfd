"""Node ``request`` (``node_request``): an options object with ``method``, ``url``, ``qs``, ``body`` /
``form`` / ``formData``."""

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

_METHOD_RE = re.compile(r"method:\s*['\"]([A-Za-z]+)['\"]")
_URL_RE = re.compile(r"url:\s*(?:" + QUOTED + r"|`([^`]+)`)")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    if m := _URL_RE.search(code):
        call.url = m.group(3) if m.group(3) is not None else quoted_text(m)
    call.default_method()  # request's default
    qs = literal_after(code, r"\bqs:")
    if qs is not None:
        call.query_keys |= top_level_keys(qs)
    for field in ("body", "form", "formData"):
        obj = literal_after(code, rf"\b{field}:")
        if obj is not None:
            call.add_body_literal(obj)
        else:
            call.add_body_text(string_literal_after(code, rf"\b{field}:"))
    call.add_url_query()
    return call
