"""JavaScript semantics that httpsnippet's output depends on, in Python.

Owns: JS value conversion (``String(v)``, truthiness, number printing, property-key order),
``JSON.stringify`` / ``JSON.parse``, ``encodeURIComponent`` / ``querystring.escape``, node's
``util.format``, the ``stringify-object`` package (3.3.0) and the shell strong quoting of
httpsnippet's ``helpers/shell.js``. Values follow the JSON data model (str, int, float, bool,
None, list, dict) plus ``UNDEFINED`` for a missing property; dict insertion order is the JS
insertion order, and ``js_keys`` applies V8's rule that array-index keys come first.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from apipack.snippets.jsvalue import UNDEFINED
from apipack.snippets.jsvalue import number_to_string as js_number
from apipack.snippets.jsvalue import to_js_string as js_str


class JSError(Exception):
    """A JS exception the reference would have thrown (URIError, SyntaxError, TypeError)."""


# --- values ---------------------------------------------------------------------------------
def js_truthy(value: Any) -> bool:
    if isinstance(value, list | dict):
        return True
    if isinstance(value, float) and value != value:
        return False
    return bool(value)


def _is_index(key: str) -> bool:
    return key.isdigit() and key.isascii() and (key == "0" or key[0] != "0") and int(key) < 4294967295


def js_keys(obj: dict) -> list[str]:
    """``Object.keys`` order: array-index keys ascending first, then the others as inserted."""
    keys = list(obj)
    if not any(k[:1].isdigit() for k in keys):
        return keys
    index = sorted((k for k in keys if _is_index(k)), key=int)
    if not index:
        return keys
    return index + [k for k in keys if not _is_index(k)]


# --- JSON -----------------------------------------------------------------------------------
def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON.parse does not accept {name}")


def _parse_int(text: str) -> int | float:
    value = int(text)
    return value if -9007199254740992 <= value <= 9007199254740992 else float(text)


_DECODER = json.JSONDecoder(parse_int=_parse_int, parse_constant=_reject_constant)


def json_parse(text: str) -> Any:
    """``JSON.parse``: raises ``ValueError`` where JS throws a SyntaxError."""
    return _DECODER.decode(text)


_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STR = json.JSONEncoder(ensure_ascii=False).encode


def json_string(value: str) -> str:
    out = _JSON_STR(value)
    if _SURROGATE.search(value):  # JSON.stringify writes lone surrogates as \udxxx escapes
        out = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


def json_stringify(value: Any, indent: str = "", _pad: str = "") -> str | Any:
    """``JSON.stringify(value, null, indent)``; returns UNDEFINED where JS returns undefined."""
    if isinstance(value, str):
        return json_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = _pad + indent
        parts = []
        for v in value:
            s = json_stringify(v, indent, inner)
            parts.append("null" if s is UNDEFINED else s)
        if not indent:
            return "[" + ",".join(parts) + "]"
        return "[\n" + inner + (",\n" + inner).join(parts) + "\n" + _pad + "]"
    if isinstance(value, dict):
        inner = _pad + indent
        sep = ": " if indent else ":"
        parts = []
        for k in js_keys(value):
            s = json_stringify(value[k], indent, inner)
            if s is not UNDEFINED:
                parts.append(json_string(k) + sep + s)
        if not parts:
            return "{}"
        if not indent:
            return "{" + ",".join(parts) + "}"
        return "{\n" + inner + (",\n" + inner).join(parts) + "\n" + _pad + "}"
    return UNDEFINED


# --- URI escaping ---------------------------------------------------------------------------
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()")
_HEX = [f"%{i:02X}" for i in range(256)]
_ALL_UNRESERVED = re.compile(r"[A-Za-z0-9\-_.!~*'()]*").fullmatch


def encode_uri_component(value: Any) -> str:
    """``encodeURIComponent`` (also node's ``querystring.escape`` for strings)."""
    s = value if isinstance(value, str) else js_str(value)
    if _ALL_UNRESERVED(s):
        return s
    out = []
    for c in s:
        if c in _UNRESERVED:
            out.append(c)
        else:
            try:
                out.append("".join(_HEX[b] for b in c.encode("utf-8")))
            except UnicodeEncodeError:
                raise JSError("URIError: URI malformed") from None
    return "".join(out)


# --- node util.format -----------------------------------------------------------------------
def _inspect(value: Any) -> str:
    """``util.inspect`` for the values that reach it (strings quoted, containers one level)."""
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"
    if isinstance(value, list):
        return "[ " + ", ".join(_inspect(v) for v in value) + " ]" if value else "[]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k}: {_inspect(value[k])}" for k in js_keys(value)) + " }"
    return js_str(value)


def arg(value: Any) -> str:
    """What util.format's ``%s`` prints for ``value``."""
    if type(value) is str:
        return value
    if isinstance(value, list | dict):
        return _inspect(value)
    return js_str(value)


def util_format(fmt: Any, *args: Any) -> str:
    """node's ``util.format`` (placeholders %s %d %i %f %j %o %O %c %%)."""
    if isinstance(fmt, str) and not args:
        return fmt
    values = (fmt, *args)
    if not isinstance(fmt, str):
        return " ".join(v if isinstance(v, str) else _inspect(v) for v in values)
    if "%" not in fmt:
        return " ".join([fmt] + [v if isinstance(v, str) else _inspect(v) for v in args])
    out: list[str] = []
    a = 0
    last = 0
    i = 0
    n = len(fmt)
    while i < n - 1:
        if fmt[i] == "%":
            i += 1
            c = fmt[i]
            if a + 1 != len(values):
                if c == "s":
                    a += 1
                    arg = values[a]
                    tmp = js_str(arg) if not isinstance(arg, list | dict) else _inspect(arg)
                elif c == "j":
                    a += 1
                    tmp = json_stringify(values[a])
                    tmp = "undefined" if tmp is UNDEFINED else tmp
                elif c in "dif":
                    a += 1
                    tmp = _format_number_arg(values[a], c)
                elif c in "oO":
                    a += 1
                    tmp = _inspect(values[a])
                elif c == "c":
                    a += 1
                    tmp = ""
                elif c == "%":
                    out.append(fmt[last:i])
                    last = i + 1
                    i += 1
                    continue
                else:
                    i += 1
                    continue
                if last != i - 1:
                    out.append(fmt[last:i - 1])
                out.append(tmp)
                last = i + 1
            elif c == "%":
                out.append(fmt[last:i])
                last = i + 1
        i += 1
    join = ""
    if last != 0:
        a += 1
        join = " "
        if last < n:
            out.append(fmt[last:])
    while a < len(values):
        v = values[a]
        out.append(join)
        out.append(v if isinstance(v, str) else _inspect(v))
        join = " "
        a += 1
    return "".join(out)


def _format_number_arg(value: Any, kind: str) -> str:
    if isinstance(value, bool):
        num: float = 1.0 if value else 0.0
    elif isinstance(value, int | float):
        num = value
    else:
        text = js_str(value).strip()
        try:
            num = float(text) if text else 0.0
        except ValueError:
            num = math.nan
    if kind == "i" and math.isfinite(num):
        num = float(math.trunc(num))
    return js_number(num)


# --- stringify-object 3.3.0 ------------------------------------------------------------------
# explicit ranges, not IGNORECASE: Python's Unicode case folding would also match e.g. U+212A
_CLASSIC_KEY = re.compile(r"[a-zA-Z$_][a-zA-Z$_0-9]*").fullmatch
_QUOTE_FIX = re.compile(r"\\?'")


def js_len(s: str) -> int:
    """``String.prototype.length``: UTF-16 code units."""
    return len(s) if s.isascii() else len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def _so_string(value: Any) -> str:
    s = js_str(value)
    if "\n" in s or "\r" in s:
        s = s.replace("\n", "\\n").replace("\r", "\\r")
    if "'" in s:
        s = _QUOTE_FIX.sub("\\\\'", s)
    return "'" + s + "'"


def stringify_object(value: Any, indent: str = "  ", limit: int = 80, pad: str = "") -> str:
    """``stringify-object`` with ``{indent, inlineCharacterLimit: limit}`` (single quotes).

    The package joins the parts with placeholder tokens, then either drops them (the one-line
    form, when it fits in ``limit`` UTF-16 units) or turns them into newlines and indentation;
    building both forms directly gives the same text.
    """
    if isinstance(value, str):
        return _so_string(value)
    if value is None or value is UNDEFINED or isinstance(value, bool | int | float):
        return js_str(value)
    inner = pad + indent
    if isinstance(value, list):
        if not value:
            return "[]"
        parts = [stringify_object(v, indent, limit, inner) for v in value]
        opening, closing = "[", "]"
    elif isinstance(value, dict):
        keys = js_keys(value)
        if not keys:
            return "{}"
        parts = [(k if _CLASSIC_KEY(k) else _so_string(k)) + ": " + stringify_object(value[k], indent, limit, inner)
                 for k in keys]
        opening, closing = "{", "}"
    else:
        return _so_string(value)
    one_line = opening + ", ".join(parts) + closing
    if js_len(one_line) <= limit:
        return one_line
    return opening + "\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + closing


# --- shell (helpers/shell.js) ----------------------------------------------------------------
_SHELL_SAFE = re.compile(r"[a-zA-Z0-9\-_/.@%^=:]+")


def shell_quote(value: str) -> str:
    """Strong single quoting unless the value is shell-safe."""
    if _SHELL_SAFE.fullmatch(value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def js_sorted(keys: list[str]) -> list[str]:
    """``Array.prototype.sort()`` on strings: UTF-16 code unit order."""
    if all(k.isascii() for k in keys):
        return sorted(keys)
    return sorted(keys, key=lambda k: k.encode("utf-16-be", "surrogatepass"))


def prop(obj: Any, key: str) -> Any:
    """``obj[key]`` for a HAR item: UNDEFINED when absent (or when obj is not an object)."""
    return obj.get(key, UNDEFINED) if isinstance(obj, dict) else UNDEFINED
