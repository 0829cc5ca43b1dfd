"""Python ``http.client`` (``python_python3``): ``HTTPSConnection("host")`` + ``conn.request(M, path, payload)``;
also ``requests.<method>(url)`` as LLMs often write it."""

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

_CONN_RE = re.compile(r"http\.client\.HTTP(S?)Connection\(\s*[\"']([^\"']*)[\"']")
_REQUEST_RE = re.compile(r"\.request\(\s*[\"']([A-Za-z]+)[\"']\s*,\s*" + QUOTED)
_REQUESTS_RE = re.compile(r"requests\.(get|post|put|delete|patch|head|options)\(\s*[\"']([^\"']+)[\"']")


def extract(code: str) -> ExtractedCall:
    call = ExtractedCall()
    conn = _CONN_RE.search(code)
    req = _REQUEST_RE.search(code)
    if conn and req:
        scheme = "https" if conn.group(1) else "http"
        call.method = req.group(1).upper()
        path = quoted_text(req, 2)
        # a protocol-relative URL ("//about", from a server URL "/") comes out as host "about",
        # path null in httpsnippet's python target
        if path == "null" or path.startswith("null?"):
            path = path[4:]
        call.url = f"{scheme}://{conn.group(2)}{path}"
    elif m := _REQUESTS_RE.search(code):
        call.method = m.group(1).upper()
        call.url = m.group(2)
    payload = string_literal_after(code, r"\bpayload\s*=")
    if payload is not None:
        call.add_body_text(payload)
    else:
        call.add_body_literal(literal_after(code, r"\b(?:payload|json|data)\s*="))
    params = literal_after(code, r"\bparams\s*=")
    if params is not None:
        call.query_keys |= top_level_keys(params)
    call.add_url_query()
    return call
