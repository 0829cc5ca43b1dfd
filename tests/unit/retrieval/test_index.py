"""load_index: every way an index can be unusable gives a clear, typed error."""

from __future__ import annotations

import json
import shutil

import pytest

from apipack.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexNotReadyError,
    NotFoundError,
    UnknownApiError,
)
from index_builder import publish
from retrieval import load_index
from retrieval.searcher import Searcher


@pytest.fixture()
def copy(small_index_dir, tmp_path):
    """A private copy of the small index that a test may damage."""
    dst = tmp_path / "idx"
    shutil.copytree(small_index_dir, dst)
    return dst, publish.version_dir(dst, publish.current_version(dst))


def test_missing_folder_and_no_pointer(tmp_path):
    with pytest.raises(IndexNotReadyError, match="does not exist"):
        load_index(tmp_path / "nowhere")
    with pytest.raises(IndexNotReadyError, match="apipack index build"):
        load_index(tmp_path)


def test_pointer_to_missing_version(copy):
    root, version = copy
    shutil.rmtree(version)
    with pytest.raises(IndexCorruptError, match="is missing"):
        load_index(root)


@pytest.mark.parametrize("name", ["faiss.index", "dense.npy", "apis.json", "lexical.npz", "endpoints.jsonl"])
def test_missing_file_is_named(copy, name):
    root, version = copy
    (version / name).unlink()
    with pytest.raises(IndexCorruptError, match=name.replace(".", r"\.")):
        load_index(root)


def test_missing_and_garbled_manifest(copy):
    root, version = copy
    (version / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="not readable JSON"):
        load_index(root)
    (version / "manifest.json").unlink()
    with pytest.raises(IndexCorruptError, match="unfinished build"):
        load_index(root)


def test_corrupt_data_files(copy):
    root, version = copy
    (version / "dense.npy").write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        load_index(root)


def test_corrupt_faiss_and_spec_are_reported_when_used(copy, embedder):
    root, version = copy
    (version / "faiss.index").write_bytes(b"garbage")
    for spec in (version / "specs").iterdir():
        spec.write_bytes(b"garbage")
    index = load_index(root)
    with pytest.raises(IndexCorruptError, match="faiss.index"):
        Searcher(index, embedder).search("list pets")
    with pytest.raises(IndexCorruptError, match="stored spec"):
        index.spec("petstore.test")
    with pytest.raises(IndexCorruptError, match="stored cut of GET /pets"):
        index.endpoint_spec(index.rows[index.rows_of("petstore.test").start]["endpoint_id"])


def test_a_missing_cuts_file_is_named(copy):
    root, version = copy
    for cuts in (version / "specs").glob("*.cuts"):
        cuts.unlink()
    index = load_index(root)
    with pytest.raises(IndexCorruptError, match="cut of .* is missing"):
        index.endpoint(index.rows[0]["endpoint_id"])


def test_other_schema_version(copy):
    root, version = copy
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["schema_version"] = 999
    (version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="schema version 999"):
        load_index(root)


def test_other_embedding_model(copy, embedder):
    root, version = copy
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["embedding"]["model"] = "some-other-model"
    (version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="some-other-model"):
        load_index(root, expect_model=embedder.name)
    with pytest.raises(IndexMismatchError, match="APIPACK_EMBED_MODEL"):
        Searcher(load_index(root), embedder)
    with pytest.raises(IndexMismatchError, match="384-dim vectors"):
        load_index(root, expect_dim=768)


def test_counts_that_disagree(copy):
    root, version = copy
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["counts"]["endpoints"] += 1
    (version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="disagree"):
        load_index(root)


def test_lookups(small_index_dir):
    index = load_index(small_index_dir)
    assert index.resolve_api("weather.test") == "weather.test"
    assert index.resolve_api("WEATHER SERVICE") == "weather.test"
    with pytest.raises(UnknownApiError, match="nope"):
        index.resolve_api("nope")
    assert index.apis["books.test"].endpoint_count == 2
    assert index.spec("books.test").title == "Library Books"
    first = index.endpoints_of("petstore.test")[0]
    assert index.endpoint(first.endpoint_id) == first
    # every endpoint's cut holds that endpoint, read from its place in the API's cuts file
    for api_id in index.api_order:
        for ep in index.endpoints_of(api_id):
            cut = index.endpoint_spec(ep.endpoint_id)
            assert cut.endpoints == [ep] and cut.api_id == api_id and cut.title == index.spec(api_id).title
    assert index.endpoint_spec(first.endpoint_id) is index.endpoint_spec(first.endpoint_id)  # kept
    assert [(e["endpoint_id"], e["method"], e["path"], e["summary"]) for e in index.endpoint_table("Library Books")] == \
        [(e.endpoint_id, e.method, e.path, e.summary) for e in index.endpoints_of("books.test")]
    with pytest.raises(NotFoundError):
        index.endpoint("0" * 16)
    # a version folder can be given directly
    assert load_index(index.folder).version == index.version


def test_parsed_specs_are_kept_least_recently_used_first_out(small_index_dir):
    index = load_index(small_index_dir)
    index.spec_cache_size = 2
    first = index.spec("books.test")
    index.spec("weather.test")
    assert index.spec("books.test") is first  # served from memory, and now the most recent
    index.spec("petstore.test")
    assert list(index._specs) == ["books.test", "petstore.test"]  # weather.test was dropped
    assert index.spec("weather.test").title  # and is read again when asked for
