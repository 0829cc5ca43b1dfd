"""One spec through the real loader and renderers: every target rendered, shards consistent."""

from __future__ import annotations

import json
from pathlib import Path

import orjson

from apipack.dataset.spec_records import SpecTask, WorkerOptions, close_shards, process_spec, real_render_many
from apipack.openapi import load_spec
from apipack.snippets.targets_table import TARGETS

PETSTORE = {
    "openapi": "3.0.0",
    "info": {"title": "Swagger Petstore", "description": "Pets.", "x-providerName": "petstore.io"},
    "servers": [{"url": "https://petstore.example.com/v1"}],
    "paths": {
        "/pets": {
            "get": {"operationId": "listPets", "summary": "List all pets", "tags": ["pets"],
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]},
            "post": {"operationId": "createPet", "summary": "Create a pet", "tags": ["pets"],
                     "requestBody": {"content": {"application/json": {"schema": {
                         "type": "object", "properties": {"name": {"type": "string"}}}}}}},
        },
        "/pets/{petId}": {"get": {"operationId": "showPetById", "summary": "Info for a specific pet",
                                  "parameters": [{"name": "petId", "in": "path", "required": True,
                                                  "schema": {"type": "string"}}]}},
    },
}


def test_real_render_many_gives_every_target(tmp_path: Path) -> None:
    path = tmp_path / "petstore.json"
    path.write_text(json.dumps(PETSTORE))
    spec = load_spec(path, api_id="petstore", spec_path="petstore.json")
    codes = real_render_many(spec, "POST", "/pets", list(TARGETS))
    assert set(codes) == set(TARGETS) and all(isinstance(c, str) and c for c in codes.values())
    assert codes["curl"].startswith("curl --request POST")


def test_process_spec_real_parts(tmp_path: Path) -> None:
    path = tmp_path / "petstore.json"
    path.write_text(json.dumps(PETSTORE))
    shards = tmp_path / "shards"
    shards.mkdir()
    opts = WorkerOptions(langs=("curl", "python"), shard_dir=str(shards))
    try:
        res = process_spec(SpecTask(str(path), "petstore", "petstore.json"), opts)
    finally:
        close_shards()
    assert res.error is None and res.endpoints == 3 and not res.render_errors
    for lang in ("curl", "python"):
        shard, offset, size = res.parts[lang]
        data = Path(shard).read_bytes()[offset:offset + size]
        lines = data.splitlines(keepends=True)
        assert [len(x) for x in lines] == res.lens[lang]
        recs = [orjson.loads(x) for x in lines]
        assert [r["unique_id"] for r in recs] == res.ids[lang] == [f"petstore.json_{i}" for i in range(3)]
        assert recs[0]["provider"] == "petstore.io" and recs[0]["output"].endswith(f"**lang**:{TARGETS[lang].lang}")


def test_process_spec_reports_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: [unclosed\n")
    res = process_spec(SpecTask(str(path), "broken", "broken.yaml"), WorkerOptions(langs=("curl",)))
    assert res.error is not None and res.error["type"] == "spec_not_parseable" and "broken.yaml" in res.error["message"]
    missing = process_spec(SpecTask(str(tmp_path / "nope.json"), "nope", "nope.json"), WorkerOptions(langs=("curl",)))
    assert missing.error is not None and "nope.json" in missing.error["message"]
