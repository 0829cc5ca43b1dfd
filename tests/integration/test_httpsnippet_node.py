"""Live differential test of our httpsnippet port against node's httpsnippet 2.0.0.

node (tests/conformance/node_modules, `make node`) renders, through
tests/conformance/httpsnippet_golden.js: the HARs openapi-snippet builds for a few real specs
(tests/data/httpsnippet_specs), the hand-written edge cases, and a fresh batch of random HARs
(another seed than the committed golden file). Every output must be byte-identical, and where
node throws, so must we.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apipack.errors import SnippetRenderError
from apipack.snippets import render
from apipack.snippets.targets_table import TARGETS

pytestmark = [pytest.mark.integration, pytest.mark.heavy]

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO / "tests" / "conformance"
SPECS = sorted((REPO / "tests" / "data" / "httpsnippet_specs").glob("*.json"))
TARGET_IDS = [t.target_id for t in TARGETS.values()]


def _node(args: list[str]) -> list[dict]:
    node = shutil.which("node")
    if node is None or not (CONFORMANCE / "node_modules" / "httpsnippet").is_dir():
        pytest.fail("node and tests/conformance/node_modules are needed: install nodejs and run `make node`")
    done = subprocess.run([node, str(CONFORMANCE / "httpsnippet_golden.js"), *args], capture_output=True,
                          text=True, timeout=300, cwd=CONFORMANCE)
    assert done.returncode == 0, done.stderr[-2000:]
    # split on "\n" only: JSON.stringify leaves U+2028 raw, which splitlines() would cut at
    return [json.loads(line) for line in done.stdout.split("\n") if line.strip()]


def _compare(rows: list[dict]) -> tuple[int, list[str]]:
    compared, problems = 0, []
    for row in rows:
        if "har" not in row:
            continue
        for tid in TARGET_IDS:
            expected = None if "all" in row["errors"] else row["outputs"].get(tid)
            if expected is None:
                try:
                    render(row["har"], tid)
                    problems.append(f"{row.get('name') or row.get('path')} {tid}: node threw, we rendered")
                except SnippetRenderError:
                    pass
                continue
            compared += 1
            got = render(row["har"], tid)
            if got != expected:
                problems.append(f"{row.get('name') or row.get('path')} {tid}\n--- node\n{expected}\n--- ours\n{got}")
    return compared, problems


def test_real_specs_identical() -> None:
    assert len(SPECS) >= 5
    rows = _node([str(p) for p in SPECS])
    assert any(r.get("validation") == "failed" for r in rows), "expected HARs that httpsnippet's validator refuses"
    compared, problems = _compare(rows)
    assert compared >= 80
    assert not problems, f"{len(problems)} differences; first:\n{problems[0]}"


def test_edge_cases_and_random_hars_identical(tmp_path: Path) -> None:
    hars = tmp_path / "fuzz.jsonl"
    subprocess.run([sys.executable, str(CONFORMANCE / "fuzz_hars.py"), "--seed", "2024", "--count", "400",
                    "--out", str(hars)], check=True, timeout=60)
    synthetic = REPO / "tests" / "data" / "golden" / "httpsnippet" / "synthetic_hars.jsonl"
    rows = _node(["--hars", str(hars)]) + _node(["--hars", str(synthetic)])
    compared, problems = _compare(rows)
    assert compared >= 3000
    assert not problems, f"{len(problems)} differences; first:\n{problems[0]}"
