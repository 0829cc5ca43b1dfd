"""Our httpsnippet port against node's own output, kept as golden files (no node needed).

tests/data/golden/httpsnippet/: corpus_sample.jsonl (HARs that openapi-snippet built from
corpus specs, picked to cover every branch), synthetic.jsonl (hand-written edge cases),
fuzz.jsonl (random HARs full of characters that need escaping). Each line carries the HAR and
httpsnippet 2.0.0's outputs per target id, or the error it threw. Regenerate on purpose only
(docs/renderers.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apipack.errors import SnippetRenderError, UnknownLanguageError
from apipack.snippets import render, render_all
from apipack.snippets.targets_table import TARGETS

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / "httpsnippet"
FILES = ("corpus_sample.jsonl", "synthetic.jsonl", "fuzz.jsonl")
TARGET_IDS = [t.target_id for t in TARGETS.values()]


def _rows(name: str) -> list[dict]:
    with (GOLDEN / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module", params=FILES)
def golden(request: pytest.FixtureRequest) -> tuple[str, list[dict]]:
    return request.param, _rows(request.param)


def _label(row: dict) -> str:
    return row.get("name") or f"{row.get('spec')} {row.get('method')} {row.get('path')} #{row.get('index')}"


@pytest.mark.parametrize("target_id", TARGET_IDS)
def test_identical_to_httpsnippet(golden: tuple[str, list[dict]], target_id: str) -> None:
    name, rows = golden
    assert rows, f"{name} is empty"
    mismatches = []
    for row in rows:
        if "all" in row["errors"]:  # httpsnippet could not even prepare it
            with pytest.raises(SnippetRenderError):
                render(row["har"], target_id)
            continue
        expected = row["outputs"].get(target_id)
        if expected is None and target_id == "swift_nsurlsession" and \
                "reading 'name'" in str(row["errors"].get(target_id, "")):
            # a form body without parameters: rendered as httpsnippet would had it not thrown
            assert "let postData = NSMutableData" in render(row["har"], target_id)
            continue
        if expected is None:  # the node target threw: so must we
            with pytest.raises(SnippetRenderError):
                render(row["har"], target_id)
            continue
        got = render(row["har"], target_id)
        if got != expected:
            mismatches.append(f"{_label(row)}\n--- expected\n{expected}\n--- got\n{got}")
    assert not mismatches, f"{len(mismatches)} of {len(rows)} differ in {name}; first:\n{mismatches[0]}"


def test_golden_files_cover_the_branches() -> None:
    rows = [row for name in FILES for row in _rows(name)]
    mimes = {(row["har"].get("postData") or {}).get("mimeType") for row in rows}
    assert {None, "application/json", "application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain"} <= mimes
    assert any(row["validation"] == "failed" for row in rows)
    assert any(row["har"].get("cookies") for row in rows)
    queries = [[q["name"] for q in row["har"]["queryString"]] for row in rows]
    assert any(len(names) != len(set(names)) for names in queries)


def test_render_all_agrees_with_render() -> None:
    for row in _rows("synthetic.jsonl"):
        if row["errors"]:
            continue
        together = render_all(row["har"])
        assert list(together) == list(TARGETS)
        for short, text in together.items():
            assert text == render(row["har"], short) == row["outputs"][TARGETS[short].target_id]


def test_target_names_and_har_untouched() -> None:
    row = next(r for r in _rows("synthetic.jsonl") if r["name"] == "multipart")
    before = json.dumps(row["har"], sort_keys=True)
    by_short = render(row["har"], "python")
    assert by_short == render(row["har"], "python_python3") == render(row["har"], "Python")
    compat = render(row["har"], "swift")
    assert isinstance(render(row["har"], "swift", corrected=True), str)
    assert render(row["har"], "swift") == compat  # the corrected path leaves no state behind
    assert json.dumps(row["har"], sort_keys=True) == before
    with pytest.raises(UnknownLanguageError):
        render(row["har"], "cobol")


def test_bad_har_is_a_clear_error() -> None:
    with pytest.raises(SnippetRenderError, match="JSON object"):
        render([], "curl")  # type: ignore[arg-type]
    with pytest.raises(SnippetRenderError, match="url"):
        render({"method": "GET"}, "curl")
