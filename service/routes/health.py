"""GET /healthz (the process is alive), GET /readyz (it can answer), GET /metrics (Prometheus)."""

from __future__ import annotations

import asyncio
import os

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from service.json_response import JsonResponse
from service.parts import PartsDep
from service.protocol import Health, Ready

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> JsonResponse:
    return JsonResponse({"status": "ok", "pid": os.getpid()})


@router.get("/readyz", response_model=Ready, responses={503: {"model": Ready, "description": "Not ready"}})
async def readyz(parts: PartsDep) -> JsonResponse:
    """ready: index loaded, backends reachable, Redis up (or unset). degraded: Redis configured but
    down; answers still flow, uncached (200, so the replica stays in rotation). not_ready: no index,
    the default backend unreachable or the process draining (503)."""
    detail: list[str] = []
    runtime = parts.holder.runtime
    backends: dict[str, str] = {}
    if runtime is None:
        detail.append(parts.holder.last_error or "no index loaded")
    else:
        for name, backend in runtime.backends.items():
            backends[name] = await _backend_state(backend)
        if backends.get(runtime.default_backend) != "ok":
            detail.append(f"default backend {runtime.default_backend} is {backends.get(runtime.default_backend)}")
    if parts.link.configured:
        redis = "up" if await parts.link.ping() else "down"
        if redis == "down":
            detail.append("redis unreachable: serving uncached, rate limits per process")
    else:
        redis = "unset"
    if parts.draining:
        detail.append("shutting down")
    if runtime is None or parts.draining or backends.get(runtime.default_backend) != "ok":
        status, code = "not_ready", 503
    elif redis == "down":
        status, code = "degraded", 200
    else:
        status, code = "ready", 200
    return JsonResponse({"status": status, "index_loaded": runtime is not None,
                           "index_version": runtime.version if runtime else None, "backends": backends,
                           "redis": redis, "detail": detail}, status_code=code)


async def _backend_state(backend: object) -> str:
    """A backend with a ``ready()`` method is asked; one with a ``base_url`` (an OpenAI-compatible
    server) must answer ``GET /models``; both with a deadline. Others run in process."""
    check = getattr(backend, "ready", None)
    base_url = getattr(backend, "base_url", None)
    if not callable(check) and isinstance(base_url, str):
        import httpx

        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                resp = await client.get(base_url.rstrip("/") + "/models")
        except httpx.HTTPError as exc:
            return f"unreachable: {type(exc).__name__}"
        return "ok" if resp.status_code < 500 else f"unreachable: HTTP {resp.status_code}"
    if not callable(check):
        return "ok"
    try:
        ok = await asyncio.wait_for(run_in_threadpool(check), timeout=2.0)
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # noqa: BLE001 - any failure of a readiness probe means "unreachable"
        return f"unreachable: {type(exc).__name__}"
    return "ok" if ok is not False else "unreachable"


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(parts: PartsDep) -> Response:
    body, content_type = parts.metrics.exposition()
    return Response(body, media_type=content_type)
