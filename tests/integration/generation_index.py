"""A small real index of the shapes spec (tests/unit/generation/data/shapes.json), built once per
test process and shared by the generation integration tests."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

SHAPES = Path(__file__).parents[1] / "unit" / "generation" / "data" / "shapes.json"
SHAPES_API = "shapes.example"


@lru_cache(maxsize=1)
def shapes_index() -> tuple[Any, Any, Path]:
    """(searcher, loaded index, index folder)."""
    from apipack.openapi import load_spec
    from index_builder.build import build_index
    from retrieval.embedder import load_embedder
    from retrieval.index import load_index
    from retrieval.searcher import Searcher

    folder = Path(tempfile.mkdtemp(prefix="apipack-gen-index-"))
    atexit.register(shutil.rmtree, folder, True)
    embedder = load_embedder()
    build_index([load_spec(SHAPES, api_id=SHAPES_API)], folder, embedder)
    index = load_index(folder)
    return Searcher(index, embedder), index, folder
