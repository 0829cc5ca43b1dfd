"""training.export: the three formats, the held-out splits never exported, determinism, mixtures."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from apipack.errors import TrainingError
from generation.prompt import PromptExample, build_prompt
from tests.unit.training.records_fixture import make_dataset
from training.export import Exporter, file_name, held_out, parse_mix, pick_examples


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    return make_dataset(tmp_path / "ds", n_apis=10, per_api=8)


def _rows(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def _split(dataset: Path, lang: str) -> dict:
    return orjson.loads((dataset / "splits" / lang / "split.json").read_bytes())


def test_held_out_records_never_exported(dataset: Path, tmp_path: Path) -> None:
    ex = Exporter(dataset, tmp_path / "out")
    entry = ex.export({"python": None, "curl": None}, "in-context")
    rows = _rows(tmp_path / "out" / entry["file"])
    held = held_out(dataset)
    assert held.unique_ids and held.api_ids  # the fixture does hold records out
    l2_endpoints = held.endpoint_ids
    for row in rows:
        assert row["unique_id"] not in held.unique_ids
        assert row["api_id"] not in held.api_ids
        for uid in row["examples"]:  # the in-context examples too
            assert uid not in held.unique_ids
    split = _split(dataset, "python")
    exported_endpoints = {orjson.loads(line)["endpoint_id"]
                          for line in (dataset / "total_data_cleaned_python.jsonl").read_bytes().splitlines()
                          if orjson.loads(line)["unique_id"] in {r["unique_id"] for r in rows}}
    assert not exported_endpoints & l2_endpoints
    assert set(split["level3_apis"]).isdisjoint({r["api_id"] for r in rows})
    total = sum(1 for _ in (dataset / "total_data_cleaned_python.jsonl").read_bytes().splitlines())
    assert entry["records"]["python"] == total - len(split["level2"]) - 8 * len(split["level3_apis"])


def test_simple_rows_use_the_api_pack_prompt_without_examples(dataset: Path, tmp_path: Path) -> None:
    entry = Exporter(dataset, tmp_path / "out").export({"python": 5}, "simple")
    row = _rows(tmp_path / "out" / entry["file"])[0]
    rec = next(orjson.loads(line) for line in (dataset / "total_data_cleaned_python.jsonl").read_bytes().splitlines()
               if orjson.loads(line)["unique_id"] == row["unique_id"])
    assert row["prompt"] == build_prompt(api_description=rec["api_description"], lang_label="Python",
                                         request=rec["instruction"])
    assert row["completion"] == rec["output"] and row["completion"].startswith("**domain**:")
    assert "\n**api_call**:" in row["completion"] and row["input"] == "" and row["examples"] == []


def test_in_context_rows_have_three_examples_of_the_same_api_best_last(dataset: Path, tmp_path: Path) -> None:
    entry = Exporter(dataset, tmp_path / "out").export({"python": None}, "in-context")
    rows = _rows(tmp_path / "out" / entry["file"])
    by_id = {orjson.loads(line)["unique_id"]: orjson.loads(line)
             for line in (dataset / "total_data_cleaned_python.jsonl").read_bytes().splitlines()}
    for row in rows:
        assert len(row["examples"]) == 3
        assert all(by_id[uid]["api_id"] == row["api_id"] and uid != row["unique_id"] for uid in row["examples"])
        examples = [PromptExample(by_id[u]["instruction"], by_id[u]["output"]) for u in row["examples"]]
        rec = by_id[row["unique_id"]]
        assert row["prompt"] == build_prompt(api_description=rec["api_description"], lang_label="Python",
                                             request=rec["instruction"], examples=examples)
        assert row["prompt"].index(examples[0].instruction) > row["prompt"].index(examples[2].instruction)


def test_pick_examples_ranks_by_overlap_and_skips_the_record_itself() -> None:
    rec = {"unique_id": "a_0", "instruction": "delete the red widget", "endpoint_id": "e0"}
    pool = [rec, {"unique_id": "a_1", "instruction": "list invoices", "endpoint_id": "e1"},
            {"unique_id": "a_2", "instruction": "delete a widget", "endpoint_id": "e2"},
            {"unique_id": "a_3", "instruction": "delete the red widget now", "endpoint_id": "e0"}]
    assert [e["unique_id"] for e in pick_examples(rec, pool)] == ["a_2", "a_1"]


def test_combined_is_half_each_format_and_deterministic(dataset: Path, tmp_path: Path) -> None:
    a = Exporter(dataset, tmp_path / "a", seed=3).export({"python": None}, "combined")
    b = Exporter(dataset, tmp_path / "b", seed=3).export({"python": None}, "combined")
    c = Exporter(dataset, tmp_path / "c", seed=4).export({"python": None}, "combined")
    assert a["sha256"] == b["sha256"] and a["sha256"] != c["sha256"]
    kinds = [r["format"] for r in _rows(tmp_path / "a" / a["file"])]
    assert 0.25 < kinds.count("simple") / len(kinds) < 0.75 and set(kinds) == {"simple", "in-context"}


def test_sizes_are_nested_and_mixtures_take_n_plus_m_each(dataset: Path, tmp_path: Path) -> None:
    ex = Exporter(dataset, tmp_path / "out")
    small = ex.export({"python": 10}, "simple")
    big = ex.export({"python": 30}, "simple")
    ids_small = {r["unique_id"] for r in _rows(tmp_path / "out" / small["file"])}
    ids_big = {r["unique_id"] for r in _rows(tmp_path / "out" / big["file"])}
    assert len(ids_small) == 10 and ids_small < ids_big
    mix = ex.export(ex.resolve_mix(parse_mix("python=20,others=4")), "in-context")
    assert mix["records"] == {"python": 20, "curl": 4} and mix["file"] == "in-context_python-20+curl-4.jsonl"
    rows = _rows(tmp_path / "out" / mix["file"])
    assert sum(r["lang"] == "curl" for r in rows) == 4
    manifest = orjson.loads(ex.write_manifest().read_bytes())
    assert [f["file"] for f in manifest["files"]] == [small["file"], big["file"], mix["file"]]
    assert manifest["held_out"]["level3_apis"] and manifest["available"]["python"] > 30


def test_errors_name_the_problem(dataset: Path, tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="LANG=N"):
        parse_mix("python:20")
    with pytest.raises(TrainingError, match="no records for go"):
        Exporter(dataset, tmp_path / "o").resolve_mix({"go": 3})
    with pytest.raises(TrainingError, match="apipack dataset build"):
        Exporter(tmp_path / "empty", tmp_path / "o")
    with pytest.raises(TrainingError, match="unknown format"):
        Exporter(dataset, tmp_path / "o").export({"python": 2}, "chat")
    assert file_name("simple", {"python": None}) == "simple_python-all.jsonl"
