"""Building, updating one API, and the crash guarantee, with the real MiniLM on small specs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from apipack.errors import IndexBuildError, UnknownApiError
from index_builder import publish
from index_builder.build import BuildOptions, add_api, build_index, remove_api
from retrieval.index import load_index
from tests.unit.index_builder.conftest import books_spec, pets_spec, weather_spec

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture()
def built(tmp_path, embedder):
    options = BuildOptions(cache_dir=tmp_path / "cache")
    folder = build_index([pets_spec(), weather_spec()], tmp_path / "idx", embedder, options=options)
    return tmp_path / "idx", folder, options


def test_build_writes_a_complete_version(built, embedder):
    index_dir, folder, _ = built
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"] == {"apis": 2, "endpoints": 7}
    assert manifest["embedding"] == {"model": embedder.name, "dim": 384}
    assert manifest["faiss"]["kind"] == "flat"
    assert set(manifest["sources"]) == {"petstore.test", "weather.test"}
    index = load_index(index_dir)
    assert index.version == manifest["version"]
    assert index.resolve_api("pet store api") == "petstore.test"
    assert [e.path for e in index.endpoints_of("weather.test")][0] == "/forecast/{city}"
    eid = index.rows[0]["endpoint_id"]
    assert index.endpoint(eid).endpoint_id == eid
    # dense rows are normalised and belong to the endpoint rows
    assert np.allclose(np.linalg.norm(index.dense, axis=1), 1.0, atol=1e-3)
    assert index.dense_owner.max() == 6


def test_hnsw_is_chosen_above_the_threshold(tmp_path, embedder):
    options = BuildOptions(cache_dir=tmp_path / "cache", hnsw_threshold=5)
    folder = build_index([pets_spec(), weather_spec()], tmp_path / "idx", embedder, options=options)
    assert json.loads((folder / "manifest.json").read_text())["faiss"]["kind"] == "hnsw"
    forced = BuildOptions(cache_dir=tmp_path / "cache", faiss_kind="flat", hnsw_threshold=5)
    folder = build_index([pets_spec()], tmp_path / "idx2", embedder, options=forced)
    assert json.loads((folder / "manifest.json").read_text())["faiss"]["kind"] == "flat"


def test_add_replace_remove_one_api_keeps_the_others_vectors(built, embedder):
    index_dir, first, options = built
    before = load_index(index_dir)
    weather_rows = before.rows_of("weather.test")
    weather_vecs = before.dense[before.vecs_of("weather.test")].copy()

    add_api(index_dir, books_spec(), embedder, options=options)
    after_add = load_index(index_dir)
    assert set(after_add.apis) == {"petstore.test", "weather.test", "books.test"}
    np.testing.assert_array_equal(after_add.dense[after_add.vecs_of("weather.test")], weather_vecs)
    assert after_add.rows[after_add.rows_of("weather.test")] == before.rows[weather_rows]

    # replace: same id, one endpoint renamed
    add_api(index_dir, pets_spec(extra=" in the shop"), embedder, options=options)
    replaced = load_index(index_dir)
    assert replaced.endpoints_of("petstore.test")[0].summary == "List all pets in the shop"
    assert replaced.manifest["counts"]["endpoints"] == 9
    # every endpoint's cut, carried (weather, books) or new (pets), still sits at its row's place
    for api_id in replaced.api_order:
        for ep in replaced.endpoints_of(api_id):
            assert replaced.endpoint_spec(ep.endpoint_id).endpoints == [ep]
    assert replaced.endpoint_spec(replaced.endpoints_of("petstore.test")[0].endpoint_id
                                  ).endpoints[0].summary == "List all pets in the shop"

    remove_api(index_dir, "books.test", embedder, options=options)
    removed = load_index(index_dir)
    assert set(removed.apis) == {"petstore.test", "weather.test"}
    # the previous version is kept beside the served one
    assert len(list((index_dir / "versions").iterdir())) == 2
    with pytest.raises(UnknownApiError):
        remove_api(index_dir, "books.test", embedder, options=options)


def test_build_refuses_empty_and_duplicate_inputs(tmp_path, embedder):
    empty = pets_spec()
    empty.endpoints = []
    with pytest.raises(IndexBuildError, match="no endpoints"):
        build_index([empty], tmp_path / "idx", embedder)
    with pytest.raises(IndexBuildError, match="given twice"):
        build_index([pets_spec(), pets_spec()], tmp_path / "idx", embedder)
    assert publish.current_version(tmp_path / "idx") is None


def test_update_without_an_index_says_what_to_do(tmp_path, embedder):
    with pytest.raises(IndexBuildError, match="apipack index build"):
        add_api(tmp_path / "none", books_spec(), embedder)


_SLOW_BUILD = """
import sys
from pathlib import Path
from apipack.openapi.model import ApiSpec, Endpoint
from index_builder.build import BuildOptions, build_index
from retrieval.embedder import load_embedder
eps = [Endpoint(api_id="big.test", method="GET", path=f"/things/{i}/parts", operation_id=f"getThing{i}",
                summary=f"Get the parts of thing number {i} in warehouse {i % 17}") for i in range(20000)]
spec = ApiSpec(api_id="big.test", title="Big", description="", provider="", spec_path="big.json",
               content_hash="d" * 64, doc={}, endpoints=eps)
build_index([spec], Path(sys.argv[1]), load_embedder(), options=BuildOptions())
"""


@pytest.mark.heavy
def test_killed_build_leaves_the_served_index_loadable(built):
    index_dir, folder, _ = built
    served = publish.current_version(index_dir)
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(index_dir)], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 300  # model load on a busy 2-core machine
    try:
        while not list(index_dir.glob(".staging-*/specs/*")):  # the build is under way
            assert proc.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert publish.current_version(index_dir) == served
    index = load_index(index_dir)
    assert set(index.apis) == {"petstore.test", "weather.test"}
