"""The one place where exceptions become HTTP responses (OpenAI's error envelope).

``ApipackError`` subclasses carry their own status and ``type``; request-schema failures become 422
in the same envelope; anything else is a bug: 500 with a generic message, the traceback logged once
with the request id (by ``service.middleware``, which catches what no handler here takes). 429 answers carry ``Retry-After``.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from apipack.errors import ApipackError, RateLimitError
from service.json_response import JsonResponse
from service.request_context import current_request_id

log = logging.getLogger(__name__)


def envelope(message: str, type_: str, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def error_response(exc: ApipackError) -> JsonResponse:
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimitError):
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    return JsonResponse(exc.to_dict(), status_code=exc.status, headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    problems = []
    first_param: str | None = None
    for err in exc.errors()[:5]:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        where = ".".join(loc) or "body"
        first_param = first_param or where
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(problems or ["the body is not valid JSON"]), first_param


async def _on_apipack_error(request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, ApipackError)
    if exc.status >= 500:
        # Server-side trouble (index, backend, configuration): worth one log line with the id.
        log.warning("request failed: %s (%s)", exc.message, exc.type,
                    extra={"request_id": current_request_id(), "error_type": exc.type})
    return error_response(exc)


async def _on_validation_error(request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, RequestValidationError)
    message, param = _validation_message(exc)
    return JsonResponse(envelope(message, "invalid_request_error", param=param, code="schema"), status_code=422)


async def _on_http_exception(request: Request, exc: Exception) -> JsonResponse:
    assert isinstance(exc, StarletteHTTPException)
    type_ = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
        exc.status_code, "invalid_request_error")
    message = str(exc.detail) if exc.detail else "request failed"
    if exc.status_code == 404:
        message = f"no route {request.method} {request.url.path}; see /docs for the API"
    return JsonResponse(envelope(message, type_), status_code=exc.status_code,
                          headers=getattr(exc, "headers", None))


def internal_error_body(request_id: str) -> dict[str, Any]:
    """The generic 500 body (``service.middleware`` sends it after logging the traceback)."""
    return envelope(f"internal error; quote request id {request_id} when reporting it", "internal_error")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApipackError, _on_apipack_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    # Anything else is caught by service.middleware, inside Starlette's ServerErrorMiddleware, so
    # that the traceback is logged once (with the request id) and never re-raised to uvicorn.
