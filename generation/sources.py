"""What the backends are given instead of importing upper or sibling parts: a spec source (the
loaded index: ``spec(api_id)``, ``endpoint_spec(endpoint_id)``), a searcher and a renderer."""

from __future__ import annotations

from typing import Any, Protocol

from apipack.openapi.model import ApiSpec
from retrieval.types import SearchResult


class SpecSource(Protocol):
    def spec(self, api_id: str) -> ApiSpec:
        """The whole spec: to check a model's call against every route of the API."""
        ...

    def endpoint_spec(self, endpoint_id: str) -> ApiSpec:
        """The spec cut to one endpoint (``apipack.openapi.endpoint_slice``): to render it."""
        ...


class Searcher(Protocol):
    def search(self, query: str, k: int = 5, *, api: str | None = None) -> SearchResult: ...


class Renderer(Protocol):
    def __call__(self, spec: ApiSpec, method: str, path: str, target: str,
                 values: dict[str, Any] | None = None) -> str: ...


def default_renderer(spec: ApiSpec, method: str, path: str, target: str,
                     values: dict[str, Any] | None = None) -> str:
    """The dataset's renderer with the values filled in (``generation.render``)."""
    from generation.render import render_with_values

    return render_with_values(spec, method, path, target, values)
