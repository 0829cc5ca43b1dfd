"""Keeps every replica on the newest index version.

The index lives on a volume all replicas share (``INDEX_DIR/current`` names the served version,
see ``index_builder.publish``). A replica that publishes a version announces it on a Redis channel;
every replica listens on that channel and also polls the ``current`` pointer (the fallback when
Redis is down or a message was missed). Loading happens in a thread, then the runtime is swapped in
one assignment, so no request is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

from index_builder.publish import current_version
from service.metrics import Metrics
from service.redis_link import RedisLink
from service.state import RuntimeFactory, RuntimeHolder

log = logging.getLogger(__name__)

CHANNEL = "apipack:index:version"


class IndexWatcher:
    def __init__(self, index_dir: Path, factory: RuntimeFactory, holder: RuntimeHolder,
                 link: RedisLink, metrics: Metrics, poll_interval_s: float) -> None:
        self.index_dir = index_dir
        self.factory = factory
        self.holder = holder
        self.link = link
        self.metrics = metrics
        self.poll_interval_s = poll_interval_s
        self._lock = threading.Lock()
        self._wake = asyncio.Event()

    def pointer(self) -> str | None:
        return current_version(self.index_dir)

    def reload_if_changed(self) -> bool:
        """Load the version ``current`` points at when it is not the one served. Blocking."""
        with self._lock:
            wanted = self.pointer()
            served = self.holder.runtime
            if wanted is None or (served is not None and served.version == wanted):
                return False
            try:
                runtime = self.factory(self.index_dir)
            except Exception as exc:  # noqa: BLE001 - keep serving the old version, say why once
                self.holder.last_error = f"index version {wanted} failed to load: {exc}"
                log.exception("index version %s failed to load; still serving %s", wanted,
                              served.version if served else "nothing")
                return False
            if runtime is None:
                return False
            self.holder.swap(runtime)
            self.holder.last_error = None
            self.metrics.set_index(runtime.version, runtime.endpoint_count())
            if served is not None:
                self.metrics.index_switches.inc()
            log.info("serving index version %s (was %s)", runtime.version, served.version if served else None)
            return True

    async def reload(self) -> bool:
        return await asyncio.to_thread(self.reload_if_changed)

    async def announce(self, version: str) -> None:
        """Tell the other replicas (and this one) that ``version`` is published."""
        await self.link.call(lambda r: r.publish(CHANNEL, version))
        self._wake.set()

    async def run(self) -> None:
        """Listen and poll until cancelled."""
        listener = asyncio.create_task(self._listen()) if self.link.configured else None
        try:
            while True:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_interval_s)
                except TimeoutError:
                    pass
                self._wake.clear()
                await self.reload()
        finally:
            if listener is not None:
                listener.cancel()
                await asyncio.gather(listener, return_exceptions=True)

    async def _listen(self) -> None:
        from redis.exceptions import RedisError

        while True:
            pubsub = None
            try:
                pubsub = self.link.client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(CHANNEL)
                while True:
                    message = await pubsub.get_message(timeout=self.poll_interval_s)
                    if message and message.get("type") == "message":
                        log.info("index version %s announced", message.get("data"))
                        self._wake.set()
            except (RedisError, OSError, TimeoutError) as exc:
                log.debug("index announcements unavailable (%s); polling only", exc)
                await asyncio.sleep(self.poll_interval_s)
            finally:
                if pubsub is not None:
                    try:
                        await pubsub.aclose()
                    except (RedisError, OSError):
                        log.debug("pubsub close failed")
