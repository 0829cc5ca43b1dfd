"""Test-set loaders: portal JSONL, API Pack's released JSON arrays, records of a level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.testsets import InvalidTestSetError, cases_from_records, load_apipack_file, load_portal


def record(i: int, lang: str = "Python", **kw: object) -> dict:
    rec = {
        "api_name": "Acme Pets", "api_description": "pets",
        "api_call_data": {"api_call": "x", "lang": lang, "functionality": "list pets", "api_arguments": {},
                          "description": "", "domain": ["pets"], "path": f"/pets/{i}"},
        "instruction": f"list pets {i}", "instruction_test": f"show me pets {i}", "input": "",
        "output": f"**domain**:['pets']\n**api_call**:call {i}\n**api_provider**:acme\n**lang**:{lang}",
        "unique_id": f"acme.json_{i}",
    }
    rec.update(kw)
    return rec


def test_apipack_file(tmp_path: Path) -> None:
    path = tmp_path / "total_data_cleaned_python.json"
    path.write_text(json.dumps([record(0), record(1, lang="cURL")]))
    cases = load_apipack_file(path)
    assert [c.lang for c in cases] == ["python", "curl"]
    c = cases[0]
    assert c.query == "show me pets 0" and c.api == "Acme Pets" and c.path == "/pets/0"
    assert c.expected_output.startswith("**domain**") and c.level == "file" and c.method is None
    assert len(load_apipack_file(path, limit=1)) == 1
    path.write_text(json.dumps({"not": "an array"}))
    with pytest.raises(InvalidTestSetError, match="JSON array"):
        load_apipack_file(path)
    path.write_text("[{")
    with pytest.raises(InvalidTestSetError, match="not JSON"):
        load_apipack_file(path)


def test_record_without_output_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    rec = record(0)
    del rec["output"]
    path.write_text(json.dumps([rec]))
    with pytest.raises(InvalidTestSetError, match="no output"):
        load_apipack_file(path)


def test_our_records_carry_ids() -> None:
    recs = [record(i, api_id="acme.io", method="get", endpoint_id=f"e{i}", target="python_python3")
            for i in range(5)] + [record(9, lang="cURL", api_id="acme.io", method="POST")]
    cases = cases_from_records(recs, "L2", per_lang_limit=3, langs=["python", "curl"])
    assert [c.lang for c in cases] == ["python"] * 3 + ["curl"]
    assert cases[0].api == "acme.io" and cases[0].method == "GET" and cases[0].endpoint_id == "e0"
    assert all(c.level == "L2" and c.set_name == "levels" for c in cases)
    assert cases_from_records(recs, "L1", langs=["java"]) == []


def test_portal(tmp_path: Path) -> None:
    rows = [
        {"id": "d1", "query": "q one", "api": "a.io", "api_title": "A", "method": "get", "path": "/x",
         "operation_id": None, "values": {"n": 5}, "names_api": True, "lang": None, "also_correct": ["b.io"]},
        {"id": "d2", "query": "q two", "api": "a.io", "api_title": "A", "method": "POST", "path": "/y",
         "operation_id": "mk", "values": {}, "names_api": False, "lang": "go", "also_correct": []},
    ]
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    cases = load_portal(path)
    assert [(c.case_id, c.lang) for c in cases] == [("d1", "python"), ("d2", "go")]
    assert cases[0].values == {"n": "5"} and cases[0].also_correct == ("b.io",) and cases[0].method == "GET"
    assert cases[0].expected_output is None
    assert [c.lang for c in load_portal(path, default_lang="curl")] == ["curl", "go"]
    assert [c.case_id for c in load_portal(path, langs=["python"])] == ["d1"]
    assert len(load_portal(path, limit=1)) == 1
    with pytest.raises(InvalidTestSetError, match="cannot be read"):
        load_portal(tmp_path / "missing.jsonl")
