"""cURL (``shell_curl``): ``curl --request M --url U --data ... --form ...``."""

from __future__ import annotations

import re

from generation.check.call import ExtractedCall
from generation.check.literals import body_keys, unescape

# a shell word: '...' (with '\'' for a quote inside, as httpsnippet writes it), "..." or bare
_ARG = r"""('((?:[^']|'\\'')*)'|"((?:[^"\\]|\\.)*)"|(\S+))"""
_METHOD_RE = re.compile(r"(?:--request|-X)\s+['\"]?([A-Za-z]+)")
_HEAD_RE = re.compile(r"\s(?:--head|-I)\b")  # how httpsnippet writes a HEAD request
_URL_RE = re.compile(r"--url\s+" + _ARG)
_BARE_URL_RE = re.compile(r"""['"]?(https?://[^\s'"]+)""")
_DATA_RE = re.compile(r"(?:--data(?:-raw|-binary|-urlencode)?|-d)\s+" + _ARG)
_FORM_RE = re.compile(r"(?:--form|-F)\s+" + _ARG)


def _value(m: re.Match[str]) -> str:
    if m.group(2) is not None:
        return m.group(2).replace("'\\''", "'")
    if m.group(3) is not None:
        return unescape(m.group(3))
    return m.group(4)


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    if m := _METHOD_RE.search(code):
        call.method = m.group(1).upper()
    elif _HEAD_RE.search(code):
        call.method = "HEAD"
    if m := _URL_RE.search(code):
        call.url = _value(m)
    elif m := _BARE_URL_RE.search(code):
        call.url = m.group(1)
    data = [_value(m) for m in _DATA_RE.finditer(code)]
    forms = [_value(m) for m in _FORM_RE.finditer(code)]
    if data or forms:
        call.has_body = True
        if call.method is None:  # curl sends POST when data is given and no method is named
            call.method = "POST"
    if len(data) == 1:
        call.body_keys |= body_keys(data[0])
    else:
        call.body_keys |= {d.split("=", 1)[0] for d in data if "=" in d}
    call.body_keys |= {f.split("=", 1)[0] for f in forms if "=" in f}
    if call.method is None and call.url:
        call.method = "GET"
    call.add_url_query()
    return call
