"""Service logs are JSON lines carrying the request id."""

from __future__ import annotations

import json
import logging

from service.logging_config import JsonFormatter
from service.request_context import new_request_id, reset_request_id, set_request_id


def test_json_line_with_request_id_and_extras() -> None:
    token = set_request_id("abc-1")
    try:
        record = logging.LogRecord("service.x", logging.INFO, __file__, 1, "served %s", ("ok",), None)
        record.status = 200
        line = JsonFormatter().format(record)
    finally:
        reset_request_id(token)
    data = json.loads(line)
    assert data["message"] == "served ok" and data["request_id"] == "abc-1" and data["status"] == 200
    assert data["level"] == "INFO" and data["ts"].endswith("Z")


def test_incoming_request_ids_are_kept_only_when_plain() -> None:
    assert new_request_id("trace-42") == "trace-42"
    assert new_request_id("bad id\nwith newline") != "bad id\nwith newline"
    assert len(new_request_id(None)) == 32
