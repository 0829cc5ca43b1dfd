"""swift_nsurlsession snippets, checked without a Swift toolchain.

Debian 12 ships no Swift compiler (swift.org's toolchain is a download, which this project may
not fetch), so Swift snippets are not run. What can be checked without one is checked: the URL,
the HTTP method and the header names are read from the code and compared like a request that
arrived; the body is reported as not checked.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from apipack.verify.echo import CASE_PREFIX, ArrivedRequest

NOT_RUN_REASON = ("swift: no Swift toolchain in Debian's packages; URL, method and headers are checked "
                  "statically, the body is not")

_URL = re.compile(r'NSURL\(string:\s*"((?:[^"\\]|\\.)*)"\)')
_METHOD = re.compile(r'request\.httpMethod\s*=\s*"([A-Z]+)"')
_HEADERS = re.compile(r'let headers = \[(.*?)\]\n', re.S)
_HEADER_ITEM = re.compile(r'"((?:[^"\\]|\\.)*)":\s*"((?:[^"\\]|\\.)*)"')


def static_request(code: str) -> ArrivedRequest | None:
    """The request the snippet would send, as far as the text says; None when it has no URL."""
    url_match = _URL.search(code)
    if not url_match:
        return None
    parts = urlsplit(url_match.group(1).replace('\\"', '"'))
    path = parts.path
    if path.startswith(CASE_PREFIX):
        path = "/" + path[len(CASE_PREFIX):].partition("/")[2]
    method_match = _METHOD.search(code)
    headers: dict[str, str] = {}
    block = _HEADERS.search(code)
    if block:
        for name, value in _HEADER_ITEM.findall(block.group(1)):
            headers[name.lower()] = value
    return ArrivedRequest(method=method_match.group(1) if method_match else "GET", path=path,
                          query=parse_qsl(parts.query, keep_blank_values=True), headers=headers,
                          body=b"", raw_target=url_match.group(1))
