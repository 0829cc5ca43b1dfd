"""Against a real redis-server: shared cache, shared rate limits, index version announcements,
and Redis stopped mid-test (answers keep flowing uncached, /readyz says degraded, no 500)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.integration.service.conftest import SAMPLE_DOCS
from tests.integration.service.fakes import publish_docs
from tests.integration.service.servers import wait_until

pytestmark = pytest.mark.integration

KEYS = "user-key-0001,admin-key-0002:admin,other-key-0003"


def test_cache_is_shared_by_replicas_through_redis(make_client, redis_url) -> None:  # noqa: ANN001
    body = {"instruction": "delete a pet", "language": "go"}
    with make_client(redis_url=redis_url) as a, make_client(redis_url=redis_url) as b:
        first = a.post("/generate", json=body)
        assert first.status_code == 200 and first.json()["cached"] is False
        second = b.post("/generate", json=body)  # the other replica answers from Redis
        assert second.status_code == 200 and second.json()["cached"] is True
        assert second.json()["code"] == first.json()["code"]
        assert 'apipack_cache_lookups_total{result="hit"} 1.0' in b.get("/metrics").text
        # another backend or language is another key
        assert a.post("/generate", json={**body, "language": "ruby"}).json()["cached"] is False


def test_rate_limit_is_per_key_and_shared_by_replicas(make_client, redis_url) -> None:  # noqa: ANN001
    # keep the four requests inside one one-minute window
    wait_until(lambda: time.time() % 60 < 50, 15, "a fresh rate-limit window")
    with make_client(redis_url=redis_url, api_keys=KEYS, rate_limit_per_minute=3) as a, \
            make_client(redis_url=redis_url, api_keys=KEYS, rate_limit_per_minute=3) as b:
        user = {"Authorization": "Bearer user-key-0001"}
        for client in (a, b, a):
            assert client.post("/generate", json={"instruction": "list pets"}, headers=user).status_code == 200
        limited = b.post("/generate", json={"instruction": "list pets"}, headers=user)
        assert limited.status_code == 429
        assert limited.json()["error"]["type"] == "rate_limit_exceeded"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # another key has its own budget
        other = a.post("/generate", json={"instruction": "list pets"}, headers={"X-API-Key": "other-key-0003"})
        assert other.status_code == 200


def test_keys_missing_wrong_and_admin_scope(make_client, redis_url) -> None:  # noqa: ANN001
    with make_client(redis_url=redis_url, api_keys=KEYS) as client:
        missing = client.post("/generate", json={"instruction": "list pets"})
        assert missing.status_code == 401 and "missing API key" in missing.json()["error"]["message"]
        wrong = client.post("/generate", json={"instruction": "list pets"}, headers={"X-API-Key": "guess-0000"})
        assert wrong.status_code == 401 and "invalid API key" in wrong.json()["error"]["message"]
        spec = b'{"openapi": "3.0.0", "info": {"title": "X"}, "paths": {"/x": {"get": {}}}}'
        not_admin = client.post("/apis", content=spec, headers={"X-API-Key": "user-key-0001"})
        assert not_admin.status_code == 403 and not_admin.json()["error"]["type"] == "permission_denied"
        assert client.get("/healthz").status_code == 200  # probes need no key
        assert client.get("/readyz").status_code == 200


def test_index_version_announced_to_other_replicas(make_client, redis_url) -> None:  # noqa: ANN001
    upload = (b"openapi: 3.0.0\ninfo:\n  title: Weather Service\nservers:\n  - url: https://wx.example.net\n"
              b"paths:\n  /forecast:\n    get:\n      operationId: getForecast\n      summary: Get the forecast\n")
    # polling is slowed to a minute: only the Redis announcement can make B switch in time
    with make_client(redis_url=redis_url, index_poll_interval_s=60) as a, \
            make_client(redis_url=redis_url, index_poll_interval_s=60) as b:
        before = b.get("/readyz").json()["index_version"]
        job = a.post("/apis", content=upload, headers={"content-type": "application/yaml"})
        assert job.status_code == 202, job.text
        job_id = job.json()["id"]

        def done() -> bool:
            state = b.get(f"/jobs/{job_id}").json()  # B answers from the job record in Redis
            assert state["state"] != "failed", state
            return state["state"] == "succeeded"

        wait_until(done, 20, "the ingestion job")
        wait_until(lambda: b.get("/readyz").json()["index_version"] != before, 10, "replica B switching")
        ids = {x["id"] for x in b.get("/apis").json()["data"]}
        assert "weather-service" in ids
        answer = b.post("/generate", json={"instruction": "get the forecast", "api": "Weather Service"})
        assert answer.status_code == 200 and answer.json()["endpoint"]["path"] == "/forecast"
        assert "apipack_index_switches_total 1.0" in b.get("/metrics").text


def test_redis_stopped_mid_test_degrades_without_500(make_client, redis_server, redis_url) -> None:  # noqa: ANN001
    body = {"instruction": "show pet by id", "language": "php"}
    with make_client(redis_url=redis_url, api_keys=KEYS, rate_limit_per_minute=1000) as client:
        key = {"X-API-Key": "user-key-0001"}
        assert client.post("/generate", json=body, headers=key).json()["cached"] is False
        assert client.post("/generate", json=body, headers=key).json()["cached"] is True
        assert client.get("/readyz").json()["status"] == "ready"

        redis_server.stop()
        statuses = []
        for _ in range(5):
            resp = client.post("/generate", json=body, headers=key)
            statuses.append(resp.status_code)
            assert resp.json()["cached"] is False  # computed again: Redis is the cache
        assert statuses == [200] * 5
        for path in ("/apis", "/languages", "/healthz"):
            assert client.get(path, headers=key).status_code == 200
        assert client.post("/search", json={"query": "pets"}, headers=key).status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "degraded" and ready.json()["redis"] == "down"
        metrics = client.get("/metrics").text
        assert 'apipack_cache_lookups_total{result="error"}' in metrics and "apipack_redis_up_bool 0.0" in metrics

        redis_server.start()  # same port: the service reconnects on its own
        wait_until(lambda: client.get("/readyz").json()["status"] == "ready", 10, "redis recovery")
        assert client.post("/generate", json=body, headers=key).status_code == 200


def test_index_switch_does_not_drop_in_flight_requests(make_client, index_dir, world) -> None:  # noqa: ANN001
    with make_client(index_poll_interval_s=0.1) as client:
        old = client.get("/readyz").json()["index_version"]
        result: dict = {}

        def slow_request() -> None:
            result["resp"] = client.post("/generate", json={"instruction": "list pets", "backend": "blocking"})

        thread = threading.Thread(target=slow_request)
        thread.start()
        assert world.blocking is not None and world.blocking.entered.wait(10)
        new = publish_docs(index_dir, {**SAMPLE_DOCS})
        wait_until(lambda: client.get("/readyz").json()["index_version"] == new, 10, "the switch")
        fresh = client.post("/generate", json={"instruction": "list pets"})
        assert fresh.status_code == 200 and fresh.json()["index_version"] == new
        world.blocking.release.set()
        thread.join(20)
        resp = result["resp"]
        assert resp.status_code == 200 and resp.json()["index_version"] == old
