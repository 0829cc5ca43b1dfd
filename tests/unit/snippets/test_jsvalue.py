"""JavaScript value semantics used by the HAR builder."""

from __future__ import annotations

import pytest

from apipack.snippets.jsvalue import (
    UNDEFINED,
    encode_uri_component,
    js_keys,
    json_stringify,
    number_to_string,
    to_js_string,
)


@pytest.mark.parametrize(("value", "text"), [
    (1.0, "1"), (0.1, "0.1"), (1e21, "1e+21"), (1e20, "100000000000000000000"), (1.5e-7, "1.5e-7"),
    (0.000001, "0.000001"), (-0.0, "0"), (2**53 + 1, "9007199254740992"), (123.456, "123.456"),
    (12345678901234567890, "12345678901234567000"),
])
def test_numbers_print_as_javascript(value: float, text: str) -> None:
    assert number_to_string(value) == text


def test_strings_keys_and_stringify() -> None:
    assert to_js_string([1, None, [2, "a"], UNDEFINED]) == "1,,2,a,"
    assert to_js_string({"a": 1}) == "[object Object]"
    assert js_keys({"b": 1, "10": 2, "2": 3, "01": 4}) == ["2", "10", "b", "01"]
    assert json_stringify({"a": UNDEFINED, "b": [UNDEFINED], "c": "\u2028\ud800\x07"}) == \
        '{"b":[null],"c":"\u2028\\ud800\\u0007"}'
    assert json_stringify(UNDEFINED) is UNDEFINED
    assert encode_uri_component("a b/é~*") == "a%20b%2F%C3%A9~*"
