"""The corrected rendering: each defect class of openapi-snippet, fixed; compat left byte-identical."""

from __future__ import annotations

import pytest

from apipack.snippets import render
from apipack.snippets.corrections import DEFECTS, PathContext, correct_har


def har(url: str, method: str = "GET", **extra: object) -> dict:
    return {"method": method, "url": url, "headers": [], "queryString": [], "cookies": [],
            "httpVersion": "HTTP/1.1", "headersSize": 0, "bodySize": 0, **extra}


def test_double_slash_after_a_server_url_ending_in_slash() -> None:
    ctx = PathContext("https://api.stripe.com/", "/v1/charges")
    assert correct_har(har("https://api.stripe.com//v1/charges"), ctx)["url"] == "https://api.stripe.com/v1/charges"


def test_unfilled_path_parameters_get_a_typed_placeholder() -> None:
    ctx = PathContext("https://h", "/pets/{id}/toys/{name}", {"id": "integer"})
    out = correct_har(har("https://h/pets/{id}/toys/{name}"), ctx)
    assert out["url"] == "https://h/pets/SOME_INTEGER_VALUE/toys/SOME_STRING_VALUE"


def test_touching_parameters_are_both_filled() -> None:
    ctx = PathContext("https://h", "/p/{id}{.format}")
    assert correct_har(har("https://h/p/{id}{.format}"), ctx)["url"] == "https://h/p/SOME_STRING_VALUESOME_STRING_VALUE"


def test_path_values_with_reserved_characters_are_encoded() -> None:
    ctx = PathContext("https://h", "/r/{kind}/{identifier}")
    out = correct_har(har("https://h/r/user/conjur/authn iam?x=1"), ctx)
    assert out["url"] == "https://h/r/user/conjur%2Fauthn%20iam?x=1"


def test_server_variables_take_their_defaults() -> None:
    ctx = PathContext("https://{region}.example.com/{basePath}", "/items", {},
                      {"region": "eu", "basePath": "/api/v1"})
    out = correct_har(har("https://{region}.example.com/{basePath}/items"), ctx)
    assert out["url"] == "https://eu.example.com/api/v1/items"


def test_form_values_are_not_encoded_twice() -> None:
    h = har("https://h/f", "POST", postData={"mimeType": "application/x-www-form-urlencoded",
                                            "params": [{"name": "url", "value": "http%3A%2F%2Fx"}]})
    h["headers"] = [{"name": "content-type", "value": "application/x-www-form-urlencoded"}]
    assert "url=http%253A" in render(h, "python")
    assert "url=http%3A%2F%2Fx" in render(h, "python", corrected=True)


def test_head_requests_do_not_wait_for_a_body() -> None:
    h = har("https://h/x", "HEAD")
    assert render(h, "curl").startswith("curl --request HEAD")
    assert render(h, "curl", corrected=True).startswith("curl --head")
    assert "CURLOPT_NOBODY => true" in render(h, "php", corrected=True)
    assert "CURLOPT_NOBODY, 1L" in render(h, "libcurl", corrected=True)


def test_okhttp_gets_an_empty_body_for_post() -> None:
    h = har("https://h/x", "POST")
    assert ".post(null)" in render(h, "java")
    assert ".post(RequestBody.create(null, new byte[0]))" in render(h, "java", corrected=True)


def test_php_strings_do_not_interpolate_dollars() -> None:
    h = har("https://h/x", "POST", postData={"mimeType": "application/json", "text": '{"p":"pa$$word"}'})
    assert 'pa$$word' in render(h, "php")
    assert 'pa\\$\\$word' in render(h, "php", corrected=True)


def test_node_escapes_backslashes_before_quotes() -> None:
    h = har("https://h/x", "POST", postData={"mimeType": "application/json", "text": '{"a":"x\\\\\'y"}'})
    assert "x\\\\\\'y" in render(h, "node", corrected=True)  # JS: backslash, quote


def test_node_sends_a_falsy_json_body() -> None:
    h = har("https://h/x", "POST", postData={"mimeType": "application/json", "text": "0"})
    assert "body" not in render(h, "node").split("request(options")[0]
    assert "body: '0'" in render(h, "node", corrected=True)


@pytest.mark.parametrize("target", ["curl", "python", "java", "node", "go", "ruby", "php", "swift", "libcurl",
                                    "javascript"])
def test_a_request_without_defects_renders_the_same_both_ways(target: str) -> None:
    h = har("https://h/pets", "GET", queryString=[{"name": "q", "value": "1"}])
    assert render(h, target, corrected=True, context=PathContext("https://h", "/pets")) == render(h, target)


def test_every_defect_is_described() -> None:
    assert all(text.strip() for text in DEFECTS.values())
    assert {"double_slash", "path_param_unfilled", "form_double_encoded"} <= set(DEFECTS)


def test_a_fragment_in_the_path_key_is_dropped_so_node_sends_the_query() -> None:
    h = har("https://h/#X-Amz-Target=Svc.List", "POST", queryString=[{"name": "maxResults", "value": "1"}])
    assert "#X-Amz-Target" in render(h, "node")
    assert "#" not in render(h, "node", corrected=True)
