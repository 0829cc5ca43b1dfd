"""What the LLM backends share: the API-Pack prompt from retrieved examples, the parse of the
answer, the spec check, and the flagged grounded fallback. A subclass supplies ``complete`` (and
``complete_stream``) for its model; everything else is here.

Flow of ``generate``: search -> grounded answer (kept as the fallback) -> prompt with up to
``top_k`` examples of the same API (best last) -> model -> ``**api_call**:`` -> check. A valid
call is returned as the answer; an invalid or unparseable one returns the grounded call with
``flagged=True``, the model's call in ``model_code`` and the failed check. Server errors
(``BackendError``) are raised, or, with ``fallback_on_error``, also answered by the flagged
grounded call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import replace

from apipack.dataset.records import format_output
from apipack.errors import ApipackError, BackendError
from apipack.snippets.targets_table import TargetInfo, resolve_target
from generation.answer import parse_api_call
from generation.backends.grounded import GroundedBackend, _ms
from generation.check import check_code
from generation.prompt import PromptExample, Tokenizer, build_prompt
from generation.sources import Renderer, Searcher, SpecSource
from generation.types import CheckResult, Generation, GenerationRequest
from retrieval.types import SearchResult

log = logging.getLogger(__name__)


class LLMBackend:
    name = "llm"

    def __init__(self, searcher: Searcher, specs: SpecSource, renderer: Renderer | None = None, *,
                 tokenizer: Tokenizer | None = None, fallback_on_error: bool = False,
                 min_score: float | None = None, min_api_confidence: float = 0.0) -> None:
        self.grounded = GroundedBackend(searcher, specs, renderer, min_score=min_score,
                                        min_api_confidence=min_api_confidence)
        self.specs = specs
        self.tokenizer = tokenizer
        self.fallback_on_error = fallback_on_error

    # -- for subclasses ------------------------------------------------------------------------------
    def complete(self, prompt: str, *, language: str) -> str:
        """The model's answer to ``prompt``; raises ``BackendError`` subclasses."""
        raise NotImplementedError

    def complete_stream(self, prompt: str, *, language: str) -> Iterator[str]:
        yield self.complete(prompt, language=language)

    # -- the prompt ----------------------------------------------------------------------------------
    def examples_for(self, result: SearchResult, target: TargetInfo, k: int) -> list[PromptExample]:
        """Up to ``k`` retrieved examples (best first), each output rendered in ``target``."""
        out: list[PromptExample] = []
        for example in result.examples[:k]:
            spec = self.specs.endpoint_spec(example.endpoint_id)
            endpoint = spec.endpoints[0]
            code = self.grounded.renderer(spec, endpoint.method, endpoint.path, target.target_id)
            out.append(PromptExample(example.instruction,
                                     format_output(list(endpoint.tags), code, spec.provider, target.lang)))
        return out

    def prompt_for(self, request: GenerationRequest, result: SearchResult, target: TargetInfo) -> str:
        spec = self.specs.spec(result.hits[0].api_id)
        return build_prompt(api_description=spec.description, lang_label=target.lang,
                            request=request.instruction,
                            examples=self.examples_for(result, target, request.top_k),
                            tokenizer=self.tokenizer)

    # -- judging the answer --------------------------------------------------------------------------
    def judge(self, answer: str, fallback: Generation, target: TargetInfo) -> Generation:
        call = parse_api_call(answer)
        if call is None:
            check = CheckResult("unparseable", problems=["the answer has no **api_call**: part"])
            return replace(fallback, backend=self.name, flagged=True, model_code=answer, check=check)
        spec = self.specs.spec(fallback.api_id or "")
        check = check_code(call, target.short, spec)
        if not check.ok:
            return replace(fallback, backend=self.name, flagged=True, model_code=call, check=check)
        endpoint = spec.endpoint(check.method or "", check.matched_path or "")
        same = endpoint is not None and (endpoint.method, endpoint.path) == (fallback.method, fallback.path)
        return replace(fallback, code=call, backend=self.name, check=check, model_code=None,
                       method=check.method, path=check.matched_path,
                       operation_id=endpoint.operation_id if endpoint else None,
                       summary=endpoint.summary if endpoint else None,
                       filled=fallback.filled if same else [])

    def _failed(self, fallback: Generation, exc: ApipackError) -> Generation:
        log.warning("%s backend failed (%s); answering with the grounded call", self.name, exc.type)
        check = CheckResult("not_checked", problems=[f"{exc.type}: {exc.message}"])
        return replace(fallback, backend=self.name, flagged=True, check=check)

    # -- the backend interface -----------------------------------------------------------------------
    def _prepare(self, request: GenerationRequest) -> tuple[TargetInfo, Generation, str | None, float]:
        target = resolve_target(request.language)
        t0 = time.perf_counter()
        result = self.grounded.search(request)
        fallback = self.grounded.answer(request, result, target)
        fallback.timings_ms["search"] = _ms(t0)
        if fallback.status == "no_match":
            return target, replace(fallback, backend=self.name), None, t0
        return target, fallback, self.prompt_for(request, result, target), t0

    def generate(self, request: GenerationRequest) -> Generation:
        target, fallback, prompt, t0 = self._prepare(request)
        if prompt is None:
            return fallback
        t1 = time.perf_counter()
        try:
            answer = self.complete(prompt, language=target.short)
        except BackendError as exc:
            if not self.fallback_on_error:
                raise
            return self._failed(fallback, exc)
        out = self.judge(answer, fallback, target)
        out.timings_ms = {**fallback.timings_ms, "llm": _ms(t1), "total": _ms(t0)}
        return out

    def stream(self, request: GenerationRequest) -> Iterator[str | Generation]:
        """The model's text as it comes, then the final, checked ``Generation``."""
        target, fallback, prompt, t0 = self._prepare(request)
        if prompt is None:
            yield fallback
            return
        pieces: list[str] = []
        try:
            for chunk in self.complete_stream(prompt, language=target.short):
                pieces.append(chunk)
                yield chunk
        except BackendError as exc:
            if not self.fallback_on_error:
                raise
            yield self._failed(fallback, exc)
            return
        out = self.judge("".join(pieces), fallback, target)
        out.timings_ms = {**fallback.timings_ms, "total": _ms(t0)}
        yield out
