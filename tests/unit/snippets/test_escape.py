"""The JS semantics the renderers rely on (values checked against node 20 by hand)."""

from __future__ import annotations

import pytest

from apipack.snippets.escape import (
    UNDEFINED,
    encode_uri_component,
    js_keys,
    js_number,
    json_parse,
    json_stringify,
    shell_quote,
    stringify_object,
    util_format,
)
from apipack.snippets.node_url import qs_parse, qs_stringify, url_format, url_parse


@pytest.mark.parametrize(("value", "text"), [
    (0.1, "0.1"), (1e21, "1e+21"), (1e-7, "1e-7"), (1e16, "10000000000000000"), (-0.0, "0"),
    (123456789012345680000.0, "123456789012345680000"), (0.000001, "0.000001"), (2**60, "1152921504606847000"),
    (1.0, "1"), (float("inf"), "Infinity"),
])
def test_js_number(value: float, text: str) -> None:
    assert js_number(value) == text


def test_json_roundtrip_like_v8() -> None:
    obj = json_parse('{"b":1,"2":2,"a":[1.50,"\\u0007",{}],"1":null}')
    assert js_keys(obj) == ["1", "2", "b", "a"]
    assert json_stringify(obj) == '{"1":null,"2":2,"b":1,"a":[1.5,"\\u0007",{}]}'
    assert json_stringify({"a": [1], "b": {}}, "  ") == '{\n  "a": [\n    1\n  ],\n  "b": {}\n}'
    assert json_stringify(UNDEFINED) is UNDEFINED
    with pytest.raises(ValueError):
        json_parse("NaN")


def test_util_format_placeholders() -> None:
    assert util_format("%s=%s", "a", None) == "a=null"
    assert util_format("%s", UNDEFINED) == "undefined"
    assert util_format("100%% %s", "x") == "100% x"
    assert util_format("let x = 5%", "extra") == "let x = 5% extra"
    assert util_format("only %s", "a", "b") == "only a b"
    assert util_format("no args %%") == "no args %%"


def test_stringify_object_inline_limit() -> None:
    assert stringify_object({"method": "GET", "url": "u"}) == "{method: 'GET', url: 'u'}"
    long = {"a": "x" * 80, "b-c": "it's"}
    assert stringify_object(long) == "{\n  a: '" + "x" * 80 + "',\n  'b-c': 'it\\'s'\n}"
    assert stringify_object(["\n"]) == "['\\n']"


def test_uri_and_shell() -> None:
    assert encode_uri_component("a b/ü!'()*") == "a%20b%2F%C3%BC!'()*"
    assert shell_quote("https://x.io/a") == "https://x.io/a"
    assert shell_quote("it's") == "'it'\\''s'"
    assert shell_quote("a\n") == "'a\n'"


def test_legacy_url() -> None:
    u = url_parse("https://{region}.api.com/v1?a=1&a=2#h")
    assert (u.host, u.pathname, u.query, u.hash) == ("", "%7Bregion%7D.api.com/v1", {"a": ["1", "2"]}, "#h")
    assert url_format(u) == "https:///%7Bregion%7D.api.com/v1?a=1&a=2#h"
    rel = url_parse("/v1/x y")
    assert (rel.host, rel.pathname) == (None, "/v1/x%20y")
    assert qs_parse("a+b=%E2%82%AC&c=%zz%41&d") == {"a b": "€", "c": "%zzA", "d": ""}
    assert qs_stringify({"k": ["1", 2, True, None], "e": [], "s": "a b"}) == "k=1&k=2&k=true&k=&s=a%20b"
