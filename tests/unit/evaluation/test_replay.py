"""evaluation.replay: prompts collected per request, answers generated elsewhere replayed and judged
by the LLM backends' own parse and spec check."""

from __future__ import annotations

import json

import pytest

from apipack.errors import BackendResponseError, InvalidTestSetError
from apipack.openapi.endpoint_slice import endpoint_slice
from apipack.openapi.model import ApiSpec, Endpoint, Parameter
from evaluation.replay import PromptCollector, ReplayBackend, read_answers, request_key
from generation.sources import default_renderer
from generation.types import GenerationRequest
from retrieval.types import Example, Hit, SearchResult

EPS = [Endpoint("acme.io", "GET", "/pets/{petId}", "getPet", tags=("pets",),
                parameters=(Parameter("petId", "path", required=True),)),
       Endpoint("acme.io", "POST", "/pets", "addPet", tags=("pets",))]
RAW = {"openapi": "3.0.0", "info": {"title": "Acme", "version": "1"}, "servers": [{"url": "https://api.acme.io"}],
       "paths": {"/pets/{petId}": {"get": {"operationId": "getPet", "parameters": [
           {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}]}},
                 "/pets": {"post": {"operationId": "addPet"}}}}
SPEC = ApiSpec("acme.io", "Acme", "pets and their owners", "acme", "acme.io.json", "h", RAW, EPS)
IDS = {"acme.io:get-pet": EPS[0], "acme.io:add-pet": EPS[1]}


class Specs:
    """A SpecSource over one spec (the real one is the loaded index)."""

    def spec(self, api_id: str) -> ApiSpec:
        return SPEC

    def endpoint(self, endpoint_id: str) -> Endpoint:
        return IDS[endpoint_id]

    def endpoint_spec(self, endpoint_id: str) -> ApiSpec:
        return endpoint_slice(SPEC, IDS[endpoint_id])


class OneHitSearcher:
    """A Searcher that always finds getPet, with addPet's instruction as the one example."""

    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult:
        hit = Hit("acme.io:get-pet", "acme.io", "GET", "/pets/{petId}", "getPet", "get a pet", 1.0)
        return SearchResult(query, [hit], "acme.io", True, 1.0,
                            examples=[Example("add a pet to the store", "acme.io:add-pet", 0.9)])


def backend(cls: type, **kw: object):
    return cls(OneHitSearcher(), Specs(), default_renderer, **kw)


def request(top_k: int = 1) -> GenerationRequest:
    return GenerationRequest("fetch pet 7", language="python", api="acme.io", top_k=top_k)


def test_request_key_names_what_is_asked_not_the_prompt() -> None:
    assert request_key(request(1)) == request_key(request(1))
    assert request_key(request(0)) != request_key(request(1))
    assert request_key(GenerationRequest("fetch pet 8", "python", "acme.io", 1)) != request_key(request(1))


def test_collector_records_the_prompt_with_its_examples() -> None:
    collector = backend(PromptCollector)
    out = collector.generate(request(1))
    prompt = collector.prompts[request_key(request(1))]
    assert "Given the following examples" in prompt and "add a pet to the store" in prompt
    assert prompt.endswith("fetch pet 7\n**output**\n\n### ASSISTANT:\n")
    assert out.flagged and out.check is not None and out.check.status == "unparseable"


def test_replay_judges_the_generated_answer_and_refuses_a_missing_one() -> None:
    code = default_renderer(SPEC, "GET", "/pets/{petId}", "python_python3")
    answer = f"**domain**:['pets']\n**api_call**:{code}\n**api_provider**:acme"
    replay = backend(ReplayBackend, answers={request_key(request(1)): answer})
    out = replay.generate(request(1))
    assert not out.flagged and (out.method, out.path) == ("GET", "/pets/{petId}") and out.code == code.strip()
    with pytest.raises(BackendResponseError, match="no generated answer"):
        replay.generate(request(3))


def test_read_answers_filters_by_fields_and_names_bad_lines() -> None:
    lines = [json.dumps({"key": "a", "text": "x", "model": "base", "shots": 0}),
             json.dumps({"key": "a", "text": "y", "model": "tuned", "shots": 0}), ""]
    assert read_answers(lines, model="tuned") == {"a": "y"}
    assert read_answers(lines, model="base", shots=0) == {"a": "x"}
    with pytest.raises(InvalidTestSetError, match="line 2"):
        read_answers([lines[0], "{"])
    with pytest.raises(InvalidTestSetError, match="'key' and 'text'"):
        read_answers([json.dumps({"key": "a"})])
