"""parse_bytes: JSON fast path, YAML with alias-bomb and recursion guards."""

from __future__ import annotations

import pytest

from apipack.errors import SpecParseError, SpecTooLargeError
from apipack.openapi.parse import parse_bytes


def test_json_keeps_javascript_number_semantics() -> None:
    doc = parse_bytes(b'{"a": 1.0, "b": 123456789012345678901234567890, "s": "\\ud800"}', "t", max_bytes=1000)
    assert doc["a"] == 1.0 and isinstance(doc["b"], int | float) and doc["s"] == "\ud800"


def test_yaml_aliases_within_limits_are_fine() -> None:
    doc = parse_bytes(b"a: &x {k: 1}\nb: *x\n", "t", max_bytes=1000)
    assert doc == {"a": {"k": 1}, "b": {"k": 1}}


def test_alias_bomb_is_refused_before_building() -> None:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode() for i in range(6))
    with pytest.raises(SpecTooLargeError, match="billion laughs"):
        parse_bytes(bomb, "bomb", max_bytes=10_000, max_nodes=100_000)


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(SpecParseError, match="alias refers to a node that contains it"):
        parse_bytes(b"a: &x\n  b: *x\n", "t", max_bytes=1000)


def test_deeply_nested_json_is_a_parse_error() -> None:
    with pytest.raises(SpecParseError):
        parse_bytes(b"[" * 100_000 + b"]" * 100_000, "deep", max_bytes=1_000_000)
