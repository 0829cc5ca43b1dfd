"""The HTTP API against an in-process app: answers, bad requests (4xx with clear messages), 500s."""

from __future__ import annotations

import json
import os

import pytest

from service.protocol import ApiDetail, ApiList, GenerateResponse, LanguageList, SearchResponse

pytestmark = pytest.mark.integration


def _error(resp) -> dict:  # noqa: ANN001
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"message", "type", "param", "code"}, body
    return body["error"]


def test_generate_answers_with_endpoint_code_and_timings(client) -> None:  # noqa: ANN001
    resp = client.post("/generate", json={"instruction": "list all pets", "language": "curl"})
    assert resp.status_code == 200, resp.text
    body = GenerateResponse.model_validate(resp.json())
    assert body.endpoint is not None and (body.endpoint.method, body.endpoint.path) == ("GET", "/pets")
    assert body.api is not None and body.api.id == "petstore.example" and body.api.name == "Swagger Petstore"
    assert body.code.startswith("curl --request GET")
    assert body.language == "curl" and body.target == "shell_curl"
    assert body.check is not None and body.check.ok
    assert body.cached is False and "total" in body.timings_ms
    assert body.examples and resp.headers["x-request-id"]


def test_second_identical_request_is_cached(client) -> None:  # noqa: ANN001
    first = client.post("/generate", json={"instruction": "Create a task", "language": "python_python3"})
    second = client.post("/generate", json={"instruction": "  create   a TASK ", "language": "python"})
    assert first.json()["cached"] is False
    assert second.json()["cached"] is True
    assert second.json()["code"] == first.json()["code"]
    assert "cache" in second.json()["timings_ms"]


def test_api_by_id_or_title_restricts_the_search(client) -> None:  # noqa: ANN001
    for api in ("todo.example.org", "Todo API"):
        resp = client.post("/generate", json={"instruction": "create", "api": api})
        assert resp.status_code == 200, resp.text
        assert resp.json()["api"]["id"] == "todo.example.org"


def test_no_match_is_an_answer(client) -> None:  # noqa: ANN001
    resp = client.post("/generate", json={"instruction": "zzqx wvvb"})
    assert resp.status_code == 200
    assert resp.json()["status"] == "no_match" and resp.json()["code"] == ""


@pytest.mark.parametrize(("body", "status", "type_", "words"), [
    ({}, 422, "invalid_request_error", "instruction: Field required"),
    ({"instruction": ""}, 400, "empty_query", "instruction is empty"),
    ({"instruction": "   "}, 400, "empty_query", "instruction is empty"),
    ({"instruction": "list pets", "language": "cobol"}, 400, "unknown_language", "unknown language 'cobol'"),
    ({"instruction": "list pets", "api": "nope.example"}, 404, "unknown_api", "unknown API 'nope.example'"),
    ({"instruction": "list pets", "backend": "gpt9"}, 400, "invalid_request_error", "unknown or unconfigured backend"),
    ({"instruction": "list pets", "top_k": 0}, 422, "invalid_request_error", "top_k"),
    ({"instruction": "list pets", "colour": "red"}, 422, "invalid_request_error", "colour"),
    ({"instruction": 5}, 422, "invalid_request_error", "instruction"),
])
def test_bad_generate_requests_get_4xx_with_a_clear_message(client, body, status, type_, words) -> None:  # noqa: ANN001
    resp = client.post("/generate", json=body)
    assert resp.status_code == status, resp.text
    err = _error(resp)
    assert err["type"] == type_
    assert words in err["message"]


def test_malformed_json_is_422(client) -> None:  # noqa: ANN001
    resp = client.post("/generate", content=b"{not json", headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert _error(resp)["message"].startswith("invalid request")


def test_oversized_body_is_413(make_client) -> None:  # noqa: ANN001
    with make_client(max_body_bytes=2048) as client:
        resp = client.post("/generate", json={"instruction": "x" * 3000})
        assert resp.status_code == 413
        err = _error(resp)
        assert err["type"] == "payload_too_large" and "2048 bytes" in err["message"]

        def chunks():  # no Content-Length: the limit is enforced while reading
            for _ in range(4):
                yield b"x" * 1000

        resp = client.post("/generate", content=chunks(), headers={"content-type": "application/json"})
        assert resp.status_code == 413
        assert _error(resp)["type"] == "payload_too_large"


def test_backend_down_is_502_and_counted(client) -> None:  # noqa: ANN001
    resp = client.post("/generate", json={"instruction": "list pets", "backend": "openai"})
    assert resp.status_code == 502
    assert _error(resp)["type"] == "backend_unavailable"
    metrics = client.get("/metrics").text
    assert 'apipack_backend_errors_total{backend="openai",type="backend_unavailable"} 1.0' in metrics


def test_a_bug_is_a_generic_500_with_the_request_id(client, caplog) -> None:  # noqa: ANN001
    resp = client.post("/generate", json={"instruction": "list pets", "backend": "buggy"},
                       headers={"x-request-id": "req-123"})
    assert resp.status_code == 500
    err = _error(resp)
    assert err["type"] == "internal_error" and "req-123" in err["message"]
    assert "ZeroDivisionError" not in resp.text  # no internals leak
    logged = [r for r in caplog.records if getattr(r, "request_id", None) == "req-123" and r.exc_info]
    assert logged, "the traceback is logged with the request id"


def test_search_apis_languages(client) -> None:  # noqa: ANN001
    resp = client.post("/search", json={"query": "mark a task as done", "k": 3})
    assert resp.status_code == 200, resp.text
    body = SearchResponse.model_validate(resp.json())
    assert body.hits[0].operation_id == "completeTask" and body.api and body.api.name == "Todo API"

    apis = ApiList.model_validate(client.get("/apis").json())
    assert {a.id for a in apis.data} == {"petstore.example", "todo.example.org"}
    assert [a.id for a in ApiList.model_validate(client.get("/apis?q=pet").json()).data] == ["petstore.example"]

    detail = ApiDetail.model_validate(client.get("/apis/petstore.example").json())
    assert len(detail.endpoints) == 4 and detail.name == "Swagger Petstore"
    assert client.get("/apis/unknown.example").status_code == 404

    langs = LanguageList.model_validate(client.get("/languages").json())
    assert len(langs.data) == 10 and {"python", "libcurl"} <= {t.short for t in langs.data}


def test_stream_sends_delta_result_done(client) -> None:  # noqa: ANN001
    with client.stream("POST", "/generate", json={"instruction": "list all pets", "stream": True}) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        text = "".join(resp.iter_text())
    events = [block.split("\n")[0] for block in text.strip().split("\n\n")]
    assert events == ["event: delta", "event: result", "event: done"]
    assert '"path":"/pets"' in text


def test_stream_relays_the_backend_pieces(client) -> None:  # noqa: ANN001
    body = {"instruction": "list all pets", "stream": True, "backend": "streaming", "language": "curl"}
    with client.stream("POST", "/generate", json=body) as resp:
        text = "".join(resp.iter_text())
    blocks = [b for b in text.strip().split("\n\n")]
    deltas = [json.loads(b.split("data: ", 1)[1])["text"] for b in blocks if b.startswith("event: delta")]
    result = json.loads(next(b for b in blocks if b.startswith("event: result")).split("data: ", 1)[1])
    assert len(deltas) > 2 and "".join(deltas) == result["code"]
    assert result["backend"] == "streaming" and blocks[-1] == "event: done\ndata: [DONE]"


def test_health_ready_metrics(client) -> None:  # noqa: ANN001
    assert client.get("/healthz").json() == {"status": "ok", "pid": os.getpid()}  # TestClient: this process
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["redis"] == "unset"
    client.post("/generate", json={"instruction": "list all pets"})
    text = client.get("/metrics").text
    for name in ("apipack_request_duration_seconds_bucket{", 'apipack_stage_duration_seconds_count{stage="render"}',
                 "apipack_cache_lookups_total{", "apipack_index_version_info{version="):
        assert name in text
    assert 'route="/generate"' in text


def test_unknown_route_is_404_in_the_envelope(client) -> None:  # noqa: ANN001
    resp = client.get("/nope")
    assert resp.status_code == 404 and _error(resp)["type"] == "not_found"


def test_no_index_yet_is_503_and_not_ready(make_client, tmp_path) -> None:  # noqa: ANN001
    with make_client(index_dir=tmp_path / "empty") as client:
        resp = client.post("/generate", json={"instruction": "list pets"})
        assert resp.status_code == 503 and _error(resp)["type"] == "index_not_ready"
        assert client.get("/readyz").status_code == 503


def test_playground_and_assets_are_served(client) -> None:  # noqa: ANN001
    page = client.get("/")
    assert page.status_code == 200 and "<title>apipack playground</title>" in page.text
    for asset in ("/static/app.js", "/static/highlight.js", "/static/style.css"):
        assert client.get(asset).status_code == 200, asset
    assert "https://" not in page.text  # no CDN


def test_concurrent_generations_take_turns_and_give_their_slot_back(make_client) -> None:  # noqa: ANN001
    from concurrent.futures import ThreadPoolExecutor

    with make_client(grounded_slots=1) as client:
        asks = [f"list all pets {n}" if n % 2 else f"create a task {n}" for n in range(8)]
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda text: client.post("/generate", json={"instruction": text}), asks))
        assert [a.status_code for a in answers] == [200] * 8
        paths = [a.json()["endpoint"]["path"] for a in answers]
        assert paths[1] == "/pets" and paths[0] != "/pets"  # each answer is its own request's
        slots = client.app.state.parts.grounded_slots
        assert slots is not None and slots._value == 1  # every request gave its slot back
