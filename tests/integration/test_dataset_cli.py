"""``apipack dataset build`` end to end on the committed sample specs plus broken ones: the real
loader and renderers, a process pool, the errors file, the splits and the JSON summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from apipack.snippets.targets_table import TARGETS

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "specs"
BROKEN_DATA = REPO / "tests" / "data" / "specs"

# The start of each target's code (DESIGN.md, The 10 targets); javascript starts with its body or null.
STARTS = {"curl": "curl --request ", "python": "import http.client", "java": "OkHttpClient client = new OkHttpClient();",
          "node": "const request = require('request');", "go": "package main", "ruby": "require 'uri'",
          "php": "<?php", "swift": "import Foundation", "libcurl": "CURL *hnd = curl_easy_init();",
          "javascript": "const data = "}


def _specs_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".json", ".yaml", ".yml") and p.is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path]:
    assert len(_specs_in(SAMPLES)) >= 30, "samples/specs should hold the 30+ committed sample specs"
    tmp = tmp_path_factory.mktemp("dataset")
    broken = tmp / "broken-specs"
    broken.mkdir()
    (broken / "not-a-spec.yaml").write_text("just: [an, unclosed\n  - list: {\n")
    out = tmp / "out"
    proc = subprocess.run([sys.executable, "-m", "apipack.cli.main", "dataset", "build", str(SAMPLES), str(broken),
                           "--out", str(out), "--workers", "2", "--json"],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, json.loads(proc.stdout), broken / "not-a-spec.yaml"


def test_summary_and_every_language(built: tuple[Path, dict, Path]) -> None:
    out, summary, _ = built
    n_samples = len(_specs_in(SAMPLES))
    assert summary["specs_total"] == n_samples + 1
    assert summary["specs_failed"] == 1 and summary["specs_ok"] == n_samples
    assert summary["endpoints"] > 100
    for lang in TARGETS:
        path = out / f"total_data_cleaned_{lang}.jsonl"
        lines = path.read_text().splitlines()
        assert len(lines) == summary["records"][lang] > 0
        for line in lines[:: max(1, len(lines) // 50)]:
            rec = json.loads(line)
            assert rec["target"] == lang and rec["api_call_data"]["lang"] == TARGETS[lang].lang
            assert rec["api_call_data"]["api_call"].startswith(STARTS[lang]) or lang == "javascript"
            assert rec["output"].startswith(f"**domain**:{rec['api_call_data']['domain']!r}\n**api_call**:")
            assert rec["instruction"] != rec["instruction_test"]
        split = json.loads((out / "splits" / lang / "split.json").read_text())
        assert split["level1"] and split["level2"]


def test_errors_file_names_the_broken_spec(built: tuple[Path, dict, Path]) -> None:
    out, _, broken = built
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    spec_errors = [e for e in errors if e["kind"] == "spec"]
    assert len(spec_errors) == 1
    assert "not-a-spec" in spec_errors[0]["spec_path"] and spec_errors[0]["message"]


def test_each_broken_test_spec_is_reported(tmp_path: Path) -> None:
    assert _specs_in(BROKEN_DATA), "tests/data/specs should hold the broken specs"
    out = tmp_path / "out"
    good = _specs_in(SAMPLES)[0]
    proc = subprocess.run([sys.executable, "-m", "apipack.cli.main", "dataset", "build", str(good), str(BROKEN_DATA),
                           "--out", str(out), "--workers", "2", "--json", "--langs", "curl"],
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    failed = {json.loads(x)["spec_path"] for x in (out / "errors.jsonl").read_text().splitlines()
              if json.loads(x)["kind"] == "spec"}
    assert summary["specs_failed"] == len(failed) >= 5  # not YAML, not OpenAPI, no paths, $ref cycle, bomb...
    assert {"not_yaml.yaml", "not_openapi.json", "no_paths.yaml", "ref_cycle.json"} <= failed
    assert summary["specs_ok"] >= 1 and summary["records"]["curl"] > 0


def test_help_explains_outputs() -> None:
    proc = subprocess.run([sys.executable, "-m", "apipack.cli.main", "dataset", "build", "--help"],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 0
    for word in ("--langs", "--workers", "--seed", "--json", "errors.jsonl", "splits/"):
        assert word in proc.stdout
