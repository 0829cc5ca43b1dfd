"""The in-process rate limiter (the Redis-backed one is tested against a real Redis)."""

from __future__ import annotations

import asyncio

import pytest

from apipack.errors import RateLimitError
from service.metrics import Metrics
from service.ratelimit import RateLimiter
from service.redis_link import RedisLink


def test_per_bucket_limit_and_retry_after() -> None:
    limiter = RateLimiter(2, RedisLink(None), Metrics())

    async def run() -> None:
        await limiter.check("a")
        await limiter.check("a")
        await limiter.check("b")
        with pytest.raises(RateLimitError) as caught:
            await limiter.check("a")
        assert 0 < caught.value.retry_after <= 60
        assert "2 requests a minute" in caught.value.message

    asyncio.run(run())


def test_zero_disables() -> None:
    limiter = RateLimiter(0, RedisLink(None), Metrics())

    async def run() -> None:
        for _ in range(100):
            await limiter.check("a")

    asyncio.run(run())
