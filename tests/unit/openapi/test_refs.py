"""$ref scanning, checking and bounded resolution."""

from __future__ import annotations

import json

import pytest

from apipack.errors import RefError
from apipack.openapi.refs import Resolver, check_refs, scan_refs


def _doc() -> dict:
    return {"components": {"schemas": {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}, "s": {"type": "string"}}},
        "a/b": {"type": "integer"},
        "Alias": {"$ref": "#/components/schemas/A"},
    }}}


def test_scan_json_text_and_tree_agree() -> None:
    doc = _doc()
    raw = json.dumps(doc).encode()
    assert scan_refs(doc, raw) == scan_refs(doc) == {"#/components/schemas/A", "#/components/schemas/B"}


def test_mutual_recursion_resolves_bounded() -> None:
    r = Resolver(_doc(), max_depth=3)
    out = r.resolve({"$ref": "#/components/schemas/A"})
    assert out["properties"]["b"]["properties"]["a"] == {"$ref": "#/components/schemas/A"}
    assert out["properties"]["b"]["properties"]["s"] == {"type": "string"}


def test_escaped_pointer_and_alias_chain() -> None:
    r = Resolver(_doc())
    assert r.resolve({"$ref": "#/components/schemas/a~1b"}) == {"type": "integer"}
    assert r.deref({"$ref": "#/components/schemas/Alias"})["type"] == "object"


def test_check_refs_cycle_and_warnings() -> None:
    doc = _doc()
    doc["components"]["schemas"]["Loop"] = {"$ref": "#/components/schemas/Loop"}
    with pytest.raises(RefError, match="Loop -> #/components/schemas/Loop"):
        check_refs(doc, {"#/components/schemas/Loop"}, "t")
    warnings = check_refs(_doc(), {"#/nowhere", "other.yaml#/X", "#/components/schemas/A"}, "t")
    assert warnings == ["remote $ref not fetched: other.yaml#/X", "local $ref points to nothing: #/nowhere"]
