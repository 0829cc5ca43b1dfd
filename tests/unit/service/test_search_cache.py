"""The retrieval cache answers a repeated query (any case/spacing) without searching again."""

from __future__ import annotations

from retrieval.types import Hit, SearchResult
from service.search_cache import CachingSearcher


class CountingRetriever:
    """A Retriever that counts its searches."""

    def __init__(self) -> None:
        self.calls = 0

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        self.calls += 1
        hit = Hit(endpoint_id="e1", api_id="a", method="GET", path="/x", operation_id=None, summary="", score=1.0)
        return SearchResult(query=query, hits=[hit], api_id="a", api_named=api is not None, api_confidence=1.0,
                            timings_ms={"embed": 5.0})


def test_repeated_query_is_served_from_the_cache() -> None:
    inner = CountingRetriever()
    cached = CachingSearcher(inner, max_entries=2)
    first = cached.search("List pets", 3)
    second = cached.search("  list   PETS", 3)
    assert inner.calls == 1
    assert second.query == "  list   PETS" and second.timings_ms == {"search_cached": 0.0}
    assert first.timings_ms == {"embed": 5.0}
    second.hits.clear()  # a caller's change does not reach the cache
    assert len(cached.search("list pets", 3).hits) == 1
    cached.search("list pets", 5)  # another k, another api: other keys
    cached.search("list pets", 3, api="a")
    assert inner.calls == 3
