"""The build pipeline over specs: files, errors, filters, splits, parallel = serial, incremental."""

from __future__ import annotations

import json
from pathlib import Path

from apipack.dataset.build import build_dataset
from apipack.dataset.splits import level_path
from apipack.dataset.writer import JSONL_NAME
from tests.unit.dataset.spec_factory import tiny_discover, tiny_load, tiny_render, write_tiny_spec

LANGS = ("curl", "python", "go")


def _build(corpus: Path, out: Path, **kw):
    return build_dataset([corpus], out, langs=LANGS, render=tiny_render, load=tiny_load, discover=tiny_discover,
                         **kw)


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "summary.json"}


def test_build_outputs(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s = _build(tiny_corpus, out, seed=0)
    assert s.specs_total == 8 and s.specs_ok == 7 and s.specs_failed == 1
    n = sum(3 + i for i in range(7))
    assert s.endpoints == n and s.records == {lang: n for lang in LANGS}
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert errors == [{"spec_path": "broken.example.com.json", "api_id": "broken.example.com", "kind": "spec",
                       "type": "not_openapi", "message": "broken.example.com.json: not a tiny spec (no endpoints)"}]
    lines = (out / JSONL_NAME.format(lang="python")).read_text().splitlines()
    rec = json.loads(lines[0])
    assert rec["target"] == "python" and rec["api_call_data"]["lang"] == "Python"
    assert rec["unique_id"] == "api0.example.com.json_0" and rec["spec_path"] == "api0.example.com.json"
    assert rec["output"].startswith("**domain**:['items']\n**api_call**:python GET https://api0.example.com/items\n")
    assert rec["instruction"] != rec["instruction_test"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["specs_failed"] == 1 and summary["records"]["go"] == n
    instr = [json.loads(x) for x in (out / "instructions.jsonl").read_text().splitlines()]
    assert len(instr) == n and all(len(x["instructions"]) >= 3 for x in instr)


def test_splits_written_and_consistent(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(tiny_corpus, out)
    for lang in LANGS:
        split = json.loads((out / "splits" / lang / "split.json").read_text())
        l3 = [json.loads(x) for x in (level_path(out, lang, "L3")).read_text().splitlines()]
        l2 = [json.loads(x) for x in (level_path(out, lang, "L2")).read_text().splitlines()]
        assert [r["unique_id"] for r in l3] == split["level3"] and [r["unique_id"] for r in l2] == split["level2"]
        assert {r["api_id"] for r in l3} <= set(split["level3_apis"])
        assert all(r["target"] == lang for r in l2 + l3)
        assert set(split["index_excluded"]) == set(split["level2"]) | set(split["level3"])


def test_parallel_equals_serial_and_is_deterministic(tiny_corpus: Path, tmp_path: Path) -> None:
    _build(tiny_corpus, tmp_path / "a", workers=1, seed=3)
    _build(tiny_corpus, tmp_path / "b", workers=2, seed=3)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_render_error_reported_and_skipped(tmp_path: Path) -> None:
    root = tmp_path / "specs"
    path = write_tiny_spec(root, "boom.io", "Boom Service", 3)
    data = json.loads(path.read_text())
    data["endpoints"].append(["GET", "/x/boom", "explode", "Explode it", "Makes the renderer fail"])
    path.write_text(json.dumps(data))
    s = _build(root, tmp_path / "out")
    assert s.render_errors == 3 and s.records["curl"] == 3
    errs = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert {e["target"] for e in errs} == set(LANGS) and all(e["path"] == "/x/boom" for e in errs)


def test_filtered_api_listed_and_left_out(tmp_path: Path) -> None:
    root = tmp_path / "specs"
    write_tiny_spec(root, "simple.io", "Simple Inventory API", 3)
    write_tiny_spec(root, "real.io", "Real API", 3)
    s = _build(root, tmp_path / "out")
    assert s.apis_filtered == 1 and s.filtered_reasons == {"simple_name": 1} and s.records["curl"] == 3
    assert json.loads((tmp_path / "out" / "filtered.jsonl").read_text())["api_id"] == "simple.io"
    kept = _build(root, tmp_path / "kept", apply_filters=False)
    assert kept.records["curl"] == 6 and kept.apis_filtered == 1


def test_incremental_rebuild_matches_full_build(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(tiny_corpus, out)
    write_tiny_spec(tiny_corpus, "api3.example.com", "Example Service 3", 8, salt=" changed")
    s = _build(tiny_corpus, out)
    assert s.specs_reused == 6  # 7 good specs, one changed; the broken one is always retried
    full = tmp_path / "full"
    _build(tiny_corpus, full, incremental=False)
    assert _files(out) == _files(full)
    assert "changed" in (out / JSONL_NAME.format(lang="curl")).read_text()


def test_api_pack_json(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    s = _build(tiny_corpus, out, api_pack_json=True)
    arr = json.loads((out / "total_data_cleaned_go.json").read_text())
    assert len(arr) == s.records["go"] and "target" not in arr[0] and arr[0]["input"] == ""


def test_oversized_calls_left_out_and_reported(tiny_corpus: Path, tmp_path: Path) -> None:
    s = _build(tiny_corpus, tmp_path / "out", max_call_bytes=30)  # tiny_render's calls are ~40 characters
    long_ones = s.oversized_calls
    assert long_ones > 0 and s.render_errors == long_ones
    assert sum(s.records.values()) + long_ones == 3 * sum(3 + i for i in range(7))
    errs = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert sum(e.get("type") == "oversized_call" for e in errs) == long_ones


def test_rebuild_with_fewer_languages_leaves_no_stale_files(tiny_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(tiny_corpus, out)
    build_dataset([tiny_corpus], out, langs=["curl"], render=tiny_render, load=tiny_load, discover=tiny_discover)
    assert sorted(p.name for p in out.glob("total_data_cleaned_*")) == ["total_data_cleaned_curl.jsonl"]
