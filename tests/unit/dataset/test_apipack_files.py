"""Reading API Pack's released JSON arrays (no extra fields) and our JSONL files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apipack.dataset.apipack_files import find_record_files, read_records
from apipack.dataset.records import Record
from apipack.dataset.writer import write_api_pack_json, write_jsonl
from apipack.errors import DatasetFileError

RELEASED = {
    "api_name": "Food-Cooking Recipe-API",
    "api_description": "Food-Cooking Recipe-API",
    "api_call_data": {"api_call": "curl --request GET \\\n  --url 'https://r.example/getbycat/x'", "lang": "cURL",
                      "functionality": "getrecipebycat", "api_arguments": {}, "description": "Recipes by category",
                      "domain": [], "path": "/getbycat/{category}"},
    "instruction": "Find recipes of a category.",
    "instruction_test": "How do I list recipes by category?",
    "input": "",
    "output": "**domain**:[]\n**api_call**:curl --request GET \\\n  --url 'https://r.example/getbycat/x'\n"
              "**api_provider**:\n**lang**:cURL",
    "unique_id": "Food-Cooking-Recipe-API.json_0",
}


def test_reads_released_array_without_our_fields(tmp_path: Path) -> None:
    path = tmp_path / "total_data_cleaned_curl.json"
    path.write_text(json.dumps([RELEASED, {**RELEASED, "unique_id": "Food-Cooking-Recipe-API.json_1"}], indent=4))
    recs = list(read_records(path))
    assert len(recs) == 2
    r = recs[0]
    assert r.target == "curl" and r.lang == "cURL"
    assert r.api_id == "Food-Cooking-Recipe-API" and r.provider == "" and r.method == ""
    assert r.path == "/getbycat/{category}" and r.endpoint_id
    assert r.to_api_pack() == RELEASED  # nothing lost


def test_target_from_lang_label_when_file_name_says_nothing(tmp_path: Path) -> None:
    rec = {**RELEASED, "api_call_data": {**RELEASED["api_call_data"], "lang": "javascript xhr"}}
    path = tmp_path / "some.json"
    path.write_text(json.dumps([rec]))
    assert next(read_records(path)).target == "javascript"


def test_round_trip_both_formats(tmp_path: Path) -> None:
    rec = Record(api_name="P", api_description="d", api_call="c", lang="Python", functionality="f",
                 description="x", domain=["t"], path="/p", instruction="i", instruction_test="j",
                 unique_id="p.json_0", method="GET", operation_id="op", provider="p.io", api_id="p.io",
                 spec_path="p.io.json", endpoint_id="e1", target="python")
    write_jsonl(tmp_path / "total_data_cleaned_python.jsonl", [rec])
    write_api_pack_json(tmp_path / "total_data_cleaned_python.json", [rec])
    assert list(read_records(tmp_path / "total_data_cleaned_python.jsonl")) == [rec]
    back = next(read_records(tmp_path / "total_data_cleaned_python.json"))
    assert back.to_api_pack() == rec.to_api_pack()
    assert json.loads((tmp_path / "total_data_cleaned_python.json").read_text())[0] == rec.to_api_pack()
    assert find_record_files(tmp_path) == [tmp_path / "total_data_cleaned_python.jsonl"]


def test_bad_file_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "total_data_cleaned_go.json"
    path.write_text("{not json")
    with pytest.raises(DatasetFileError, match="total_data_cleaned_go.json"):
        list(read_records(path))
    path.write_text('{"a": 1}')
    with pytest.raises(DatasetFileError, match="JSON array"):
        list(read_records(path))
