"""Every error class declares a status and a type; the handler maps them to OpenAI's envelope."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from apipack import errors as apipack_errors
from apipack.errors import ApipackError, RateLimitError, all_error_classes
from service import errors


def test_every_error_class_declares_a_status_and_type() -> None:
    classes = all_error_classes()
    assert len(classes) > 20
    for cls in classes:
        assert 400 <= cls.status <= 599, cls
        assert cls.type and cls.type.replace("_", "").isalnum(), cls


def test_the_ones_the_design_names_have_their_status() -> None:
    expected = {"UnknownLanguageError": 400, "EmptyQueryError": 400, "AuthenticationError": 401,
                "PermissionDeniedError": 403, "UnknownApiError": 404, "PayloadTooLargeError": 413,
                "RateLimitError": 429, "IndexNotReadyError": 503, "BackendUnavailableError": 502,
                "BackendTimeoutError": 504, "SpecParseError": 422}
    for name, status in expected.items():
        assert getattr(apipack_errors, name).status == status, name


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda c: c.__name__)
def test_handler_maps_each_class_to_its_status_and_envelope(cls: type[ApipackError]) -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise cls("something specific went wrong", param="p", code="c")

    resp = TestClient(app).get("/boom")
    assert resp.status_code == cls.status
    assert resp.json() == {"error": {"message": "something specific went wrong", "type": cls.type,
                                     "param": "p", "code": "c"}}
    if cls is RateLimitError:
        assert resp.headers["Retry-After"] == "1"


def test_validation_errors_are_422_in_the_envelope() -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/n")
    async def n(x: int) -> dict:
        return {"x": x}

    resp = TestClient(app).get("/n?x=abc")
    assert resp.status_code == 422
    err = resp.json()["error"]
    assert err["type"] == "invalid_request_error" and err["param"] == "x" and "x:" in err["message"]
