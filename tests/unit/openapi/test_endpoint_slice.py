"""endpoint_slice: a one-endpoint cut keeps what a request is built from and what it references,
transitively, and leaves out other operations, responses and the rest of the document."""

from __future__ import annotations

from apipack.openapi.endpoint_slice import endpoint_slice
from apipack.openapi.model import ApiSpec, Endpoint

DOC = {
    "openapi": "3.0.0",
    "info": {"title": "Zoo", "description": "a long description " * 100},
    "servers": [{"url": "https://zoo.test/v1"}],
    "security": [{"key": []}],
    "tags": [{"name": "animals"}],
    "x-webhooks": {"born": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Born"}}}},
    "paths": {
        "/animals/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {"operationId": "getAnimal", "responses": {"200": {"$ref": "#/components/responses/Animal"}}},
            "patch": {"operationId": "editAnimal",
                      "requestBody": {"content": {"application/json": {
                          "schema": {"$ref": "#/components/schemas/Animal/properties/diet"}}}},
                      "parameters": [{"$ref": "#/paths/~1keepers/get/parameters/0"}],
                      "responses": {"200": {"$ref": "#/components/responses/Animal"}}},
        },
        "/keepers": {"get": {"parameters": [{"name": "shift", "in": "query", "schema": {"type": "string"}}]},
                     "delete": {"parameters": [{"$ref": "#/paths/~1keepers/get/parameters/0"}]}},
    },
    "components": {
        "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"$ref": "#/components/schemas/Id"}}},
        "schemas": {
            "Id": {"type": "string"},
            "Animal": {"type": "object", "properties": {"diet": {"$ref": "#/components/schemas/Diet"}}},
            "Diet": {"type": "object", "properties": {"food": {"$ref": "#/components/schemas/Food%20Kind"}}},
            "Food Kind": {"type": "string"},
            "Unused": {"type": "integer"},
        },
        "responses": {"Animal": {"description": "ok"}},
        "requestBodies": {"Born": {"content": {}}},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    },
}


def _spec() -> ApiSpec:
    eps = [Endpoint("zoo.test", "GET", "/animals/{id}"), Endpoint("zoo.test", "PATCH", "/animals/{id}"),
           Endpoint("zoo.test", "GET", "/keepers"), Endpoint("zoo.test", "DELETE", "/keepers")]
    return ApiSpec("zoo.test", "Zoo", DOC["info"]["description"], "zoo", "zoo.json", "h", DOC, eps)


def test_read_only_endpoint_keeps_its_parameters_and_drops_responses():
    spec = _spec()
    cut = endpoint_slice(spec, spec.endpoints[0])
    assert cut.endpoints == [spec.endpoints[0]]
    assert (cut.api_id, cut.title, cut.provider, cut.description) == ("zoo.test", "Zoo", "zoo", "")
    item = cut.doc["paths"]["/animals/{id}"]
    assert set(item) == {"parameters", "get"}  # the PATCH is not there
    assert item["get"] == {}  # operationId and responses are not needed to build a request
    comps = cut.doc["components"]
    assert set(comps) == {"parameters", "schemas", "securitySchemes"}
    assert set(comps["schemas"]) == {"Id"}  # reached through the path-level parameter
    assert cut.doc["servers"] == DOC["servers"] and cut.doc["security"] == DOC["security"]
    assert "info" not in cut.doc and "tags" not in cut.doc and "x-webhooks" not in cut.doc


def test_references_are_followed_transitively_in_every_spelling():
    spec = _spec()
    cut = endpoint_slice(spec, spec.endpoints[1])
    schemas = cut.doc["components"]["schemas"]
    # a pointer into Animal copies Animal whole; Diet, then the percent-encoded "Food Kind"
    assert set(schemas) == {"Id", "Animal", "Diet", "Food Kind"}
    # a reference into another path ("~1" for "/") brings that path item along
    assert cut.doc["paths"]["/keepers"] == DOC["paths"]["/keepers"]
    assert cut.doc["paths"]["/animals/{id}"]["patch"]["requestBody"] == DOC["paths"]["/animals/{id}"]["patch"]["requestBody"]


def test_a_reference_into_another_operation_of_the_same_path_brings_the_whole_path_item():
    spec = _spec()
    cut = endpoint_slice(spec, spec.endpoints[3])
    assert cut.doc["paths"]["/keepers"] is DOC["paths"]["/keepers"]


def test_the_document_is_left_as_it_was():
    spec = _spec()
    before = repr(DOC)
    for ep in spec.endpoints:
        endpoint_slice(spec, ep)
    assert repr(DOC) == before
