"""What counts as the expected request, and each mismatch class, on hand-made requests."""

from __future__ import annotations

import json

import pytest

from apipack.openapi.model import Endpoint, Parameter
from apipack.verify.echo import ArrivedRequest
from apipack.verify.expect import MISMATCH_CLASSES, compare, expected_from_har

ENDPOINT = Endpoint(api_id="t", method="POST", path="/pets/{id}",
                    parameters=(Parameter("id", "path", True), Parameter("q", "query")))


def har(url: str = "http://127.0.0.1:1/__c/c00001/v1/pets/7", **post: object) -> dict:
    return {"method": "POST", "url": url, "queryString": [{"name": "q", "value": "1"}],
            "headers": [{"name": "X-Key", "value": "k"}, {"name": "content-type", "value": "application/json"}],
            "cookies": [], "postData": post or {"mimeType": "application/json", "text": '{"a": [1, 2]}'}}


def arrived(path: str = "/v1/pets/7", method: str = "POST", query=(("q", "1"),), headers=None,
            body: bytes = b'{"a":[1,2]}') -> ArrivedRequest:
    hdrs = {"x-key": "k", "content-type": "application/json; charset=utf-8"} if headers is None else headers
    return ArrivedRequest(method=method, path=path, query=list(query), headers=hdrs, body=body)


def test_the_request_the_snippet_meant_is_accepted() -> None:
    result = compare(expected_from_har(har(), ENDPOINT), arrived())
    assert result.ok, result.details


@pytest.mark.parametrize(("request_", "kind"), [
    (arrived(method="PUT"), "wrong_method"),
    (arrived(path="/v1//pets/7"), "double_slash"),
    (arrived(path="/v1/pets/%7Bid%7D"), "path_param_unfilled"),
    (arrived(path="/v1/dogs/7"), "path_mismatch"),
    (arrived(query=()), "query_missing"),
    (arrived(query=(("q", "1"), ("z", "2"))), "query_extra"),
    (arrived(headers={"content-type": "application/json"}), "header_missing"),
    (arrived(headers={"x-key": "other", "content-type": "application/json"}), "header_mismatch"),
    (arrived(headers={"x-key": "k", "content-type": "text/plain"}), "content_type_mismatch"),
    (arrived(body=b'{"a":[2,1]}'), "body_mismatch"),
    (None, "not_sent"),
])
def test_each_mismatch_class_is_named(request_: ArrivedRequest | None, kind: str) -> None:
    result = compare(expected_from_har(har(), ENDPOINT), request_)
    assert kind in result.mismatches
    assert kind in MISMATCH_CLASSES


def test_form_values_are_compared_decoded() -> None:
    # openapi-snippet puts form values in the HAR already percent-encoded
    h = har(mimeType="application/x-www-form-urlencoded",
            params=[{"name": "when", "value": "2019-08-24T14%3A15%3A22Z"}])
    h["headers"][1]["value"] = "application/x-www-form-urlencoded"
    once = arrived(headers={"x-key": "k", "content-type": "application/x-www-form-urlencoded"},
                   body=b"when=2019-08-24T14%3A15%3A22Z")
    twice = arrived(headers={"x-key": "k", "content-type": "application/x-www-form-urlencoded"},
                    body=b"when=2019-08-24T14%253A15%253A22Z")
    assert compare(expected_from_har(h, ENDPOINT), once).ok
    assert compare(expected_from_har(h, ENDPOINT), twice).mismatches == ["body_mismatch"]


def test_multipart_fields_are_parsed_by_boundary() -> None:
    h = har(mimeType="multipart/form-data", params=[{"name": "n", "value": "x"}, {"name": "f", "value": "y"}])
    body = (b"--B\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nx\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\ny\r\n--B--\r\n")
    ok = arrived(headers={"x-key": "k", "content-type": "multipart/form-data; boundary=B"}, body=body)
    assert compare(expected_from_har(h, ENDPOINT), ok).ok
    wrong = arrived(headers={"x-key": "k", "content-type": "multipart/form-data; boundary=B"},
                    body=body.replace(b"name=\"f\"", b"name=\"g\""))
    assert compare(expected_from_har(h, ENDPOINT), wrong).mismatches == ["body_mismatch"]


def test_static_check_skips_the_body() -> None:
    without_body = arrived(body=b"", headers={"x-key": "k", "content-type": "application/json"})
    assert compare(expected_from_har(har(), ENDPOINT), without_body, check_body=False).ok
    assert not compare(expected_from_har(har(), ENDPOINT), without_body).ok


def test_json_text_that_is_not_json_is_compared_as_text() -> None:
    h = har(mimeType="application/json", text="not json")
    assert compare(expected_from_har(h, ENDPOINT), arrived(body=b"not json")).ok
    assert json.loads('{"a":[1,2]}') == {"a": [1, 2]}
