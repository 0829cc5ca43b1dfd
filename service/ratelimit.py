"""Per-key rate limits: a fixed one-minute window, counted in Redis when available, in process otherwise.

In Redis the count is shared by every replica; when Redis is down each process counts alone (the
limit then applies per process, which is the safe side of degrading: nobody gets a 500).
"""

from __future__ import annotations

import time

from apipack.errors import RateLimitError
from service.metrics import Metrics
from service.redis_link import RedisLink

WINDOW_S = 60


class RateLimiter:
    def __init__(self, per_minute: int, link: RedisLink, metrics: Metrics) -> None:
        self.per_minute = per_minute
        self._link = link
        self._metrics = metrics
        self._local: dict[tuple[str, int], int] = {}

    async def check(self, bucket: str) -> None:
        """Count one request for ``bucket``; raise ``RateLimitError`` past the limit."""
        if self.per_minute <= 0:
            return
        now = time.time()
        window = int(now // WINDOW_S)
        count = None
        if self._link.configured:
            key = f"apipack:rl:{bucket}:{window}"

            async def incr(r: object) -> int:
                async with r.pipeline(transaction=True) as pipe:  # type: ignore[attr-defined]
                    pipe.incr(key)
                    pipe.expire(key, WINDOW_S * 2)
                    counted, _ = await pipe.execute()
                return int(counted)

            count = await self._link.call(incr)
        if count is None:
            count = self._count_locally(bucket, window)
        if count > self.per_minute:
            self._metrics.rate_limited.inc()
            retry_after = (window + 1) * WINDOW_S - now
            raise RateLimitError(
                f"rate limit of {self.per_minute} requests a minute exceeded for this key; "
                f"retry in {max(1, int(retry_after + 0.999))} s", retry_after=retry_after)

    def _count_locally(self, bucket: str, window: int) -> int:
        if len(self._local) > 10_000:  # drop past windows now and then
            self._local = {k: v for k, v in self._local.items() if k[1] >= window}
        key = (bucket, window)
        self._local[key] = self._local.get(key, 0) + 1
        return self._local[key]
