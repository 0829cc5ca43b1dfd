"""Java OkHttp (``java_okhttp``): ``.url("...")``, ``.get()`` / ``.post(body)`` / ``.method("M", body)``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import string_literal_after

_URL_RE = re.compile(r"\.url\(\s*\"([^\"]+)\"\s*\)")
# a verb with a body takes any expression (``.post(RequestBody.create(null, new byte[0]))``)
_VERB_RE = re.compile(r"\.(?:(get|head)\(\s*\)|(post|put|delete|patch)\()")
_METHOD_RE = re.compile(r"\.method\(\s*\"([A-Za-z]+)\"")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _URL_RE.search(code):
        call.url = m.group(1)
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    elif m := _VERB_RE.search(code):
        call.method = (m.group(1) or m.group(2)).upper()
    call.default_method()  # OkHttp's Request.Builder defaults to GET
    call.add_body_text(string_literal_after(code, r"RequestBody\.create\(\s*\w+\s*,"))
    call.body_keys |= set(re.findall(r"\.add(?:Form(?:Data)?Part|EncodedPart)?\(\s*\"([^\"]+)\"", code))
    call.add_url_query()
    return call
