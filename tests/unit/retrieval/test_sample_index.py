"""The index over samples/specs (real loader, real MiniLM): search quality smoke tests and the CLI."""

from __future__ import annotations

import json
import shutil

import pytest

from apipack.cli.main import main
from retrieval import load_index
from retrieval.searcher import Searcher
from tests.unit.retrieval.conftest import REPO


@pytest.fixture(scope="module")
def searcher(sample_index_dir, embedder):
    return Searcher(load_index(sample_index_dir), embedder)


def test_every_sample_spec_with_paths_is_indexed(sample_index_dir):
    index = load_index(sample_index_dir)
    assert index.manifest["counts"]["apis"] >= 30
    assert "spotify.com" in index.apis and "googleapis.com/translate" in index.apis
    spec = index.spec("spotify.com")
    assert spec.doc and len(spec.endpoints) == index.apis["spotify.com"].endpoint_count


def test_api_found_from_the_request(searcher):
    result = searcher.search("translate this paragraph into german", k=3)
    assert result.api_id == "googleapis.com/translate"
    assert result.api_confidence > 0.3


def test_endpoint_within_a_named_api(searcher):
    result = searcher.search("pause the music playing on my phone", k=3, api="spotify.com")
    assert (result.hits[0].method, result.hits[0].path) == ("PUT", "/me/player/pause")
    assert result.examples and all(e.endpoint_id for e in result.examples)


def test_cli_info_search_add_remove(sample_index_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("APIPACK_CACHE_DIR", str(tmp_path / "cache"))
    idx = tmp_path / "idx"
    shutil.copytree(sample_index_dir, idx)
    assert main(["index", "info", "--index", str(idx)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["counts"]["apis"] >= 30
    assert main(["index", "remove", "spotify.com", "--index", str(idx)]) == 0
    assert "spotify.com" not in load_index(idx).apis
    assert main(["index", "add", str(REPO / "samples" / "specs" / "spotify.com.json"), "--index", str(idx)]) == 0
    assert load_index(idx).apis["spotify.com"].endpoint_count == info_count(sample_index_dir, "spotify.com")
    capsys.readouterr()
    assert main(["search", "pause playback", "--api", "spotify.com", "--index", str(idx), "--reranker", "none"]) == 0
    assert "/me/player/pause" in capsys.readouterr().out
    assert main(["search", "  ", "--index", str(idx), "--reranker", "none"]) == 2
    assert "empty" in capsys.readouterr().err


def info_count(index_dir, api_id):
    return load_index(index_dir).apis[api_id].endpoint_count
