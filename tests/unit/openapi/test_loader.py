"""load_spec / load_many: good specs load, each kind of bad input is reported with its reason."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from apipack.errors import (
    NoPathsError,
    NotOpenAPIError,
    RefError,
    SpecError,
    SpecParseError,
    SpecTooLargeError,
)
from apipack.openapi import iter_spec_files, load_many, load_spec

BAD = [
    ("not_yaml.yaml", SpecParseError, "not valid JSON or YAML"),
    ("not_text.json", SpecParseError, "not UTF-8 text"),
    ("not_openapi.json", NotOpenAPIError, "not an OpenAPI 3.x or Swagger 2.0 document"),
    ("no_paths.yaml", NoPathsError, "has no paths"),
    ("ref_cycle.json", RefError, "$ref cycle #/components/schemas/A -> #/components/schemas/B"),
    ("billion_laughs.yaml", SpecTooLargeError, "billion laughs"),
]


@pytest.mark.parametrize(("name", "error", "reason"), BAD)
def test_bad_input_is_reported_with_its_reason(specs_dir: Path, name: str, error: type, reason: str) -> None:
    with pytest.raises(error) as info:
        load_spec(specs_dir / name)
    assert reason in info.value.message
    assert name in info.value.message  # the message names the spec


def test_over_the_size_limit(specs_dir: Path) -> None:
    path = specs_dir / "openapi31.yaml"
    with pytest.raises(SpecTooLargeError, match="over the limit of 100 bytes"):
        load_spec(path, max_bytes=100)
    with pytest.raises(SpecTooLargeError):
        load_spec(path.read_bytes(), api_id="x", max_bytes=100)


def test_a_batch_goes_on_past_bad_specs(specs_dir: Path) -> None:
    results = {r.api_id: r for r in load_many(iter_spec_files([specs_dir]))}
    bad = {name.rsplit(".", 1)[0] for name, _, _ in BAD}
    assert {a for a, r in results.items() if not r.ok} == bad
    assert all(isinstance(results[a].error, SpecError) for a in bad)
    for good in ("crash_classes", "openapi31", "petstore_swagger2", "remote_ref"):
        assert results[good].ok and results[good].spec.endpoints


def test_remote_and_broken_refs_are_warnings_not_fetched(specs_dir: Path) -> None:
    spec = load_spec(specs_dir / "remote_ref.yaml")
    assert "remote $ref not fetched: https://schemas.example.com/thing.json#/Thing" in spec.warnings
    assert "local $ref points to nothing: #/components/parameters/Missing" in spec.warnings
    assert [(e.method, e.path) for e in spec.endpoints] == [("POST", "/things"), ("GET", "/things")]


def test_spec_text_and_bytes_sources(specs_dir: Path) -> None:
    text = (specs_dir / "crash_classes.json").read_text()
    from_text = load_spec(text, api_id="c")
    from_bytes = load_spec(text.encode(), api_id="c")
    assert from_text.doc == from_bytes.doc
    assert from_text.content_hash == from_bytes.content_hash
    assert from_text.api_id == "c" and from_text.title == "openapi-snippet crash classes"


def test_parse_cache_by_content_hash(tmp_path: Path, specs_dir: Path) -> None:
    data = (specs_dir / "openapi31.yaml").read_bytes()
    first = load_spec(data, api_id="f", cache_dir=tmp_path)
    entries = list(tmp_path.rglob("*.pickle"))
    assert len(entries) == 1
    again = load_spec(data, api_id="f", cache_dir=tmp_path)
    assert again == first and again is not first
    changed = load_spec(data.replace(b"Features 3.1", b"Features 3.1 (changed)"), api_id="f", cache_dir=tmp_path)
    assert changed.title == "Features 3.1 (changed)"
    assert len(list(tmp_path.rglob("*.pickle"))) == 2


def test_parse_cache_survives_a_corrupt_entry(tmp_path: Path, specs_dir: Path) -> None:
    data = (specs_dir / "openapi31.yaml").read_bytes()
    load_spec(data, api_id="f", cache_dir=tmp_path)
    (entry,) = tmp_path.rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_spec(data, api_id="f", cache_dir=tmp_path).title == "Features 3.1"


def test_swagger2_is_converted(specs_dir: Path) -> None:
    spec = load_spec(specs_dir / "petstore_swagger2.yaml")
    doc = spec.doc
    assert doc["openapi"].startswith("3.0")
    assert doc["servers"][0]["url"] == "https://petstore.example.com/v2"
    assert doc["components"]["securitySchemes"]["basicAuth"] == {"type": "http", "scheme": "basic"}
    assert "implicit" in doc["components"]["securitySchemes"]["petstore_auth"]["flows"]
    by = {(e.method, e.path): e for e in spec.endpoints}
    add = by[("POST", "/pets")]
    assert add.request_body.content_type == "application/json"
    assert "name" in add.request_body.properties and add.request_body.required
    photo = by[("POST", "/pets/{petId}/photo")]
    assert photo.request_body.content_type == "multipart/form-data"
    assert photo.request_body.required_properties == ("file",)
    assert [p.name for p in photo.parameters] == ["petId"]
    login = by[("POST", "/login")]
    assert login.request_body.content_type == "application/x-www-form-urlencoded"
    assert [(p.name, p.location) for p in login.parameters] == [("X-Request-Id", "header")]
    listing = by[("GET", "/pets")]
    assert [(p.name, p.location, p.schema.get("type")) for p in listing.parameters] == [
        ("limit", "query", "integer"), ("status", "query", "array")]
    assert [s.kind for s in listing.security] == ["apiKey"] and listing.security[0].param_name == "X-API-Key"
    assert add.security[0].kind == "oauth2" and photo.security[0].scheme == "basic"
    assert spec.provider == "petstore.example"


def test_openapi31_model(specs_dir: Path) -> None:
    spec = load_spec(specs_dir / "openapi31.yaml")
    get_item, tree = spec.endpoints
    assert get_item.base_url == "https://eu.api.example.com/v1/"
    assert [(p.name, p.location) for p in get_item.parameters] == [
        ("id", "path"), ("kind", "query"), ("filter", "query"), ("session", "cookie"), ("X-Trace", "header")]
    assert get_item.parameters[0].required and get_item.parameters[4].example == "abc"
    assert get_item.security[0].scheme == "bearer"
    # a recursive schema is resolved a bounded number of levels, the repeat left as a $ref
    schema = tree.request_body.schema
    assert schema["properties"]["name"] == {"type": "string"}
    assert schema["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Node"}


def test_yaml_follows_the_core_schema(tmp_path: Path) -> None:
    spec_file = tmp_path / "y.yaml"
    spec_file.write_text("openapi: 3.0.0\ninfo: {title: t, version: 1.0}\npaths:\n  /a:\n    get:\n"
                         "      parameters: [{name: on, in: query, schema: {enum: [yes, no], example: 10:30}}]\n"
                         "      responses: {200: {description: ok}}\n")
    spec = load_spec(spec_file)
    param = spec.endpoints[0].parameters[0]
    assert param.name == "on" and param.schema["enum"] == ["yes", "no"] and param.example == "10:30"
    assert "200" in spec.doc["paths"]["/a"]["get"]["responses"]


def test_loading_does_not_share_state_between_specs(specs_dir: Path) -> None:
    a = load_spec(specs_dir / "crash_classes.json")
    before = copy.deepcopy(a.doc)
    b = load_spec(specs_dir / "crash_classes.json")
    assert a.doc == b.doc == before and a.doc is not b.doc


def test_unreadable_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecParseError, match="cannot read the file"):
        load_spec(tmp_path / "missing.json")


@pytest.mark.parametrize("paths", [
    {"/a": {"get": {"parameters": [{"name": "x", "in": {"q": 1}}, None, "str", {"$ref": "#/nope"}]}}},
    {"/a": {"get": {"security": [{"k": []}, None, []], "requestBody": {"content": None}}}},
    {"/a": {"get": None, "post": [], "parameters": {"not": "a list"}}},
    {"/a": "not an object", "/b": {"get": {"tags": "x", "servers": [None]}}},
])
def test_malformed_operations_still_load(paths: dict) -> None:
    import json

    doc = {"openapi": "3.0.0", "info": {"title": "t"}, "security": [{"k": {}}],
           "components": {"securitySchemes": {"k": {"type": ["http"]}}}, "paths": paths}
    try:
        spec = load_spec(json.dumps(doc).encode(), api_id="m")
    except SpecError:
        return  # a reasoned refusal is fine; anything else is a bug
    from apipack.snippets import build_hars

    for ep in spec.endpoints:
        assert build_hars(spec, ep.method, ep.path)
