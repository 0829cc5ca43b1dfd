"""POST /apis, DELETE /apis/{id}, GET /jobs/{id}: uploads checked at once, ingestion in the background."""

from __future__ import annotations

import json

import pytest

from tests.integration.service.servers import wait_until

pytestmark = pytest.mark.integration

GOOD = {"openapi": "3.0.0", "info": {"title": "Billing API"}, "servers": [{"url": "https://bill.example.com"}],
        "paths": {"/invoices": {"get": {"operationId": "listInvoices", "summary": "List invoices"}}}}


def _wait_job(client, job_id: str) -> dict:  # noqa: ANN001
    state: dict = {}

    def finished() -> bool:
        state.update(client.get(f"/jobs/{job_id}").json())
        return state["state"] in ("succeeded", "failed")

    wait_until(finished, 20, f"job {job_id}")
    return state


@pytest.mark.parametrize(("content", "ctype", "type_", "words"), [
    (b"", "application/json", "spec_not_parseable", "empty"),
    (b"{oops", "application/json", "spec_not_parseable", "not valid JSON or YAML"),
    (b"paths: [unclosed", "application/yaml", "spec_not_parseable", "not valid JSON or YAML"),
    (b'{"hello": "world"}', "application/json", "not_openapi", "not an OpenAPI document"),
    (b'{"openapi": "3.0.0", "paths": {"/a": {}}}', "application/json", "not_openapi", "info.title"),
    (b'{"openapi": "3.0.0", "info": {"title": "T"}, "paths": {}}', "application/json", "spec_without_paths",
     "no paths"),
    (b"a: &x [1]\nb: *x\n", "application/yaml", "spec_not_parseable", "aliases"),
    (b"[1, 2]", "application/json", "not_openapi", "not an OpenAPI document"),
])
def test_malformed_uploads_are_422_at_once(client, content, ctype, type_, words) -> None:  # noqa: ANN001
    resp = client.post("/apis", content=content, headers={"content-type": ctype})
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"]["type"] == type_
    assert words in resp.json()["error"]["message"]


def test_upload_too_large_is_413(make_client) -> None:  # noqa: ANN001
    with make_client(max_spec_bytes=4096) as client:
        resp = client.post("/apis", content=b"{" + b" " * 5000 + b"}", headers={"content-type": "application/json"})
        assert resp.status_code == 413


def test_multipart_upload_then_delete(client) -> None:  # noqa: ANN001
    resp = client.post("/apis", files={"spec": ("billing.json", json.dumps(GOOD), "application/json")})
    assert resp.status_code == 202, resp.text
    assert resp.headers["location"] == f"/jobs/{resp.json()['id']}"
    job = _wait_job(client, resp.json()["id"])
    assert job["state"] == "succeeded" and job["progress"] == 1.0 and job["api_id"] == "billing-api"
    assert client.get("/apis/billing-api").json()["name"] == "Billing API"
    assert client.get("/readyz").json()["index_version"] == job["index_version"]

    gone = client.delete("/apis/billing-api")
    assert gone.status_code == 202
    assert _wait_job(client, gone.json()["id"])["state"] == "succeeded"
    assert client.get("/apis/billing-api").status_code == 404
    assert client.delete("/apis/billing-api").status_code == 404


def test_multipart_without_spec_field_is_400(client) -> None:  # noqa: ANN001
    resp = client.post("/apis", files={"other": ("x.json", "{}", "application/json")})
    assert resp.status_code == 400 and "'spec'" in resp.json()["error"]["message"]


def test_unknown_job_is_404(client) -> None:  # noqa: ANN001
    resp = client.get("/jobs/0123456789abcdef")
    assert resp.status_code == 404 and resp.json()["error"]["type"] == "not_found"
