"""Swift ``URLSession`` (``swift_nsurlsession``): ``NSURL(string: "...")``, ``request.httpMethod = "M"``,
``let parameters = [...]`` (JSON or multipart parts) or ``postData`` built from form strings."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import literal_after, top_level_keys, unescape

_URL_RE = re.compile(r"(?:NS)?URL\(\s*string:\s*\"([^\"]+)\"")
_METHOD_RE = re.compile(r"httpMethod\s*=\s*\"([A-Za-z]+)\"")
_DATA_STRING_RE = re.compile(r"\"((?:[^\"\\]|\\.)*)\"\.data\(using:")
_PART_NAME_RE = re.compile(r"\"name\"\s*:\s*\"([^\"]+)\"")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = m.group(1)
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    call.default_method()
    params = literal_after(code, r"let\s+parameters\s*=")
    if re.search(r"let\s+parameters\s*=", code):
        call.has_body = True  # also a bare string or number as the JSON body
    if params is not None:
        if "boundary" in code:  # multipart: a list of {"name": ..., "value": ...} parts
            call.body_keys |= set(_PART_NAME_RE.findall(params))
        else:
            call.body_keys |= top_level_keys(params)
    pieces = [unescape(s) for s in _DATA_STRING_RE.findall(code)]
    call.add_body_text("".join(pieces) if pieces else None)
    call.add_url_query()
    return call
