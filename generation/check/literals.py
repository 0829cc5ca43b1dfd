"""Reading literals out of generated code: string unescaping, top-level keys of JSON / JS / Swift
object literals, form and multipart field names. Shared by the per-target extractors."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, unquote_plus

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def unescape(text: str) -> str:
    """Undo C-like backslash escapes (``\\"``, ``\\\\``, ``\\r\\n``) as the ten targets write them."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


# A double- or single-quoted literal; group 1 or 2 holds its (still escaped) text.
QUOTED = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""


def quoted_text(m: re.Match[str], first_group: int = 1) -> str:
    """The text of a ``QUOTED`` match whose groups start at ``first_group``."""
    a, b = m.group(first_group), m.group(first_group + 1)
    return a if a is not None else (b or "")


def string_literal_after(code: str, anchor: str) -> str | None:
    """The double- or single-quoted literal right after the regex ``anchor``, unescaped."""
    m = re.search(anchor + r"""\s*("((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", code, re.DOTALL)
    if not m:
        return None
    return unescape(m.group(2) if m.group(2) is not None else m.group(3))


def balanced(code: str, start: int) -> str | None:
    """The bracketed span starting at ``code[start]`` (``{`` or ``[``), quotes respected."""
    opener = code[start]
    closer = {"{": "}", "[": "]", "(": ")"}.get(opener)
    if closer is None:
        return None
    depth = 0
    quote: str | None = None
    i = start
    while i < len(code):
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
            if depth == 0:
                return code[start:i + 1]
        i += 1
    return None


def literal_after(code: str, anchor: str) -> str | None:
    """The bracketed literal (object or array) that follows the regex ``anchor``."""
    m = re.search(anchor + r"\s*([\[{])", code)
    return balanced(code, m.start(1)) if m else None


_KEY_RE = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([A-Za-z_$][\w$-]*))\s*(?::|=>)""")


def top_level_keys(literal: str) -> set[str]:
    """Keys at depth 1 of a JSON, JavaScript, PHP or Swift object / dictionary literal."""
    keys: set[str] = set()
    depth = 0
    quote: str | None = None
    i = 0
    expect_key = False
    while i < len(literal):
        ch = literal[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            continue
        if depth == 1 and expect_key:
            m = _KEY_RE.match(literal, i)
            expect_key = False
            if m:
                keys.add(unescape(next(g for g in m.groups() if g is not None)))
                i = m.end()
                continue
        if ch in "\"'`":
            quote = ch
        elif ch in "{[(":
            depth += 1
            expect_key = depth == 1
        elif ch in "}])":
            depth -= 1
        elif ch == "," and depth == 1:
            expect_key = True
        i += 1
    return keys


_MULTIPART_NAME_RE = re.compile(r'name=\\?"([^"\\]+)\\?"')


def body_keys(text: str) -> set[str]:
    """Field names of a body given as text: JSON object, form-urlencoded or multipart."""
    stripped = text.strip()
    if not stripped:
        return set()
    if stripped[0] in "{[":
        try:
            data = json.loads(stripped)
        except ValueError:
            return top_level_keys(stripped)
        if isinstance(data, dict):
            return set(data)
        if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
            return set().union(*(set(x) for x in data))
        return set()
    if "Content-Disposition" in stripped or "form-data" in stripped:
        return set(_MULTIPART_NAME_RE.findall(stripped))
    if "=" in stripped:
        return {unquote_plus(k) for k, _ in parse_qsl(stripped, keep_blank_values=True)}
    return set()
