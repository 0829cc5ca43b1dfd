"""A searcher that remembers its results for the length of one evaluation run.

The levels ask the same paraphrase in up to ten languages, and retrieval does not depend on the
language: the answer to ``(query, k, api)`` is computed once and reused. Results are treated as
read-only by the backends (they copy what they change).
"""

from __future__ import annotations

from generation.sources import Searcher
from retrieval.types import SearchResult


class CachingSearcher:
    def __init__(self, inner: Searcher) -> None:
        self.inner = inner
        self._results: dict[tuple[str, int, str | None], SearchResult] = {}
        self.hits = 0
        self.misses = 0

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        key = (query, k, api)
        found = self._results.get(key)
        if found is None:
            self.misses += 1
            found = self._results[key] = self.inner.search(query, k, api=api)
        else:
            self.hits += 1
        return found
