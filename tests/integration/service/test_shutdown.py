"""Graceful shutdown: a request in flight when the server is told to stop still gets its answer."""

from __future__ import annotations

import threading

import httpx
import pytest
import uvicorn

from apipack.settings import Settings
from service.app import create_app
from tests.integration.service.fakes import DocsIngestor
from tests.integration.service.servers import free_port, wait_until

pytestmark = pytest.mark.integration


def test_in_flight_request_finishes_after_stop_is_asked(index_dir, world) -> None:  # noqa: ANN001
    app = create_app(Settings(index_dir=index_dir, rate_limit_per_minute=0), runtime_factory=world,
                     ingestor=DocsIngestor(), configure_logs=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           timeout_graceful_shutdown=20))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: httpx.get(url + "/readyz", timeout=2).status_code == 200, 30, "uvicorn")
        result: dict = {}

        def slow() -> None:
            result["resp"] = httpx.post(url + "/generate", json={"instruction": "list pets", "backend": "blocking"},
                                        timeout=30)

        client = threading.Thread(target=slow)
        client.start()
        assert world.blocking.entered.wait(10)
        server.should_exit = True  # what uvicorn's SIGTERM handler does
        wait_until(lambda: _refuses(url), 10, "the listener to close")
        world.blocking.release.set()
        client.join(20)
        assert result["resp"].status_code == 200
        assert result["resp"].json()["endpoint"]["path"] == "/pets"
    finally:
        if world.blocking is not None:
            world.blocking.release.set()
        server.should_exit = True
        thread.join(20)
    assert not thread.is_alive()


def _refuses(url: str) -> bool:
    try:
        httpx.get(url + "/healthz", timeout=1)
    except httpx.HTTPError:
        return True
    return False
