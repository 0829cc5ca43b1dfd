"""build_hars: node's openapi-to-har output on hand-made specs, and what we do where node throws."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from apipack.errors import UnknownEndpointError
from apipack.openapi import load_spec
from apipack.snippets import build_hars, render_endpoint, render_endpoint_all
from apipack.snippets.har_params import js_replace_first

DATA = Path(__file__).parents[2] / "data"
GOLDEN = json.loads((DATA / "har_golden.json").read_text())  # node's getEndpoint on our loaded docs


def _cases() -> list[tuple[str, dict]]:
    return [(name, rec) for name, recs in GOLDEN.items() for rec in recs if "error" not in rec]


@pytest.mark.parametrize(("name", "record"), _cases(), ids=lambda v: v if isinstance(v, str) else v["path"])
def test_matches_node(name: str, record: dict) -> None:
    spec = load_spec(DATA / "specs" / name)
    assert build_hars(spec, record["method"], record["path"]) == record["hars"]


def _one(spec, method: str, path: str) -> dict:
    (har,) = build_hars(spec, method, path)
    return har


@pytest.fixture(scope="module")
def crash_spec():
    return load_spec(DATA / "specs" / "crash_classes.json")


def test_node_throws_on_these_and_we_render_them(crash_spec) -> None:
    thrown = {rec["path"] for rec in GOLDEN["crash_classes.json"] if "error" in rec}
    assert len(thrown) == 10
    for path in thrown:
        method = "post" if path == "/null-multipart" else "get"
        assert build_hars(crash_spec, method, path)


@pytest.mark.parametrize(("path", "query", "headers"), [
    ("/optional-auth", [], []),  # `security: [{}]`: no scheme named, no header
    ("/undeclared-scheme", [], [{"name": "X-Key", "value": "REPLACE_KEY_VALUE"}]),  # the declared one counts
    ("/content-param", [{"name": "q", "value": "SOME_INTEGER_VALUE"}], []),  # type from `content`
    ("/untyped-param", [{"name": "u", "value": "SOME_BOOLEAN_VALUE"}], []),  # first oneOf member
    ("/type-list", [{"name": "t", "value": "SOME_INTEGER_VALUE"}], []),  # 3.1 type list: the first
    ("/examples-no-value", [{"name": "e", "value": "from-schema"}], []),  # falls through to schema.example
    ("/nameless", [{"name": "kept", "value": "SOME_STRING_VALUE"}], []),  # a nameless parameter sends nothing
])
def test_crash_class_readings(crash_spec, path: str, query: list, headers: list) -> None:
    har = _one(crash_spec, "get", path)
    assert har["queryString"] == query and har["headers"] == headers


def test_escaped_pointer_and_empty_servers(crash_spec) -> None:
    assert _one(crash_spec, "get", "/escaped-ref/{id}")["url"] == "https://api.example.com/escaped-ref/{id}"
    assert _one(crash_spec, "get", "/empty-servers")["url"] == "https://api.example.com/empty-servers"
    assert "postData" not in _one(crash_spec, "post", "/null-multipart")


def test_document_is_never_modified(crash_spec) -> None:
    spec31 = load_spec(DATA / "specs" / "openapi31.yaml")
    for spec in (crash_spec, spec31):
        before = copy.deepcopy(spec.doc)
        for ep in spec.endpoints:
            build_hars(spec, ep.method, ep.path)
        assert spec.doc == before


def test_values_fill_query_like_node_and_more_on_request() -> None:
    spec = load_spec(DATA / "specs" / "openapi31.yaml")
    values = {"id": 42, "kind": ["a", "b"], "X-Trace": "t-1", "session": "s"}
    har = _one(spec, "get", "/items/{id}")
    assert har["url"].endswith("/items/{id}")
    filled = _one_values(spec, values)
    assert filled["url"].endswith("/items/{id}")  # node applies values to query parameters only
    assert {"name": "kind", "value": "a"} in filled["queryString"]
    everywhere = build_hars(spec, "GET", "/items/{id}", values,
                            value_locations=("path", "query", "header", "cookie"))[0]
    assert everywhere["url"] == "https://{region}.api.example.com/v1//items/42"
    assert {"name": "X-Trace", "value": "t-1"} in everywhere["headers"]
    assert everywhere["cookies"] == [{"name": "session", "value": "s"}]


def _one_values(spec, values: dict) -> dict:
    return build_hars(spec, "get", "/items/{id}", values)[0]


def test_one_har_per_body_media_type_in_node_order() -> None:
    doc = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "servers": [{"url": "https://x.io"}],
           "paths": {"/f": {"post": {"requestBody": {"content": {
               "multipart/form-data": {"schema": {"type": "object", "properties": {"f": {"type": "string"}}}},
               "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                   "a b": {"type": "string", "example": "x y"}}}},
               "application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}},
               "text/plain": {"schema": {"type": "string"}}}}}}}}
    hars = build_hars(doc, "POST", "/f")
    assert [h["comment"] for h in hars] == ["application/json", "application/x-www-form-urlencoded",
                                           "multipart/form-data"]
    assert hars[0]["postData"] == {"mimeType": "application/json", "text": '{"n":0}'}
    assert hars[1]["postData"] == {"mimeType": "application/x-www-form-urlencoded",
                                   "params": [{"name": "a+b", "value": "x+y"}], "text": "0=undefined"}
    assert hars[2]["headers"] == [{"name": "content-type", "value": "multipart/form-data"}]
    assert len(render_endpoint_all(doc, "POST", "/f", "curl")) == 3
    assert render_endpoint(doc, "POST", "/f", "curl").startswith("curl --request POST")


def test_unknown_endpoint() -> None:
    spec = load_spec(DATA / "specs" / "openapi31.yaml")
    with pytest.raises(UnknownEndpointError):
        build_hars(spec, "DELETE", "/items/{id}")


def test_javascript_replacement_patterns() -> None:
    assert js_replace_first("/a/{x}/{x}", "{x}", "p$$w") == "/a/p$w/{x}"
    assert js_replace_first("/a/{x}", "{x}", "[$&]") == "/a/[{x}]"
    assert js_replace_first("/a/{x}/b", "{x}", "$`|$'|$1") == "/a//a/|/b|$1/b"
