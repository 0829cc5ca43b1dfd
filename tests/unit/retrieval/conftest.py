"""Session fixtures for the retrieval tests: the real MiniLM and two small indexes built once.

``small_index``: three specs made in code (fast; used for the error and update cases).
``sample_index``: every spec in samples/specs, loaded with apipack.openapi (the real loader).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index_builder.build import BuildOptions, build_index
from tests.unit.index_builder.conftest import books_spec, pets_spec, weather_spec

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def embedder():
    from retrieval.embedder import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def small_index_dir(tmp_path_factory, embedder) -> Path:
    root = tmp_path_factory.mktemp("small_index")
    build_index([pets_spec(), weather_spec(), books_spec()], root / "idx", embedder,
                options=BuildOptions(cache_dir=root / "cache"))
    return root / "idx"


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory, embedder) -> Path:
    from index_builder.sources import collect, iter_specs

    root = tmp_path_factory.mktemp("sample_index")
    sources = collect([REPO / "samples" / "specs"])
    build_index(iter_specs(sources, None), root / "idx", embedder, options=BuildOptions(cache_dir=root / "cache"))
    return root / "idx"
