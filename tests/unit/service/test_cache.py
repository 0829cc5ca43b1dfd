"""Cache keys (normalised request + index version + backend) and the in-process LRU."""

from __future__ import annotations

import asyncio

from service.cache import MemoryCache, cache_key
from service.metrics import Metrics


def _key(**kw: object) -> str:
    base = {"instruction": "List pets", "language": "python", "api_id": None, "top_k": 3,
            "index_version": "v1", "backend": "grounded"}
    return cache_key(**{**base, **kw})  # type: ignore[arg-type]


def test_key_folds_case_and_spacing_only() -> None:
    assert _key() == _key(instruction="  list   PETS ")
    assert _key() != _key(instruction="list pet")


def test_key_covers_version_backend_language_api_top_k() -> None:
    others = [_key(index_version="v2"), _key(backend="openai"), _key(language="go"), _key(api_id="x"),
              _key(top_k=5)]
    assert len({_key(), *others}) == 6


def test_lru_evicts_the_least_recently_used() -> None:
    metrics = Metrics()
    cache = MemoryCache(2, metrics)

    async def run() -> list[bytes | None]:
        await cache.set("a", b"1")
        await cache.set("b", b"2")
        await cache.get("a")  # a is now the most recent
        await cache.set("c", b"3")
        return [await cache.get(k) for k in ("a", "b", "c")]

    assert asyncio.run(run()) == [b"1", None, b"3"]
    text = metrics.exposition()[0].decode()
    assert 'apipack_cache_lookups_total{result="hit"} 3.0' in text
    assert 'apipack_cache_lookups_total{result="miss"} 1.0' in text
