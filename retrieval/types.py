"""The retrieval contract that generation, the service and evaluation code against.

``Searcher.search(query, k, api=None)`` returns a ``SearchResult``: ranked endpoint ``Hit``s (best
first) plus the examples (indexed instructions of the same API) that the API-Pack prompt needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ApiInfo:
    api_id: str
    title: str
    description: str
    provider: str
    endpoint_count: int


@dataclass(frozen=True, slots=True)
class Example:
    """One indexed instruction and the endpoint it belongs to (its output is rendered on demand)."""

    instruction: str
    endpoint_id: str
    score: float


@dataclass(slots=True)
class Hit:
    endpoint_id: str
    api_id: str
    method: str
    path: str
    operation_id: str | None
    summary: str
    score: float  # final score (reranker's when reranked, else fused)
    stage_scores: dict[str, float] = field(default_factory=dict)  # dense, lexical, fused, rerank


@dataclass(slots=True)
class SearchResult:
    query: str
    hits: list[Hit]
    api_id: str | None  # the API searched in (named or found)
    api_named: bool  # True when the caller restricted the search to an API
    api_confidence: float  # 0..1, how sure the API pick is (1.0 when named)
    examples: list[Example] = field(default_factory=list)  # best first, same API as hits[0]
    timings_ms: dict[str, float] = field(default_factory=dict)


class Retriever(Protocol):
    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult: ...


class Reranker(Protocol):
    def rerank(self, query: str, hits: list[Hit], k: int) -> list[Hit]: ...
