"""JSON pointers and merging as openapi-sampler 1.7.10 does them (json-pointer, mergeDeep).

``JsError`` stands for the TypeError / Error node would throw at the same place; callers that
port openapi-snippet's crash paths catch it and decide what the endpoint renders instead.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from apipack.snippets.jsvalue import UNDEFINED, is_index_key, js_keys

_BAD_PERCENT = re.compile(r"%(?![0-9a-fA-F]{2})")


class JsError(Exception):
    """What node would have thrown at this point (the message is node's)."""


def decode_uri_component(text: str) -> str:
    if "%" not in text:
        return text
    # decodeURIComponent throws on malformed sequences; unquote would pass them through
    if _BAD_PERCENT.search(text):
        raise JsError("URI malformed")
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError as exc:
        raise JsError("URI malformed") from exc


def parse_pointer(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise JsError(f"Invalid JSON pointer: {pointer}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def pointer_get(doc: Any, tokens: list[str]) -> Any:
    """json-pointer's ``get``: every token must exist (``tok in obj``) or it throws."""
    obj = doc
    for tok in tokens:
        if isinstance(obj, dict):
            if tok not in obj:
                raise JsError(f"Invalid reference token: {tok}")
            obj = obj[tok]
        elif isinstance(obj, list):
            if is_index_key(tok) and int(tok) < len(obj):
                obj = obj[int(tok)]
            elif tok == "length":
                obj = len(obj)
            else:
                raise JsError(f"Invalid reference token: {tok}")
        else:
            raise JsError(f"Invalid reference token: {tok}")
    return obj


def js_get(obj: Any, key: str) -> Any:
    """``obj[key]`` on a JSON value; UNDEFINED where JavaScript gives undefined."""
    if isinstance(obj, dict):
        return obj.get(key, UNDEFINED)
    if isinstance(obj, list):
        if is_index_key(key):
            i = int(key)
            return obj[i] if i < len(obj) else UNDEFINED
        if key == "length":
            return len(obj)
        return UNDEFINED
    if isinstance(obj, str):
        if is_index_key(key):
            i = int(key)
            return obj[i] if i < len(obj) else UNDEFINED
        if key == "length":
            return len(obj)
        return UNDEFINED
    if obj is None or obj is UNDEFINED:
        raise JsError(f"Cannot read properties of {'null' if obj is None else 'undefined'} (reading '{key}')")
    return UNDEFINED


def object_keys(obj: Any) -> list[str]:
    """``Object.keys(obj)`` (throws on null / undefined like JavaScript)."""
    if isinstance(obj, dict):
        return js_keys(obj)
    if isinstance(obj, list | str):
        return [str(i) for i in range(len(obj))]
    if obj is None or obj is UNDEFINED:
        raise JsError("Cannot convert undefined or null to object")
    return []


def _is_object(value: Any) -> bool:
    return isinstance(value, dict | list)


def _set(target: dict[str, Any] | list[Any], key: str, value: Any) -> None:
    if isinstance(target, dict):
        target[key] = value
    elif is_index_key(key):  # an array accumulator: JavaScript grows it, leaving holes
        i = int(key)
        while len(target) <= i:
            target.append(UNDEFINED)
        target[i] = value
    # a named property on an array: invisible to JSON.stringify, so dropped here


def merge_deep(*objects: Any) -> Any:
    """openapi-sampler's ``mergeDeep`` (arrays merge by index, later values win)."""
    prev: Any = [] if isinstance(objects[-1], list) else {}
    for obj in objects:
        if not obj and not isinstance(obj, dict | list):
            continue  # `Object.keys(obj || {})`
        if isinstance(obj, dict):
            items = list(obj.items())
        else:
            items = [(k, js_get(obj, k)) for k in object_keys(obj)]
        for key, o_val in items:
            p_val = js_get(prev, key)
            if _is_object(p_val) and _is_object(o_val):
                _set(prev, key, merge_deep(p_val, o_val))
            else:
                _set(prev, key, o_val)
    return prev
