"""Report formatting: the paper-layout table, the strict table, the JSON and the PNG."""

from __future__ import annotations

import json
from pathlib import Path

from evaluation.report import GroupSummary, RunReport, markdown_report, paper_cell, paper_table, write_report


def group(lang: str, level: str, acc: float, ep: float, n: int = 10, **kw: object) -> GroupSummary:
    base = dict(lang=lang, level=level, n=n, accuracy=acc, endpoint_accuracy=ep, call_match_rate=acc,
                endpoint_exact=acc, api_accuracy=1.0, hallucination_rate=0.0, answered_rate=1.0,
                required_recall=None, value_accuracy=None)
    base.update(kw)
    return GroupSummary(**base)  # type: ignore[arg-type]


GROUPS = [group("python", "L1", 0.95, 0.97), group("python", "L3", 0.91, 0.93),
          group("curl", "L2", 0.9, 0.925, failure_kinds={"wrong_endpoint": 1}),
          group("libcurl", "L3", 0.5, 0.6, failure_kinds={"wrong_endpoint": 2, "no_match": 3})]


def test_paper_table_layout_and_paper_figures() -> None:
    table = paper_table(GROUPS)
    lines = table.splitlines()
    assert lines[0] == "| language | L1 ours | L1 paper | L2 ours | L2 paper | L3 ours | L3 paper |"
    # rows in the targets' order (curl before python before libcurl), ours then the paper's
    assert [ln.split("|")[1].strip() for ln in lines[2:]] == ["curl", "python", "libcurl"]
    python = lines[3]
    assert "0.950 / 0.970 (n=10)" in python and "0.693 / 0.744" in python and "0.561 / 0.640" in python
    assert "| — |" in python  # python has no L2 of ours
    assert paper_cell("libcurl", "L3") == "0.37 (cURL-only model)"
    assert paper_cell("java", "L3").startswith("0.51-0.68")
    assert paper_cell("java", "L1") == "—"


def test_markdown_report_has_command_tables_and_failures() -> None:
    rep = RunReport(meta={"set": "levels", "backend": "grounded", "named": True, "cases": 40, "seconds": 2.0,
                          "cases_per_second": 20.0, "index": "idx", "command": "apipack eval run ..."},
                    groups=GROUPS, overall=group("all", "all", 0.8, 0.85, n=40), cases=[])
    md = markdown_report(rep)
    assert "API named" in md and "apipack eval run ..." in md
    assert "| libcurl | L3 | 10 | 0.500 | 0.600 |" in md
    assert "| no_match | 3 |" in md and "| wrong_endpoint | 3 |" in md
    assert "Overall: 0.800 / 0.850 over 40 cases." in md


def test_write_report_files(tmp_path: Path) -> None:
    rep = RunReport(meta={"set": "portal", "backend": "grounded", "named": False, "cases": 1, "seconds": 0.1},
                    groups=[group("python", "portal", 1.0, 1.0, n=1)], overall=None,
                    cases=[{"id": "c1", "query": "q", "expected": {}, "got": {}, "scores": {"correct": True}}])
    paths = write_report(rep, tmp_path, stem="portal")
    data = json.loads(paths["json"].read_text())
    assert data["cases"][0]["id"] == "c1" and data["groups"][0]["level"] == "portal"
    assert "API not named" in paths["markdown"].read_text()
    assert "portal paper" not in paths["markdown"].read_text()  # no paper column outside the levels
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
