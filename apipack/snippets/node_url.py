"""node's legacy ``url.parse(u, true, true)`` / ``url.format`` and ``querystring`` (node 20).

Only what httpsnippet 2.0.0 calls is ported, with its quirks: hostnames cut at the first
character RFC 2396 forbids (so ``https://{region}.api.com/v1`` has an empty host and the path
``%7Bregion%7D.api.com/v1``), "unwise" characters escaped in the rest, IDNA via ``toASCII``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import unquote

from apipack.snippets.escape import UNDEFINED, JSError, encode_uri_component, js_keys, js_number, js_str

_PROTOCOL = re.compile(r"[a-zA-Z0-9.+\-]+:")
_PORT = re.compile(r":[0-9]*\Z")
_WS = "".join(chr(c) for c in range(33)) + "\u00a0\ufeff"
_SLASHED = frozenset(("http", "http:", "https", "https:", "ftp", "ftp:", "gopher", "gopher:",
                      "file", "file:", "ws", "ws:", "wss", "wss:"))
_HOSTLESS = frozenset(("javascript", "javascript:"))
_NON_HOST = frozenset(" \"%';<>\\^`{|}")
_HOST_END = frozenset("#/?")
_HOST_SCAN = re.compile("[\t\n\r \"%';<>\\\\^`{|}#/?@]")
_SPLIT = re.compile("[?#]")
_HOSTNAME_CUT = re.compile(r"[/\\#?:]")
_AUTO_ESCAPE = {"\t": "%09", "\n": "%0A", "\r": "%0D", " ": "%20", '"': "%22", "'": "%27",
                "<": "%3C", ">": "%3E", "\\": "%5C", "^": "%5E", "`": "%60", "{": "%7B",
                "|": "%7C", "}": "%7D"}
_AUTO_ESCAPE_RE = re.compile("[\t\n\r \"'<>\\\\^`{|}]")
_FORBIDDEN_HOST = re.compile(r"[\0\t\n\r #%/:<>?@\[\\\]^|]")
_FORBIDDEN_HOST_V6 = re.compile(r"[\0\t\n\r #%/<>?@\\^|]")
_AUTH_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!-._~'()*:")


class Url:
    """The fields of node's ``Url`` object that httpsnippet reads or writes."""

    __slots__ = ("protocol", "slashes", "auth", "host", "port", "hostname", "hash", "search",
                 "query", "pathname", "path")

    def __init__(self) -> None:
        self.protocol: str | None = None
        self.slashes: bool | None = None
        self.auth: str | None = None
        self.host: str | None = None
        self.port: str | None = None
        self.hostname: str | None = None
        self.hash: str | None = None
        self.search: str | None = None
        self.query: Any = None
        self.pathname: str | None = None
        self.path: str | None = None


_DISALLOWED = frozenset(("Zl", "Zp", "Zs", "Cs", "Co", "Cn"))
_IGNORED = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u034f\u180b\u180c\u180d"))


def _to_ascii(hostname: str) -> str:
    """``toASCII`` of node's encoding binding: UTS #46 (non-transitional, non-strict) + punycode.

    The UTS #46 mapping is approximated by NFKC of the lower-cased label minus the ignored
    code points; exact for the host names seen in practice (ASCII ones are returned as they are).
    """
    if hostname.isascii() and "xn--" not in hostname:
        return hostname
    labels = []
    for label in unicodedata.normalize("NFKC", hostname.lower().translate(_IGNORED)).split("."):
        if label.startswith("xn--"):
            try:
                label.encode("ascii")
                label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                raise JSError("TypeError [ERR_INVALID_URL]: Invalid URL") from None
        elif not label.isascii():
            if any(unicodedata.category(c) in _DISALLOWED for c in label):
                raise JSError("TypeError [ERR_INVALID_URL]: Invalid URL")
            label = "xn--" + label.encode("punycode").decode("ascii")
        labels.append(label)
    return ".".join(labels)


def _auto_escape(m: re.Match) -> str:
    return _AUTO_ESCAPE[m.group()]


def url_parse(url: str) -> Url:
    """``url.parse(url, true, true)``."""
    if not isinstance(url, str):
        raise JSError(f'TypeError [ERR_INVALID_ARG_TYPE]: The "url" argument must be of type string. Received {js_str(url)}')
    u = Url()
    rest = url.strip(_WS)
    if "\\" in rest:  # backslashes before the query or fragment count as slashes
        m = _SPLIT.search(rest)
        split = m.start() if m else len(rest)
        rest = rest[:split].replace("\\", "/") + rest[split:]

    m = _PROTOCOL.match(rest)
    proto = lower_proto = None
    if m:
        proto = m.group()
        lower_proto = proto.lower()
        u.protocol = lower_proto
        rest = rest[len(proto):]
    slashes = rest.startswith("//")
    if slashes and lower_proto not in _HOSTLESS:
        rest = rest[2:]
        u.slashes = True

    if lower_proto not in _HOSTLESS and (slashes or (proto and proto not in _SLASHED)):
        at_sign = non_host = -1
        m = _HOST_SCAN.search(rest)
        if m is not None and m.group() in _HOST_END:
            non_host = m.start()  # the common case: nothing odd before the first / ? #
        elif m is not None:
            i = 0
            while i < len(rest):
                c = rest[i]
                if c in "\t\n\r":  # removed, as WHATWG URL does
                    rest = rest[:i] + rest[i + 1:]
                    continue
                if c in _NON_HOST:
                    if non_host == -1:
                        non_host = i
                elif c in _HOST_END:
                    if non_host == -1:
                        non_host = i
                    break
                elif c == "@":
                    at_sign = i
                    non_host = -1
                i += 1
        start = 0
        if at_sign != -1:
            u.auth = _decode_uri_component(rest[:at_sign])
            start = at_sign + 1
        if non_host == -1:
            u.host = rest[start:]
            rest = ""
        else:
            u.host = rest[start:non_host]
            rest = rest[non_host:]
        host = u.host
        pm = _PORT.search(host)
        if pm:
            if pm.group() != ":":
                u.port = pm.group()[1:]
            host = host[:pm.start()]
        hostname = host or ""
        ipv6 = hostname.startswith("[") and hostname.endswith("]")
        if not ipv6:
            bad = _HOSTNAME_CUT.search(hostname)
            if bad is not None:  # e.g. "host:abc": the rest joins the path
                rest = "/" + hostname[bad.start():] + rest
                hostname = hostname[:bad.start()]
        hostname = "" if len(hostname) > 255 else hostname.lower()
        if hostname:
            if ipv6:
                if _FORBIDDEN_HOST_V6.search(hostname):
                    raise JSError("TypeError [ERR_INVALID_URL]: Invalid URL")
            else:
                hostname = _to_ascii(hostname)
                if not hostname or _FORBIDDEN_HOST.search(hostname):
                    raise JSError("TypeError [ERR_INVALID_URL]: Invalid URL")
        u.host = hostname + (":" + u.port if u.port else "")
        u.hostname = hostname
        if ipv6:
            u.hostname = hostname[1:-1]
            if rest[:1] != "/":
                rest = "/" + rest

    if lower_proto not in _HOSTLESS:
        rest = _AUTO_ESCAPE_RE.sub(_auto_escape, rest)

    hash_idx = rest.find("#")
    if hash_idx != -1:
        u.hash = rest[hash_idx:]
    question = rest.find("?", 0, hash_idx if hash_idx != -1 else len(rest))
    if question != -1:
        end = hash_idx if hash_idx != -1 else len(rest)
        u.search = rest[question:end]
        u.query = qs_parse(rest[question + 1:end])
    else:
        u.query = {}
    first = question if question != -1 else hash_idx
    if first == -1:
        if rest:
            u.pathname = rest
    elif first > 0:
        u.pathname = rest[:first]
    if lower_proto in _SLASHED and u.hostname and not u.pathname:
        u.pathname = "/"
    if u.pathname or u.search:
        u.path = (u.pathname or "") + (u.search or "")
    return u


def url_format(u: Url) -> str:
    """``url.format(urlObject)`` for a legacy ``Url``."""
    auth = u.auth or ""
    if auth:
        auth = "".join(c if c in _AUTH_SAFE else encode_uri_component(c) for c in auth) + "@"
    protocol = u.protocol or ""
    pathname = u.pathname or ""
    hash_ = u.hash or ""
    host = ""
    if u.host:
        host = auth + u.host
    elif u.hostname:
        hn = u.hostname
        host = auth + ("[" + hn + "]" if ":" in hn and not (hn.startswith("[") and hn.endswith("]")) else hn)
        if u.port:
            host += ":" + u.port
    query = qs_stringify(u.query) if isinstance(u.query, dict) else ""
    search = u.search or (query and "?" + query) or ""
    if protocol and not protocol.endswith(":"):
        protocol += ":"
    if "#" in pathname or "?" in pathname:
        pathname = pathname.replace("#", "%23").replace("?", "%3F")
    if u.slashes or protocol in _SLASHED:
        if u.slashes or host:
            if pathname and pathname[0] != "/":
                pathname = "/" + pathname
            host = "//" + host
        elif protocol.startswith("file"):
            host = "//"
    search = search.replace("#", "%23")
    if hash_ and hash_[0] != "#":
        hash_ = "#" + hash_
    if search and search[0] != "?":
        search = "?" + search
    return protocol + host + pathname + search + hash_


def _decode_uri_component(text: str) -> str:
    if "%" not in text:
        return text
    try:
        if _BAD_ESCAPE.search(text):
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "bad escape")
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise JSError("URIError: URI malformed") from None


_VALID_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")
_HEXDIGITS = frozenset("0123456789abcdefABCDEF")


def _unescape_buffer(text: str) -> str:
    """querystring.unescapeBuffer(s).toString(): %XX to bytes, other UTF-16 units cut to a byte."""
    out = bytearray()
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "%" and i < n - 2 and text[i + 1] in _HEXDIGITS and text[i + 2] in _HEXDIGITS:
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
            continue
        code = ord(c)
        if code > 0xFFFF:  # two UTF-16 code units in JS
            code -= 0x10000
            out.append((0xD800 | (code >> 10)) & 0xFF)
            code = 0xDC00 | (code & 0x3FF)
        out.append(code & 0xFF)
        i += 1
    return out.decode("utf-8", "replace")


def _qs_unescape(text: str) -> str:
    """qsUnescape: decodeURIComponent, or unescapeBuffer where that throws."""
    if not _VALID_ESCAPE.search(text):
        return text
    if not _BAD_ESCAPE.search(text):
        try:
            return unquote(text, errors="strict")
        except UnicodeDecodeError:
            pass
    return _unescape_buffer(text)


def qs_parse(text: str) -> dict:
    """``querystring.parse`` (sep '&', eq '=', '+' as space, at most 1000 pairs)."""
    obj: dict = {}
    if not text:
        return obj
    for n, part in enumerate(text.split("&")):
        if n >= 1000:
            break
        if not part:
            continue
        key, _, value = part.partition("=")
        if "+" in key:
            key = key.replace("+", " ")
        if "+" in value:
            value = value.replace("+", " ")
        key, value = _qs_unescape(key), _qs_unescape(value)
        current = obj.get(key, UNDEFINED)
        if current is UNDEFINED:
            obj[key] = value
        elif isinstance(current, list):
            current.append(value)
        else:
            obj[key] = [current, value]
    return obj


def _qs_value(v: Any) -> str:
    if isinstance(v, str):
        return encode_uri_component(v) if v else ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        s = js_number(v)
        return s if abs(v) < 1e21 else encode_uri_component(s)
    return ""


def qs_stringify(obj: dict) -> str:
    """``querystring.stringify(obj)`` with node's default escaping."""
    if not obj:
        return ""
    fields: list[str] = []
    for k in js_keys(obj):
        v = obj[k]
        ks = encode_uri_component(k) + "="
        if isinstance(v, list):
            fields.extend(ks + _qs_value(x) for x in v)
        else:
            fields.append(ks + _qs_value(v))
    return "&".join(fields)
