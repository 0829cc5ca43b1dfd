"""CachingSearcher: one search per (query, k, api)."""

from __future__ import annotations

from evaluation.search_cache import CachingSearcher
from retrieval.types import SearchResult


class CountingSearcher:
    def __init__(self) -> None:
        self.calls = 0

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        self.calls += 1
        return SearchResult(query=query, hits=[], api_id=api, api_named=api is not None, api_confidence=1.0)


def test_cache_per_query_k_and_api() -> None:
    inner = CountingSearcher()
    s = CachingSearcher(inner)
    a = s.search("q", 3, api="x")
    assert s.search("q", 3, api="x") is a
    s.search("q", 3)
    s.search("q", 5, api="x")
    s.search("other", 3, api="x")
    assert inner.calls == 4 and (s.hits, s.misses) == (1, 4)
