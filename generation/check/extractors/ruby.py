"""Ruby ``net/http`` (``ruby_native``): ``URI("...")``, ``Net::HTTP::Post.new(url)``, ``request.body = "..."``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import QUOTED, quoted_text, string_literal_after

_URL_RE = re.compile(r"URI(?:\.parse)?\(\s*" + QUOTED)
_METHOD_RE = re.compile(r"Net::HTTP::([A-Z][a-z]+)\.new")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = quoted_text(m)
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    call.add_body_text(string_literal_after(code, r"\.body\s*="))
    call.add_url_query()
    return call
