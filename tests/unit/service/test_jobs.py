"""Upload parsing: JSON or YAML, OpenAPI-shaped, with paths; aliases refused."""

from __future__ import annotations

import pytest

from apipack.errors import NoPathsError, NotOpenAPIError, SpecParseError
from service.jobs import parse_upload


def test_json_and_yaml_accepted() -> None:
    doc = parse_upload(b'{"swagger": "2.0", "info": {"title": "A"}, "paths": {"/a": {}}}')
    assert doc["info"]["title"] == "A"
    doc = parse_upload(b"\xef\xbb\xbfopenapi: 3.1.0\ninfo: {title: B}\npaths: {/b: {get: {}}}\n")
    assert doc["info"]["title"] == "B"


@pytest.mark.parametrize(("data", "error"), [
    (b"   ", SpecParseError),
    (b"{", SpecParseError),
    (b"- a\n- b", NotOpenAPIError),
    (b"openapi: 3.0.0\npaths: {/a: {}}", NotOpenAPIError),
    (b"openapi: 3.0.0\ninfo: {title: T}\npaths: []", NoPathsError),
    (b"openapi: 3.0.0\ninfo: {title: T}\nx: &a {k: 1}\npaths: {/a: *a}", SpecParseError),
])
def test_bad_uploads(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_upload(data, "spec.yaml")
