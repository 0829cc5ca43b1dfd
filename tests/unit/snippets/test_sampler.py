"""The openapi-sampler port against node's own samples (tests/data/sampler_golden.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apipack.snippets.jsvalue import UNDEFINED, json_stringify
from apipack.snippets.sampler import Sampler

CASES = json.loads((Path(__file__).parents[2] / "data" / "sampler_golden.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_sample_matches_node(case: dict) -> None:
    sample = Sampler(case.get("spec") or {"openapi": "3.0.0"}).sample(case["schema"])
    expected = case["expected"]
    if expected == "__undefined__":
        assert sample is UNDEFINED
    else:
        assert json_stringify(sample) == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def test_memo_is_reused_across_samples_and_stays_correct() -> None:
    spec = {"openapi": "3.0.0", "components": {"schemas": {
        "N": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/M"}}},
        "M": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}, "s": {"type": "string"}}}}}}
    shared: dict = {}
    first = Sampler(spec, shared=shared).sample({"$ref": "#/components/schemas/N"})
    second = Sampler(spec, shared=shared).sample({"$ref": "#/components/schemas/M"})
    assert json_stringify(first) == '{"a":{"n":{},"s":"string"}}'
    assert json_stringify(second) == '{"n":{"a":{}},"s":"string"}'
    assert shared["memo"]
