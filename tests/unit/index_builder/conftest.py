"""Fixtures for the index builder tests: the real MiniLM (loaded once) and small specs made in code."""

from __future__ import annotations

import pytest

from apipack.openapi.model import ApiSpec, Endpoint, Parameter


def ep(api_id: str, method: str, path: str, op: str, summary: str, *params: str) -> Endpoint:
    return Endpoint(api_id=api_id, method=method, path=path, operation_id=op, summary=summary,
                    parameters=tuple(Parameter(name=p, location="path", required=True) for p in params))


def pets_spec(api_id: str = "petstore.test", title: str = "Pet Store API", extra: str = "") -> ApiSpec:
    eps = [
        ep(api_id, "GET", "/pets", "listPets", "List all pets" + extra),
        ep(api_id, "POST", "/pets", "createPet", "Create a pet"),
        ep(api_id, "GET", "/pets/{petId}", "showPetById", "Info for a specific pet", "petId"),
        ep(api_id, "DELETE", "/pets/{petId}", "deletePet", "Delete a pet", "petId"),
    ]
    return ApiSpec(api_id=api_id, title=title, description="Pets for sale.", provider=api_id,
                   spec_path=f"{api_id}.json", content_hash="a" * 64, doc={"openapi": "3.0.0"}, endpoints=eps)


def weather_spec(api_id: str = "weather.test") -> ApiSpec:
    eps = [
        ep(api_id, "GET", "/forecast/{city}", "getForecast", "Get the weather forecast for a city", "city"),
        ep(api_id, "GET", "/alerts", "listAlerts", "List severe weather alerts"),
        ep(api_id, "PUT", "/stations/{stationId}", "updateStation", "Update a weather station", "stationId"),
    ]
    return ApiSpec(api_id=api_id, title="Weather Service", description="Forecasts and alerts.",
                   provider=api_id, spec_path=f"{api_id}.json", content_hash="b" * 64, doc={}, endpoints=eps)


def books_spec(api_id: str = "books.test") -> ApiSpec:
    eps = [
        ep(api_id, "GET", "/books", "searchBooks", "Search books by title or author"),
        ep(api_id, "POST", "/loans", "borrowBook", "Borrow a book from the library"),
    ]
    return ApiSpec(api_id=api_id, title="Library Books", description="A lending library.",
                   provider=api_id, spec_path=f"{api_id}.json", content_hash="c" * 64, doc={}, endpoints=eps)


@pytest.fixture(scope="session")
def embedder():
    from retrieval.embedder import load_embedder

    return load_embedder()
