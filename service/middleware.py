"""The ASGI middleware around every request: request id, body size limit, latency metric, last-resort 500.

Written as plain ASGI (not ``BaseHTTPMiddleware``) because it sits on the hot path of a service
that must answer cache hits at thousands of requests a second.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import orjson
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from apipack.errors import PayloadTooLargeError
from service.errors import internal_error_body
from service.metrics import Metrics
from service.request_context import new_request_id, reset_request_id, set_request_id
from service.workers import connection_share

log = logging.getLogger("service.access")


class _BodyTooLarge(StarletteHTTPException):
    """Raised from ``receive`` when a body without Content-Length grows past the limit; an
    HTTPException because FastAPI turns any other error while reading the body into a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=f"request body larger than {limit} bytes; send a smaller body")


class RequestMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, body_limit: Callable[[str, str], int]) -> None:
        self.app = app
        self.metrics = metrics
        self.body_limit = body_limit  # (method, path) -> largest body in bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        headers = dict(scope.get("headers") or ())
        rid = new_request_id(headers.get(b"x-request-id", b"").decode("latin-1") or None)
        token = set_request_id(rid)
        method, path = scope["method"], scope["path"]
        limit = self.body_limit(method, path)
        status = 500
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message.setdefault("headers", [])
                extra = [(b"x-request-id", rid.encode())]
                share = connection_share()
                if share is not None and share.should_close():  # this worker holds more than its share
                    extra.append((b"connection", b"close"))
                message["headers"] = list(message["headers"]) + extra
            await send(message)

        try:
            declared = headers.get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise _BodyTooLarge(limit)
            received = 0

            async def receive_limited() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise _BodyTooLarge(limit)
                return message

            await self.app(scope, receive_limited, send_wrapper)
        except _BodyTooLarge as exc:
            if not started:
                err = PayloadTooLargeError(str(exc.detail), code="body_too_large")
                await _send_json(send_wrapper, err.status, err.to_dict())
        except Exception:  # noqa: BLE001 - the last resort: log the bug once, answer a generic 500
            log.exception("unhandled error on %s %s", method, path, extra={"request_id": rid})
            if not started:
                await _send_json(send_wrapper, 500, internal_error_body(rid))
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.request_duration.labels(route=template, method=method,
                                                 status_class=f"{status // 100}xx").observe(elapsed)
            if log.isEnabledFor(logging.INFO):
                log.info("%s %s %d %.1fms", method, path, status, elapsed * 1000,
                         extra={"request_id": rid, "status": status, "route": template,
                                "duration_ms": round(elapsed * 1000, 2)})
            reset_request_id(token)


async def _send_json(send: Send, status: int, body: dict) -> None:
    payload = orjson.dumps(body)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
