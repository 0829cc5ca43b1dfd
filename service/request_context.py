"""The request id of the request being served (a context variable read by logs and errors)."""

from __future__ import annotations

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("apipack_request_id", default="-")

# A caller's X-Request-ID is kept only when it is short and plain (it ends up in logs and headers).
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id(incoming: str | None) -> str:
    if incoming and _ACCEPTABLE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
