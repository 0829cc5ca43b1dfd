"""The ``grounded`` backend (the default): render the top retrieved endpoint in the requested
language, with the values the instruction names filled in. Valid by construction; no model."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from apipack.errors import EmptyQueryError
from apipack.snippets.targets_table import TargetInfo, resolve_target
from generation.check import check_code
from generation.sources import Renderer, Searcher, SpecSource, default_renderer
from generation.types import Generation, GenerationRequest
from generation.values import fill_values
from retrieval.types import SearchResult


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)


class GroundedBackend:
    """``searcher`` ranks endpoints, ``specs`` (the loaded index) gives their specs, ``renderer``
    turns one into code. A result is "no credible match" when there is no hit, or, for an API
    that the caller did not name, when the API pick's confidence or the top score falls under the
    given floors."""

    name = "grounded"

    def __init__(self, searcher: Searcher, specs: SpecSource, renderer: Renderer | None = None, *,
                 min_score: float | None = None, min_api_confidence: float = 0.0,
                 check_answers: bool = True) -> None:
        self.searcher = searcher
        self.specs = specs
        self.renderer: Renderer = renderer or default_renderer
        self.min_score = min_score
        self.min_api_confidence = min_api_confidence
        self.check_answers = check_answers

    # -- the two halves, reused by the LLM backends ---------------------------------------------
    def search(self, request: GenerationRequest) -> SearchResult:
        if not request.instruction or not request.instruction.strip():
            raise EmptyQueryError("the instruction is empty; say what the call should do", param="instruction")
        return self.searcher.search(request.instruction, max(request.top_k, 1), api=request.api)

    def credible(self, result: SearchResult) -> bool:
        if not result.hits:
            return False
        if result.api_named:
            return True
        if result.api_confidence < self.min_api_confidence:
            return False
        return self.min_score is None or result.hits[0].score >= self.min_score

    def answer(self, request: GenerationRequest, result: SearchResult, target: TargetInfo) -> Generation:
        timings = dict(result.timings_ms)
        examples = [{"instruction": e.instruction, "endpoint_id": e.endpoint_id, "score": e.score}
                    for e in result.examples]
        if not self.credible(result):
            return Generation(status="no_match", code="", language=target.short, api_id=result.api_id,
                              api_title=None, method=None, path=None, operation_id=None, summary=None,
                              backend=self.name, examples=examples, timings_ms=timings)
        hit = result.hits[0]
        t0 = time.perf_counter()
        # the endpoint's cut, not the whole spec: the check of a call rendered from the spec then
        # confirms it against its own endpoint (method, host, path, required parameters and body)
        spec = self.specs.endpoint_spec(hit.endpoint_id)
        timings["spec"] = _ms(t0)
        endpoint = spec.endpoints[0]
        t0 = time.perf_counter()
        filled = fill_values(request.instruction, endpoint)
        timings["values"] = _ms(t0)
        values: dict[str, Any] = {f.name: f.value for f in filled}
        t0 = time.perf_counter()
        code = self.renderer(spec, hit.method, hit.path, target.target_id, values=values or None)
        timings["render"] = _ms(t0)
        check = None
        if self.check_answers:
            t0 = time.perf_counter()
            check = check_code(code, target.short, spec)
            timings["check"] = _ms(t0)
        return Generation(status="ok", code=code, language=target.short, api_id=spec.api_id,
                          api_title=spec.title, method=hit.method, path=hit.path,
                          operation_id=hit.operation_id, summary=hit.summary, backend=self.name,
                          filled=filled, examples=examples, check=check, timings_ms=timings)

    # -- the backend interface -------------------------------------------------------------------
    def generate(self, request: GenerationRequest) -> Generation:
        target = resolve_target(request.language)
        t0 = time.perf_counter()
        result = self.search(request)
        search_ms = _ms(t0)
        generation = self.answer(request, result, target)
        generation.timings_ms.setdefault("search", search_ms)
        generation.timings_ms["total"] = _ms(t0)
        return generation

    def stream(self, request: GenerationRequest) -> Iterator[str | Generation]:
        """Text chunks, then the final ``Generation`` (here: the whole call as one chunk)."""
        generation = self.generate(request)
        if generation.code:
            yield generation.code
        yield generation
