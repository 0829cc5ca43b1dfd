"""``CachingSearcher``: remembers recent retrieval results of one index version.

The answer cache is keyed per language and backend; retrieval is not. A user who asks the same
thing in another language (the playground's language picker) then skips the query embedding, the
costliest step of a miss. One instance per index version, so results never cross versions.
"""

from __future__ import annotations

from dataclasses import replace

from apipack.lru import Lru
from retrieval.types import Retriever, SearchResult


class CachingSearcher:
    def __init__(self, inner: Retriever, max_entries: int = 2048) -> None:
        self.inner = inner
        self._data: Lru[tuple[str, int, str | None], SearchResult] = Lru(max_entries)

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        key = (" ".join(query.lower().split()), k, api)
        found = self._data.get(key)
        hit = found is not None
        if found is None:
            found = self.inner.search(query, k, api=api)
            self._data.put(key, found)
        # copies: a caller may reorder or trim what it gets; the query keeps the caller's wording
        timings = {"search_cached": 0.0} if hit else dict(found.timings_ms)
        return replace(found, query=query, hits=list(found.hits), examples=list(found.examples),
                       timings_ms=timings)

    def __getattr__(self, name: str) -> object:  # index, embedder, ... of the wrapped searcher
        return getattr(self.inner, name)
