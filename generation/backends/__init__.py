"""The generation backends, chosen by name: ``BACKENDS[name](searcher, specs, renderer, **options)``.

Adding a backend touches one new module and one line here. ``llamacpp`` imports llama-cpp-python
only when its model is first used, so listing it costs nothing.
"""

from __future__ import annotations

from typing import Any

from apipack.errors import ConfigError
from generation.backends.grounded import GroundedBackend
from generation.backends.llamacpp import LlamaCppBackend
from generation.backends.llm import LLMBackend
from generation.backends.openai import OpenAIBackend
from generation.sources import Renderer, Searcher, SpecSource

BACKENDS: dict[str, type[GroundedBackend] | type[LLMBackend]] = {
    "grounded": GroundedBackend,
    "openai": OpenAIBackend,
    "llamacpp": LlamaCppBackend,
}


def create_backend(name: str, searcher: Searcher, specs: SpecSource, renderer: Renderer | None = None,
                   **options: Any) -> GroundedBackend | LLMBackend:
    """The backend ``name`` with its collaborators and options (see each class)."""
    cls = BACKENDS.get(name)
    if cls is None:
        raise ConfigError(f"unknown backend {name!r}; use one of: {', '.join(BACKENDS)}", param="backend")
    return cls(searcher, specs, renderer, **options)


__all__ = ["BACKENDS", "GroundedBackend", "LLMBackend", "LlamaCppBackend", "OpenAIBackend", "create_backend"]
