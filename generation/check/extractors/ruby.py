"""Ruby ``net/http`` (``ruby_native``): ``URI("...")``, ``Net::HTTP::Post.new(url)``, ``request.body = "..."``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import QUOTED, body_keys, quoted_text, string_literal_after

_URL_RE = re.compile(r"URI(?:\.parse)?\(\s*" + QUOTED)
_METHOD_RE = re.compile(r"Net::HTTP::([A-Z][a-z]+)\.new")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = quoted_text(m)
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    body = string_literal_after(code, r"\.body\s*=")
    if body is not None:
        call.has_body = True
        call.body_keys |= body_keys(body)
    call.add_url_query()
    return call
