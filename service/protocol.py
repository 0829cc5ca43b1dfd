"""Request and response models of the HTTP API (kept apart from the routes, as vLLM's server does)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors ------------------------------------------------------------------------------------
class ErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorEnvelope(BaseModel):
    error: ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the envelope under each status it can answer with."""
    text = {400: "Invalid value", 401: "Missing or invalid key", 403: "Admin key needed",
            404: "Not found", 413: "Body too large", 422: "Schema error", 429: "Rate limited",
            502: "LLM server failed", 503: "Index not ready", 504: "LLM server too slow"}
    return {s: {"model": ErrorEnvelope, "description": text.get(s, "Error")} for s in statuses}


# --- /generate ---------------------------------------------------------------------------------
class GenerateRequest(_Strict):
    instruction: str = Field(..., max_length=4000, description="What the call should do, in plain words.",
                             examples=["create a customer for jane@acme.io"])
    language: str = Field("python", max_length=64,
                          description="Short name (python, curl, ...) or target id (python_python3, ...).")
    api: str | None = Field(None, max_length=512, description="API id or its exact title; omitted: found by search.")
    backend: str | None = Field(None, max_length=64, description="grounded, openai or llamacpp; omitted: the default.")
    top_k: int | None = Field(None, ge=1, le=20, description="Retrieved examples used.")
    stream: bool = Field(False, description="Answer as server-sent events of the LLM output.")


class ApiRef(BaseModel):
    id: str
    name: str


class EndpointRef(BaseModel):
    method: str
    path: str
    operation_id: str | None = None
    summary: str | None = None


class FilledOut(BaseModel):
    name: str
    location: str
    value: Any = None
    source: str = ""


class ExampleOut(BaseModel):
    instruction: str
    endpoint_id: str
    score: float


class CheckOut(BaseModel):
    status: str
    ok: bool
    method: str | None = None
    url: str | None = None
    matched_path: str | None = None
    problems: list[str] = []


class GenerateResponse(BaseModel):
    status: Literal["ok", "no_match"]
    code: str
    language: str
    target: str
    api: ApiRef | None = None
    endpoint: EndpointRef | None = None
    filled: list[FilledOut] = []
    examples: list[ExampleOut] = []
    check: CheckOut | None = None
    model_code: str | None = None
    flagged: bool = False
    backend: str
    cached: bool
    index_version: str
    timings_ms: dict[str, float] = {}


# --- /search -----------------------------------------------------------------------------------
class SearchRequest(_Strict):
    query: str = Field(..., max_length=4000)
    api: str | None = Field(None, max_length=512)
    k: int = Field(5, ge=1, le=50)


class HitOut(BaseModel):
    endpoint_id: str
    api_id: str
    method: str
    path: str
    operation_id: str | None = None
    summary: str = ""
    score: float
    stage_scores: dict[str, float] = {}


class SearchResponse(BaseModel):
    query: str
    api: ApiRef | None = None
    api_named: bool
    api_confidence: float
    hits: list[HitOut]
    examples: list[ExampleOut]
    index_version: str
    timings_ms: dict[str, float] = {}


# --- /apis, /languages -------------------------------------------------------------------------
class ApiSummary(BaseModel):
    id: str
    name: str
    description: str = ""
    provider: str = ""
    endpoint_count: int


class ApiList(BaseModel):
    data: list[ApiSummary]
    total: int
    index_version: str


class ApiEndpoint(EndpointRef):
    endpoint_id: str


class ApiDetail(ApiSummary):
    endpoints: list[ApiEndpoint]
    index_version: str


class Language(BaseModel):
    short: str
    target_id: str
    lang: str


class LanguageList(BaseModel):
    data: list[Language]


# --- jobs --------------------------------------------------------------------------------------
JobState = Literal["queued", "running", "succeeded", "failed"]


class JobOut(BaseModel):
    id: str
    kind: Literal["add_api", "remove_api"]
    state: JobState
    progress: float = Field(0.0, ge=0, le=1)
    stage: str = ""
    api_id: str | None = None
    index_version: str | None = None  # the version the job published
    created_at: float
    finished_at: float | None = None
    error: ErrorBody | None = None


# --- health ------------------------------------------------------------------------------------
class Health(BaseModel):
    status: Literal["ok"]
    pid: int = Field(description="the answering worker process (several share the port)")


class Ready(BaseModel):
    status: Literal["ready", "degraded", "not_ready"]
    index_loaded: bool
    index_version: str | None = None
    backends: dict[str, str] = {}
    redis: Literal["up", "down", "unset"]
    detail: list[str] = []
