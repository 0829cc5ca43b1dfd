"""The generation contract that the service and evaluation code against.

A backend is chosen by name from ``generation.backends.BACKENDS`` and implements
``GenerationBackend.generate(GenerationRequest) -> Generation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

CheckStatus = Literal["valid", "wrong_method", "unknown_endpoint", "missing_required_parameter",
                      "unparseable", "not_checked"]


@dataclass(slots=True)
class GenerationRequest:
    instruction: str
    language: str = "python"  # short name or target id; resolved with resolve_target
    api: str | None = None  # API id or exact info.title
    top_k: int = 3  # retrieved examples in the prompt
    backend: str | None = None  # None: the configured default
    stream: bool = False


@dataclass(slots=True)
class FilledValue:
    name: str  # parameter or body property name
    location: str  # path | query | header | body
    value: Any
    source: str  # the span of the instruction it came from


@dataclass(slots=True)
class CheckResult:
    status: CheckStatus
    method: str | None = None
    url: str | None = None
    matched_path: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "valid"


@dataclass(slots=True)
class Generation:
    status: Literal["ok", "no_match"]
    code: str  # the call shown to the user ("" when no_match)
    language: str  # short name
    api_id: str | None
    api_title: str | None
    method: str | None
    path: str | None
    operation_id: str | None
    summary: str | None
    backend: str
    filled: list[FilledValue] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)  # {instruction, endpoint_id, score}
    check: CheckResult | None = None
    model_code: str | None = None  # the LLM's own call when its check failed (code is then grounded)
    flagged: bool = False  # True when the LLM answer failed the check and the grounded call is shown
    timings_ms: dict[str, float] = field(default_factory=dict)


class GenerationBackend(Protocol):
    name: str

    def generate(self, request: GenerationRequest) -> Generation: ...
