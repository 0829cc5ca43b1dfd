"""What one process serves: the loaded index version with its searcher and backends, swapped atomically.

A ``Runtime`` bundles everything built from one index version. Requests take the current runtime
once, at their start, and keep it to the end, so switching to a new version (``RuntimeHolder.swap``)
never drops or mixes a request: in-flight requests finish on the old one, new requests get the new.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apipack.errors import IndexNotReadyError, InvalidRequestError, UnknownApiError
from generation.types import GenerationBackend
from retrieval.types import ApiInfo, Retriever


@dataclass
class Runtime:
    version: str
    index: Any  # retrieval's LoadedIndex: .version, .apis, .resolve_api, .endpoint_table, .spec
    searcher: Retriever
    backends: Mapping[str, GenerationBackend]
    default_backend: str
    loaded_at: float = field(default_factory=time.time)

    def backend(self, name: str | None) -> tuple[str, GenerationBackend]:
        chosen = name or self.default_backend
        backend = self.backends.get(chosen)
        if backend is None:
            raise InvalidRequestError(
                f"unknown or unconfigured backend {chosen!r}; available: {', '.join(sorted(self.backends))}",
                param="backend")
        return chosen, backend

    def api_infos(self) -> list[ApiInfo]:
        apis = self.index.apis
        return list(apis.values()) if isinstance(apis, Mapping) else list(apis)

    def resolve_api(self, name: str) -> ApiInfo:
        found = self.index.resolve_api(name)
        if found is None:
            raise UnknownApiError(
                f"unknown API {name!r}; give an API id or its exact title (GET /apis lists them)", param="api")
        if isinstance(found, str):  # an id: look its info up
            found = _info_by_id(self, found)
        return found

    def endpoint_table(self, api_id: str) -> list[dict[str, Any]]:
        return list(self.index.endpoint_table(api_id))

    def endpoint_count(self) -> int:
        return sum(a.endpoint_count for a in self.api_infos())


def _info_by_id(runtime: Runtime, api_id: str) -> ApiInfo:
    for info in runtime.api_infos():
        if info.api_id == api_id:
            return info
    raise UnknownApiError(f"unknown API {api_id!r}; GET /apis lists them", param="api")


# Builds the runtime for the version the index folder currently points at (None: no index yet).
RuntimeFactory = Callable[[Path], "Runtime | None"]


class RuntimeHolder:
    def __init__(self) -> None:
        self._runtime: Runtime | None = None
        self.last_error: str | None = None

    @property
    def runtime(self) -> Runtime | None:
        return self._runtime

    def require(self) -> Runtime:
        runtime = self._runtime
        if runtime is None:
            detail = f" ({self.last_error})" if self.last_error else ""
            raise IndexNotReadyError(
                f"no index loaded yet{detail}; build one with 'apipack index build' or wait for it to load")
        return runtime

    def swap(self, runtime: Runtime) -> Runtime | None:
        # A single reference assignment: atomic for every request that reads it afterwards.
        old, self._runtime = self._runtime, runtime
        return old
