"""JavaScript value semantics the node reference relies on, for byte-identical output.

openapi-snippet works on JSON values with JavaScript's rules: ``undefined`` differs from
``null``, objects list integer-like keys first, numbers print as JavaScript prints them,
``String(x)`` of an array joins it with commas, ``JSON.stringify`` drops ``undefined``
members. This module holds those rules and nothing else.
"""

from __future__ import annotations

import math
import re
from json.encoder import encode_basestring
from typing import Any
from urllib.parse import quote


class _Undefined:
    """JavaScript's ``undefined`` where it must differ from ``None`` (``null``)."""

    __slots__ = ()
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()


class _Skip:
    """openapi-sampler's ``SKIP_SYMBOL``: a symbol, so ``JSON.stringify`` drops it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Symbol(skip)"


SKIP: Any = _Skip()

_MAX_SAFE = 2**53
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_index_key(key: str) -> bool:
    """True for keys JavaScript treats as array indices (listed first, in numeric order)."""
    if not key or not key[0].isdigit():
        return False
    if key != "0" and key[0] == "0":
        return False
    return key.isdigit() and key.isascii() and int(key) < 4294967295


def js_keys(obj: dict[str, Any]) -> list[str]:
    """``Object.keys(obj)``: integer-like keys ascending, then the rest in insertion order."""
    keys = list(obj)
    for k in keys:
        if k and k[0].isdigit() and is_index_key(k):
            ints = sorted((k2 for k2 in keys if is_index_key(k2)), key=int)
            return ints + [k2 for k2 in keys if not is_index_key(k2)]
    return keys


def number_to_string(value: float | int) -> str:
    """``Number.prototype.toString()`` (shortest round-trip digits, JavaScript's exponent rules)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return str(value)
        try:
            value = float(value)
        except OverflowError:
            return "Infinity" if value > 0 else "-Infinity"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) <= _MAX_SAFE:
        return str(int(value))
    text = repr(value)  # shortest round-trip digits, like JavaScript
    sign = ""
    if text[0] == "-":
        sign, text = "-", text[1:]
    mantissa, _, exp_text = text.partition("e")
    dot = mantissa.find(".")
    all_digits = mantissa.replace(".", "")
    point = (dot if dot >= 0 else len(mantissa)) + (int(exp_text) if exp_text else 0)
    stripped = all_digits.lstrip("0")
    point -= len(all_digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    k = len(digits)
    if k <= point <= 21:
        return sign + digits + "0" * (point - k)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * (-point) + digits
    e = point - 1
    exp_str = f"e+{e}" if e >= 0 else f"e-{-e}"
    if k == 1:
        return sign + digits + exp_str
    return sign + digits[0] + "." + digits[1:] + exp_str


def to_js_string(value: Any) -> str:
    """``String(value)`` / ``value + ''``."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return number_to_string(value)
    if isinstance(value, list):
        return ",".join("" if v is None or v is UNDEFINED else to_js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    if value is SKIP:
        raise TypeError("Cannot convert a Symbol value to a string")
    return str(value)


def _escape_surrogates(quoted: str) -> str:
    return "".join(f"\\u{ord(ch):04x}" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in quoted)


def quote_json_string(text: str) -> str:
    """JSON.stringify of a string (the C encoder escapes exactly what JavaScript escapes,
    except lone surrogates, which well-formed JSON.stringify writes as ``\\udxxx``)."""
    quoted = encode_basestring(text)
    if not text.isascii() and _SURROGATE.search(text):
        return _escape_surrogates(quoted)
    return quoted


def json_stringify(value: Any) -> Any:
    """``JSON.stringify(value)``; returns UNDEFINED where JavaScript returns ``undefined``.

    Samples share subtrees (the sampler memoises them), so each container is written once per
    call and its text reused; nothing is mutated while one call runs.
    """
    if value is UNDEFINED or value is SKIP:
        return UNDEFINED
    done: dict[int, str] = {}

    def write(v: Any) -> str:
        if type(v) is str:
            return quote_json_string(v)
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int | float):
            if isinstance(v, float) and not math.isfinite(v):
                return "null"
            return number_to_string(v)
        if isinstance(v, dict | list):
            key = id(v)
            hit = done.get(key)
            if hit is not None:
                return hit
            if isinstance(v, dict):
                text = "{" + ",".join(
                    quote_json_string(k) + ":" + write(v[k])
                    for k in js_keys(v) if v[k] is not UNDEFINED and v[k] is not SKIP) + "}"
            else:
                text = "[" + ",".join(
                    "null" if x is UNDEFINED or x is SKIP else write(x) for x in v) + "]"
            done[key] = text
            return text
        if isinstance(v, str):
            return quote_json_string(v)
        return quote_json_string(str(v))  # dates from YAML and the like

    return write(value)


_URI_SAFE = "-_.!~*'()"


def encode_uri_component(value: Any) -> str:
    """``encodeURIComponent(value)`` (throws URIError on lone surrogates, as JavaScript does)."""
    text = to_js_string(value)
    try:
        return quote(text, safe=_URI_SAFE, encoding="utf-8", errors="strict")
    except UnicodeEncodeError as exc:
        raise ValueError("URI malformed") from exc


def js_typeof(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None or isinstance(value, dict | list):
        return "object"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is SKIP:
        return "symbol"
    return "object"
