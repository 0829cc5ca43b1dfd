"""The answer cache: Redis when configured, an in-process LRU otherwise.

The key covers the normalised request (instruction with case and spacing folded, resolved language,
resolved API id, top_k), the index version and the backend, so a new index version or another
backend never serves a stale answer. With Redis configured but down, lookups miss and stores are
dropped: the answer is computed, never a 500.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

import orjson

from apipack.lru import Lru
from service.metrics import Metrics
from service.redis_link import RedisLink

KEY_PREFIX = "apipack:gen:"


def cache_key(*, instruction: str, language: str, api_id: str | None, top_k: int,
              index_version: str, backend: str) -> str:
    normalised = " ".join(instruction.lower().split())
    raw = orjson.dumps([normalised, language, api_id, top_k, index_version, backend])
    return KEY_PREFIX + hashlib.sha256(raw).hexdigest()


class AnswerCache(Protocol):
    kind: str

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes) -> None: ...


class MemoryCache:
    """LRU of serialised answers, bounded by entry count (answers are a few KB each)."""

    kind = "memory"

    def __init__(self, max_entries: int, metrics: Metrics) -> None:
        self._data: Lru[str, bytes] = Lru(max_entries)
        self._metrics = metrics

    async def get(self, key: str) -> bytes | None:
        value = self._data.get(key)
        if value is None:
            self._metrics.cache_lookups.labels(result="miss").inc()
            return None
        self._metrics.cache_lookups.labels(result="hit").inc()
        return value

    async def set(self, key: str, value: bytes) -> None:
        self._data.put(key, value)


class RedisCache:
    kind = "redis"

    def __init__(self, link: RedisLink, ttl_s: int, metrics: Metrics) -> None:
        self._link = link
        self._ttl = ttl_s
        self._metrics = metrics

    async def get(self, key: str) -> bytes | None:
        if not self._link.configured:
            return None
        value = await self._link.call(lambda r: r.get(key))
        if value is None:
            result = "miss" if self._link.up else "error"
            self._metrics.cache_lookups.labels(result=result).inc()
            return None
        self._metrics.cache_lookups.labels(result="hit").inc()
        return bytes(value)

    async def set(self, key: str, value: bytes) -> None:
        await self._link.call(lambda r: r.set(key, value, ex=self._ttl or None))
