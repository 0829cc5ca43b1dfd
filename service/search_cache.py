"""``CachingSearcher``: remembers recent retrieval results of one index version.

The answer cache is keyed per language and backend; retrieval is not. A user who asks the same
thing in another language (the playground's language picker) then skips the query embedding, the
costliest step of a miss. One instance per index version, so results never cross versions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

from retrieval.types import Retriever, SearchResult


class CachingSearcher:
    def __init__(self, inner: Retriever, max_entries: int = 2048) -> None:
        self.inner = inner
        self._max = max_entries
        self._data: OrderedDict[tuple[str, int, str | None], SearchResult] = OrderedDict()
        self._lock = threading.Lock()

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        key = (" ".join(query.lower().split()), k, api)
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
        hit = found is not None
        if found is None:
            found = self.inner.search(query, k, api=api)
            with self._lock:
                self._data[key] = found
                while len(self._data) > self._max:
                    self._data.popitem(last=False)
        # copies: a caller may reorder or trim what it gets; the query keeps the caller's wording
        timings = {"search_cached": 0.0} if hit else dict(found.timings_ms)
        return replace(found, query=query, hits=list(found.hits), examples=list(found.examples),
                       timings_ms=timings)

    def __getattr__(self, name: str) -> object:  # index, embedder, ... of the wrapped searcher
        return getattr(self.inner, name)
