"""The one Redis connection of a process, shared by the cache, the rate limiter and index announcements.

Redis is an accelerator, never a dependency of an answer: every call goes through ``call``, which
returns ``None`` when Redis is down, marks the link degraded, and stops trying for a short back-off
so that a dead Redis costs no latency on the hot path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds to skip Redis after a failure before trying again.
BACKOFF_S = 1.0


class RedisLink:
    def __init__(self, url: str | None, *, socket_timeout_s: float = 0.25,
                 on_state: Callable[[bool], None] | None = None) -> None:
        self.url = url
        self._client: Any = None
        self._down_until = 0.0
        self._up: bool | None = None
        self._on_state = on_state
        if url:
            import redis.asyncio as aioredis

            self._client = aioredis.from_url(url, socket_timeout=socket_timeout_s,
                                              socket_connect_timeout=socket_timeout_s,
                                              health_check_interval=0)

    @property
    def configured(self) -> bool:
        return self._client is not None

    @property
    def client(self) -> Any:
        return self._client

    @property
    def up(self) -> bool:
        return bool(self._up) and time.monotonic() >= self._down_until

    def _mark(self, up: bool) -> None:
        if up != self._up:
            if up:
                log.info("redis reachable again; cache and shared rate limits are back")
            else:
                log.warning("redis unreachable; serving uncached with per-process rate limits")
            self._up = up
            if self._on_state:
                self._on_state(up)

    async def call(self, fn: Callable[[Any], Awaitable[T]]) -> T | None:
        """Run ``fn(client)``; ``None`` when Redis is unset, backing off or failing."""
        if self._client is None or time.monotonic() < self._down_until:
            return None
        from redis.exceptions import RedisError

        try:
            result = await fn(self._client)
        except (RedisError, OSError, TimeoutError) as exc:
            log.debug("redis call failed: %s", exc)
            self._down_until = time.monotonic() + BACKOFF_S
            self._mark(False)
            return None
        self._mark(True)
        return result

    async def ping(self) -> bool:
        """A fresh check (ignores the back-off), used by /readyz."""
        if self._client is None:
            return False
        from redis.exceptions import RedisError

        try:
            await self._client.ping()
        except (RedisError, OSError, TimeoutError):
            self._down_until = time.monotonic() + BACKOFF_S
            self._mark(False)
            return False
        self._down_until = 0.0
        self._mark(True)
        return True

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
