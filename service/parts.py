"""The collaborators one app is built from, and the FastAPI dependencies that hand them to routes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from apipack.errors import AuthenticationError
from apipack.settings import Settings
from service.auth import KeyStore, Principal
from service.cache import AnswerCache
from service.index_watch import IndexWatcher
from service.jobs import JobManager
from service.metrics import Metrics
from service.ratelimit import RateLimiter
from service.redis_link import RedisLink
from service.state import RuntimeHolder


@dataclass
class Parts:
    settings: Settings
    metrics: Metrics
    link: RedisLink
    holder: RuntimeHolder
    cache: AnswerCache
    limiter: RateLimiter
    keys: KeyStore
    watcher: IndexWatcher
    jobs: JobManager
    draining: bool = False  # set on shutdown: /readyz answers 503 so load balancers stop sending
    # CPU-bound generation in flight at once (settings.grounded_slots); made in the app's event loop
    grounded_slots: asyncio.Semaphore | None = None


def get_parts(request: Request) -> Parts:
    return request.app.state.parts


async def authorized(request: Request,
                     authorization: str | None = Header(None, include_in_schema=False),
                     x_api_key: str | None = Header(None, include_in_schema=False)) -> Principal:
    """Authenticate the key (when keys are configured) and count the request against its limit."""
    parts: Parts = request.app.state.parts
    try:
        principal = parts.keys.authenticate(authorization, x_api_key)
    except AuthenticationError:
        parts.metrics.auth_failures.labels(reason="invalid_key" if (authorization or x_api_key)
                                           else "missing_key").inc()
        raise
    # Without keys, requests are limited per client address.
    bucket = principal.key_id if parts.keys.enabled else f"ip:{request.client.host if request.client else '-'}"
    await parts.limiter.check(bucket)
    return principal


async def admin(request: Request,
                authorization: str | None = Header(None, include_in_schema=False),
                x_api_key: str | None = Header(None, include_in_schema=False)) -> Principal:
    principal = await authorized(request, authorization, x_api_key)
    parts: Parts = request.app.state.parts
    if not principal.admin:
        parts.metrics.auth_failures.labels(reason="not_admin").inc()
    KeyStore.require_admin(principal)
    return principal


# Annotated dependencies (FastAPI's recommended form; keeps call expressions out of defaults).
PartsDep = Annotated[Parts, Depends(get_parts)]
UserDep = Annotated[Principal, Depends(authorized)]
AdminDep = Annotated[Principal, Depends(admin)]
