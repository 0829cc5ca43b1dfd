"""Values and helpers of the openapi-sampler port: traverse's context and result, JavaScript
truthiness and number coercion, ``inferType``, ``inferExample``, the circular result and the
``maxProperties`` filter.
"""

from __future__ import annotations

import math
from typing import Any

from apipack.snippets.jsvalue import SKIP, UNDEFINED, js_keys, to_js_string
from apipack.snippets.sampler.pointer import js_get

MAX_SAMPLE_DEPTH = 15

_KEYWORD_TYPES = (
    ("multipleOf", "number"), ("maximum", "number"), ("exclusiveMaximum", "number"),
    ("minimum", "number"), ("exclusiveMinimum", "number"),
    ("maxLength", "string"), ("minLength", "string"), ("pattern", "string"),
    ("items", "array"), ("maxItems", "array"), ("minItems", "array"), ("uniqueItems", "array"),
    ("additionalItems", "array"),
    ("maxProperties", "object"), ("minProperties", "object"), ("required", "object"),
    ("additionalProperties", "object"), ("properties", "object"), ("patternProperties", "object"),
    ("dependencies", "object"),
)


class Ctx:
    """The ``context`` object of traverse: depth (None = undefined), property name, allOf child."""

    __slots__ = ("depth", "prop", "allof")

    def __init__(self, depth: int | None = None, prop: Any = UNDEFINED, allof: bool = False) -> None:
        self.depth = depth
        self.prop = prop
        self.allof = allof


class Result:
    __slots__ = ("value", "read_only", "write_only", "type")

    def __init__(self, value: Any, read_only: Any = UNDEFINED, write_only: Any = UNDEFINED,
                 type_: Any = UNDEFINED) -> None:
        self.value = value
        self.read_only = read_only
        self.write_only = write_only
        self.type = type_


def truthy(value: Any) -> bool:
    """JavaScript truthiness."""
    if value is UNDEFINED or value is None or value is False:
        return False
    if isinstance(value, dict | list) or value is True or value is SKIP:
        return True
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def get(schema: Any, key: str) -> Any:
    if type(schema) is dict:
        return schema.get(key, UNDEFINED)
    return js_get(schema, key)


def infer_type(schema: Any) -> Any:
    t = get(schema, "type")
    if t is not UNDEFINED:
        if isinstance(t, list):
            return t[0] if t else None
        return t
    if type(schema) is dict:
        for keyword, kind in _KEYWORD_TYPES:
            if keyword in schema:
                return kind
    return None


def circular(kind: Any) -> Result:
    return Result({} if kind == "object" else [] if kind == "array" else UNDEFINED)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return a is b
    return type(a) is type(b) and a == b


def js_str(value: Any) -> str:
    return to_js_string(value)


def _num(value: Any) -> float:
    """ToNumber for the values a schema may hold where a number is expected."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if value is None:
        return 0.0
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() else 0.0
        except ValueError:
            return math.nan
    return math.nan


def js_min(a: Any, b: Any) -> float:
    x, y = _num(a), _num(b)
    if math.isnan(x) or math.isnan(y):
        return math.nan
    return min(x, y)


def gt(a: Any, b: Any) -> bool:
    x, y = _num(a), _num(b)
    return not (math.isnan(x) or math.isnan(y)) and x > y


def limit_properties(res: dict[str, Any], required: Any, max_props: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    added = 0
    if isinstance(required, list):
        for name in required:
            key = js_str(name)
            if key in res and res[key] is not UNDEFINED:
                out[key] = res[key]
                added += 1
    for key in js_keys(res):
        if gt(max_props, added) and key not in out:
            out[key] = res[key]
            added += 1
    return out


def infer_example(schema: dict[str, Any]) -> Any:
    const = schema.get("const", UNDEFINED)
    if const is not UNDEFINED:
        return const
    for key in ("examples", "enum"):
        seq = schema.get(key, UNDEFINED)
        if seq is not UNDEFINED and seq is not None and truthy(get(seq, "length")):
            return js_get(seq, "0")
    default = schema.get("default", UNDEFINED)
    if default is not UNDEFINED:
        return default
    return UNDEFINED


def try_infer_example(schema: dict[str, Any]) -> Result | None:
    example = infer_example(schema)
    if example is not UNDEFINED:
        return Result(example, schema.get("readOnly", UNDEFINED), schema.get("writeOnly", UNDEFINED), None)
    return None
