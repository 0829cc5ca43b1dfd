"""Fixtures for the service tests: a real redis-server, a small published index, app clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from apipack.settings import Settings
from service.app import create_app
from tests.integration.service.fakes import DocsIngestor, FakeWorld, publish_docs
from tests.integration.service.servers import RedisServer

# Two small specs written for these tests (real-world shaped: servers, operationIds, summaries).
PETSTORE = {
    "openapi": "3.0.0",
    "info": {"title": "Swagger Petstore", "version": "1.0.0", "x-providerName": "petstore.example"},
    "servers": [{"url": "https://petstore.example.com/v1"}],
    "paths": {
        "/pets": {"get": {"operationId": "listPets", "summary": "List all pets"},
                  "post": {"operationId": "createPets", "summary": "Create a pet"}},
        "/pets/{petId}": {"get": {"operationId": "showPetById", "summary": "Info for a specific pet"},
                          "delete": {"operationId": "deletePet", "summary": "Delete a pet"}},
    },
}
TODO = {
    "openapi": "3.0.0",
    "info": {"title": "Todo API", "version": "2.0"},
    "servers": [{"url": "https://todo.example.org/api"}],
    "paths": {
        "/tasks": {"get": {"operationId": "listTasks", "summary": "List tasks"},
                   "post": {"operationId": "createTask", "summary": "Create a task"}},
        "/tasks/{id}/complete": {"post": {"operationId": "completeTask", "summary": "Mark a task as done"}},
    },
}
SAMPLE_DOCS = {"petstore.example": PETSTORE, "todo.example.org": TODO}


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    if redis_server.proc is None:  # a previous test stopped it
        redis_server.start()
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "index"
    publish_docs(folder, SAMPLE_DOCS)
    return folder


@pytest.fixture
def world() -> FakeWorld:
    return FakeWorld()


ClientFactory = Callable[..., AbstractContextManager[TestClient]]


@pytest.fixture
def make_client(index_dir: Path, world: FakeWorld) -> ClientFactory:
    @contextmanager
    def make(**overrides: Any) -> Iterator[TestClient]:
        values = {"index_dir": index_dir, "index_poll_interval_s": 0.2, "rate_limit_per_minute": 0,
                  "log_level": "INFO", **overrides}
        settings = Settings(**values)
        app = create_app(settings, runtime_factory=world, ingestor=DocsIngestor(), configure_logs=False)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client

    return make


@pytest.fixture
def client(make_client: ClientFactory) -> Iterator[TestClient]:
    with make_client() as c:
        yield c
