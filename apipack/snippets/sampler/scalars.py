"""openapi-sampler 1.7.10's string, number and boolean samplers (with its deterministic uuid)."""

from __future__ import annotations

import math
from typing import Any

from apipack.snippets.jsvalue import UNDEFINED

_PASSWORD_SYMBOLS = "qwerty!@#$%^123456"
_DATE_TIME = "2019-08-24T14:15:22Z"


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _truthy(value: Any) -> bool:
    if value is UNDEFINED or value is None or value is False:
        return False
    if isinstance(value, dict | list):
        return True
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def sample_boolean(schema: dict[str, Any]) -> bool:
    return True


def sample_number(schema: dict[str, Any]) -> int | float:
    res: int | float = 0
    if schema.get("type") == "number" and schema.get("format") in ("float", "double"):
        res = 0.1
    minimum, maximum = schema.get("minimum", UNDEFINED), schema.get("maximum", UNDEFINED)
    ex_min, ex_max = schema.get("exclusiveMinimum", UNDEFINED), schema.get("exclusiveMaximum", UNDEFINED)
    if isinstance(ex_min, bool) or isinstance(ex_max, bool):
        # draft 4: exclusiveMinimum / exclusiveMaximum are booleans
        if _finite(maximum) and _finite(minimum):
            res = math.floor(minimum) + 1 if _truthy(ex_min) else minimum
            if (_truthy(ex_max) and res >= maximum) or (not _truthy(ex_max) and res > maximum):
                res = (maximum + minimum) / 2
            return res
        if _finite(minimum):
            return math.floor(minimum) + 1 if _truthy(ex_min) else minimum
        if _finite(maximum):
            if _truthy(ex_max):
                return 0 if maximum > 0 else math.floor(maximum) - 1
            return 0 if maximum > 0 else maximum
    else:
        if _finite(minimum):
            return minimum
        if _finite(ex_min):
            res = math.floor(ex_min) + 1
            if isinstance(ex_max, int | float) and not isinstance(ex_max, bool) and res == ex_max:
                res = (res + math.floor(ex_max) - 1) / 2
        elif _finite(ex_max):
            res = math.floor(ex_max) - 1
        elif _finite(maximum):
            res = maximum
    return res


def _to_int(value: Any) -> float:
    """ToNumber for a minLength / maxLength value (numbers as they are; else NaN-ish 0)."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return math.nan
    return math.nan


def ensure_min_length(sample: str, minimum: Any) -> str:
    n = _to_int(minimum)
    if n > len(sample):
        count = math.trunc(n / len(sample)) + 1
        return (sample * count)[: _substring_end(n)]
    return sample


def _substring_end(n: float) -> int:
    if math.isnan(n) or n < 0:
        return 0
    return int(n) if math.isfinite(n) else 10**9


def _default_sample(minimum: Any, maximum: Any) -> str:
    res = ensure_min_length("string", minimum)
    if _truthy(maximum):
        m = _to_int(maximum)
        if len(res) > m:
            res = res[: _substring_end(m)]
    return res


def _password_sample(minimum: Any) -> str:
    res = "pa$$word"
    if _to_int(minimum) > len(res):
        res += "_"
        rest = _to_int(minimum) - len(res)
        res += ensure_min_length(_PASSWORD_SYMBOLS, rest)[: _substring_end(rest)]
    return res


def _hash_code(text: str) -> int:
    h = 0
    for unit in _utf16_units(text):
        h = ((h << 5) - h + unit) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def _utf16_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return [data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2)]


def uuid(seed: str) -> str:
    h = _hash_code(seed) & 0xFFFFFFFF
    a = b = c = d = h

    def rnd() -> float:
        nonlocal a, b, c, d
        t = (a - (((b << 27) | (b >> 5)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        a = b ^ (((c << 17) | (c >> 15)) & 0xFFFFFFFF)
        b = (c + d) & 0xFFFFFFFF
        c = (d + t) & 0xFFFFFFFF
        d = (a + t) & 0xFFFFFFFF
        return d / 4294967296

    out = []
    for ch in "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx":
        if ch in "xy":
            r = int(rnd() * 16) % 16
            out.append(format(r if ch == "x" else (r & 0x3) | 0x8, "x"))
        else:
            out.append(ch)
    return "".join(out)


_FIXED = {
    "email": "user@example.com",
    "idn-email": "пошта@укр.нет",
    "date-time": _DATE_TIME,
    "date": _DATE_TIME[:10],
    "time": _DATE_TIME[11:],
    "ipv4": "192.168.0.1",
    "ipv6": "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "hostname": "example.com",
    "idn-hostname": "приклад.укр",
    "iri": "http://example.com/entity/1",
    "iri-reference": "/entity/1",
    "uri": "http://example.com",
    "uri-reference": "../dictionary",
    "uri-template": "http://example.com/{endpoint}",
    "json-pointer": "/json/pointer",
    "relative-json-pointer": "1/relative/json/pointer",
    "regex": "/regex/",
}


def sample_string(schema: dict[str, Any], property_name: Any) -> str:
    fmt = schema.get("format", UNDEFINED)
    fmt = fmt if _truthy(fmt) else "default"
    key = fmt if isinstance(fmt, str) else None
    minimum = schema.get("minLength", UNDEFINED)
    minimum = minimum if _truthy(minimum) else 0
    if key in _FIXED:
        return _FIXED[key]
    if key == "password":
        return _password_sample(minimum)
    if key == "uuid":
        seed = property_name if _truthy(property_name) else "id"
        return uuid(seed if isinstance(seed, str) else str(seed))
    return _default_sample(minimum, schema.get("maxLength", UNDEFINED))
