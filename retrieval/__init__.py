"""Retrieval: load a published index and search it (dense + lexical, fused, optionally reranked).

Public entry points: ``load_index``, ``Searcher``, ``load_searcher``; the contract types live in
``retrieval.types``. Heavy modules (torch, faiss) are imported only when used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.types import ApiInfo, Example, Hit, Reranker, Retriever, SearchResult

if TYPE_CHECKING:
    from retrieval.index import LoadedIndex
    from retrieval.searcher import Searcher

__all__ = ["ApiInfo", "Example", "Hit", "Reranker", "Retriever", "SearchResult", "LoadedIndex", "Searcher",
           "load_index", "load_searcher"]


def load_index(index_dir: Path, **kwargs: object) -> LoadedIndex:
    from retrieval.index import load_index as _load

    return _load(Path(index_dir), **kwargs)  # type: ignore[arg-type]


def load_searcher(index_dir: Path, embed_model: str = "all-MiniLM-L6-v2", reranker: str | None = None
                  ) -> Searcher:
    """Index, embedder and (when a path is given) cross-encoder, put together."""
    from retrieval.embedder import load_embedder
    from retrieval.searcher import Searcher as _Searcher

    index = load_index(index_dir)
    rr = None
    if reranker:
        from retrieval.rerank import load_reranker

        rr = load_reranker(reranker, threads=os.cpu_count() or 1)  # one process: every core
    return _Searcher(index, load_embedder(embed_model), rr)


def __getattr__(name: str) -> object:
    if name == "Searcher":
        from retrieval.searcher import Searcher as _Searcher

        return _Searcher
    if name == "LoadedIndex":
        from retrieval.index import LoadedIndex as _LoadedIndex

        return _LoadedIndex
    raise AttributeError(name)
