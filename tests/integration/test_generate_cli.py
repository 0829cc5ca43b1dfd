"""The ``grounded`` backend over a real index (values filled, no_match) and ``apipack generate``,
single and batch, end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apipack.cli.main import main
from apipack.errors import EmptyQueryError, UnknownApiError, UnknownLanguageError
from generation.backends import BACKENDS, GroundedBackend, create_backend
from generation.types import GenerationRequest
from tests.integration.generation_index import SHAPES_API
from tests.integration.generation_index import shapes_index as build_shapes_index

pytestmark = [pytest.mark.integration]


@pytest.fixture(scope="session")
def grounded() -> GroundedBackend:
    searcher, index, _ = build_shapes_index()
    return GroundedBackend(searcher, index)


@pytest.fixture(scope="session")
def index_dir() -> Path:
    return build_shapes_index()[2]


def test_registry_names_the_three_backends() -> None:
    assert set(BACKENDS) == {"grounded", "openai", "llamacpp"}
    searcher, index, _ = build_shapes_index()
    assert isinstance(create_backend("grounded", searcher, index), GroundedBackend)


def test_grounded_renders_the_top_endpoint_with_the_named_values(grounded: GroundedBackend) -> None:
    out = grounded.generate(GenerationRequest("list events in region eu-west-1 since 2024-03-01",
                                              language="python", api=SHAPES_API))
    assert out.status == "ok" and (out.method, out.path) == ("GET", "/regions/{region}/events")
    assert out.code.startswith("import http.client")
    filled = {f.name: (f.location, f.value, f.source) for f in out.filled}
    assert filled["region"] == ("path", "eu-west-1", "eu-west-1")
    assert filled["since"] == ("query", "2024-03-01", "2024-03-01")
    assert "eu-west-1" in out.code and "2024-03-01" in out.code
    assert out.check is not None and out.check.ok
    assert {"search", "render", "total"} <= set(out.timings_ms)


def test_grounded_in_every_language(grounded: GroundedBackend) -> None:
    from apipack.snippets.targets_table import TARGETS

    for short in TARGETS:
        out = grounded.generate(GenerationRequest("delete widget w-42", language=short, api=SHAPES_API))
        assert out.status == "ok" and out.language == short and out.check.ok, (short, out.check)


def test_bad_requests_raise_clear_errors(grounded: GroundedBackend) -> None:
    with pytest.raises(UnknownLanguageError, match="cobol"):
        grounded.generate(GenerationRequest("list widgets", language="cobol"))
    with pytest.raises(EmptyQueryError):
        grounded.generate(GenerationRequest("   "))
    with pytest.raises(UnknownApiError):
        grounded.generate(GenerationRequest("list widgets", api="no-such-api"))


def test_no_credible_match_is_an_answer(grounded: GroundedBackend) -> None:
    strict = GroundedBackend(grounded.searcher, grounded.specs, min_api_confidence=1.01)
    out = strict.generate(GenerationRequest("bake a sourdough loaf", language="go"))
    assert out.status == "no_match" and out.code == "" and out.method is None


def test_cli_single_json(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["generate", "create a widget called gizmo", "--lang", "node", "--api", SHAPES_API,
                 "--index", str(index_dir), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["status"] == "ok" and out["language"] == "node"
    assert out["code"].startswith("const request = require('request');")


def test_cli_single_text_and_errors(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "get widget w-7", "--lang", "curl", "--index", str(index_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("curl --request GET")
    assert "GET /widgets/{widgetId}" in captured.err
    assert main(["generate", "get widget", "--lang", "cobol", "--index", str(index_dir)]) == 2
    assert "unknown language" in capsys.readouterr().err
    assert main(["generate", "--index", str(index_dir)]) == 2


def test_cli_batch_one_answer_per_line_and_bad_lines_do_not_stop_it(index_dir: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "q.jsonl"
    lines: list[Any] = [
        {"id": "a", "instruction": "list widgets, 10 of them", "lang": "go", "api": SHAPES_API},
        "this line is not json",
        {"id": "c", "instruction": "delete widget w-1", "lang": "klingon"},
        {"id": "d", "query": "upload a file to acme/site", "language": "ruby", "api": SHAPES_API},
        {"id": "e"},
        {"id": "f", "instruction": "get widget w-2", "api": "nope"},
    ]
    batch.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    out = tmp_path / "answers.jsonl"
    assert main(["generate", "--batch", str(batch), "--out", str(out), "--index", str(index_dir)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [("error" in r) for r in rows] == [False, True, True, False, True, True]
    assert rows[0]["id"] == "a" and rows[0]["status"] == "ok" and rows[0]["code"].startswith("package main")
    assert rows[1]["error"]["type"] == "invalid_request_error"
    assert rows[2]["error"]["type"] == "unknown_language"
    assert rows[3]["path"] == "/owners/{owner}/repos/{repo}/files"
    assert rows[5]["error"]["type"] == "unknown_api"
    assert "2 answered, 4 failed" in capsys.readouterr().err
