"""POST /generate: instruction -> the API call, from the cache when the same request was answered."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson
from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from apipack.errors import ApipackError, EmptyQueryError
from apipack.snippets.targets_table import TargetInfo, resolve_target
from generation.types import Generation, GenerationBackend, GenerationRequest
from service.answers import generation_body
from service.cache import cache_key
from service.errors import internal_error_body
from service.parts import Parts, PartsDep, UserDep
from service.protocol import GenerateRequest, GenerateResponse, error_responses
from service.request_context import current_request_id
from service.state import Runtime

log = logging.getLogger(__name__)
router = APIRouter(tags=["generate"])


@router.post("/generate", response_model=GenerateResponse,
             responses={**error_responses(400, 401, 404, 413, 422, 429, 502, 503, 504),
                        200: {"content": {"text/event-stream": {}},
                              "description": "JSON, or server-sent events when stream is true"}})
async def generate(body: GenerateRequest, parts: PartsDep,
                   principal: UserDep) -> Response:
    start = time.perf_counter()
    instruction = body.instruction.strip()
    if not instruction:
        raise EmptyQueryError("instruction is empty; say what the call should do, e.g. "
                              "'list my repositories'", param="instruction")
    target = resolve_target(body.language)
    runtime = parts.holder.require()
    api_id = runtime.resolve_api(body.api).api_id if body.api else None
    backend_name, backend = runtime.backend(body.backend)
    top_k = body.top_k or parts.settings.top_k
    request = GenerationRequest(instruction=instruction, language=target.short, api=api_id, top_k=top_k,
                                backend=backend_name, stream=body.stream)
    if body.stream:
        return StreamingResponse(_stream(parts, runtime, backend, request, target),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    key = cache_key(instruction=instruction, language=target.short, api_id=api_id, top_k=top_k,
                    index_version=runtime.version, backend=backend_name)
    hit = await parts.cache.get(key)
    if hit is not None:
        answer = orjson.loads(hit)
        answer["cached"] = True
        answer["timings_ms"] = {"cache": round((time.perf_counter() - start) * 1000, 3)}
        parts.metrics.stage_duration.labels(stage="cache").observe(time.perf_counter() - start)
        return Response(orjson.dumps(answer), media_type="application/json")

    gen = await _generate(parts, backend, backend_name, request)
    answer = generation_body(gen, target=target, index_version=runtime.version)
    await parts.cache.set(key, orjson.dumps(answer))
    answer["timings_ms"]["total"] = round((time.perf_counter() - start) * 1000, 3)
    return Response(orjson.dumps(answer), media_type="application/json")


async def _generate(parts: Parts, backend: GenerationBackend, backend_name: str,
                    request: GenerationRequest) -> Generation:
    try:
        if backend_name == "grounded" and parts.grounded_slots is not None:
            async with parts.grounded_slots:  # queue in the event loop, not in GIL-bound threads
                gen = await run_in_threadpool(backend.generate, request)
        else:
            gen = await run_in_threadpool(backend.generate, request)
    except ApipackError as exc:
        parts.metrics.backend_errors.labels(backend=backend_name, type=exc.type).inc()
        raise
    except Exception:
        parts.metrics.backend_errors.labels(backend=backend_name, type="unexpected").inc()
        raise
    _observe(parts, gen)
    return gen


def _observe(parts: Parts, gen: Generation) -> None:
    parts.metrics.generations.labels(backend=gen.backend, status=gen.status).inc()
    for stage, ms in gen.timings_ms.items():
        parts.metrics.stage_duration.labels(stage=stage).observe(float(ms) / 1000)


def _sse(event: str, data: Any) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


async def _stream(parts: Parts, runtime: Runtime, backend: GenerationBackend, request: GenerationRequest,
                  target: TargetInfo) -> AsyncIterator[bytes]:
    """Server-sent events: ``delta`` events with the LLM's text as it comes, then one ``result``
    event with the whole answer (the same JSON as without streaming), then ``done``. A backend with
    a ``stream(request)`` method yields text pieces and finally its ``Generation``; the others
    answer in one ``delta``. Errors after the stream started arrive as an ``error`` event."""
    backend_name = request.backend or runtime.default_backend
    start = time.perf_counter()
    try:
        gen: Generation | None = None
        stream_fn = getattr(backend, "stream", None)
        if callable(stream_fn):
            pieces: Iterator[Any] = stream_fn(request)
            async for piece in iterate_in_threadpool(pieces):
                if isinstance(piece, Generation):
                    gen = piece
                else:
                    yield _sse("delta", {"text": str(piece)})
            if gen is None:
                raise ApipackError("the backend's stream ended without an answer")
            _observe(parts, gen)
        else:
            gen = await _generate(parts, backend, backend_name, request)
            yield _sse("delta", {"text": gen.model_code or gen.code})
        answer = generation_body(gen, target=target, index_version=runtime.version)
        answer["timings_ms"]["total"] = round((time.perf_counter() - start) * 1000, 3)
        yield _sse("result", answer)
    except ApipackError as exc:
        yield _sse("error", exc.to_dict())
    except Exception:  # noqa: BLE001 - headers are sent: the error can only travel as an event
        log.exception("stream failed")
        yield _sse("error", internal_error_body(current_request_id()))
    yield b"event: done\ndata: [DONE]\n\n"
