"""The one exception hierarchy of apipack.

Every error a user can cause or meet derives from ``ApipackError`` and declares the HTTP status
and a stable ``type`` string; the service maps them once (``service/errors.py``) into OpenAI's
error envelope and the CLI prints them once as a one-line message with exit code 2.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ApipackError(Exception):
    """Base class. ``status`` is the HTTP status, ``type`` a stable machine-readable name."""

    status: ClassVar[int] = 500
    type: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param,
                          "code": self.code}}


# --- input that is not acceptable -------------------------------------------------------------
class InvalidRequestError(ApipackError):
    status = 400
    type = "invalid_request_error"


class UnknownLanguageError(InvalidRequestError):
    type = "unknown_language"


class EmptyQueryError(InvalidRequestError):
    type = "empty_query"


class SpecError(ApipackError):
    """A spec that cannot be used: names the spec and the reason."""

    status = 422
    type = "invalid_spec"


class SpecParseError(SpecError):
    type = "spec_not_parseable"


class NotOpenAPIError(SpecError):
    type = "not_openapi"


class NoPathsError(SpecError):
    type = "spec_without_paths"


class RefError(SpecError):
    type = "unresolvable_ref"


class SpecTooLargeError(SpecError):
    status = 413
    type = "spec_too_large"


class PayloadTooLargeError(ApipackError):
    status = 413
    type = "payload_too_large"


class NotFoundError(ApipackError):
    status = 404
    type = "not_found"


class UnknownApiError(NotFoundError):
    type = "unknown_api"


class UnknownEndpointError(NotFoundError):
    """A method and path the spec does not declare."""

    type = "unknown_endpoint"


# --- keys and limits ----------------------------------------------------------------------------
class AuthenticationError(ApipackError):
    status = 401
    type = "authentication_error"


class PermissionDeniedError(ApipackError):
    status = 403
    type = "permission_denied"


class RateLimitError(ApipackError):
    status = 429
    type = "rate_limit_exceeded"

    def __init__(self, message: str, *, retry_after: float = 1.0, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


# --- the index ---------------------------------------------------------------------------------
class IndexError_(ApipackError):
    """Named with a trailing underscore so it never shadows the builtin ``IndexError``."""

    status = 503
    type = "index_error"


class IndexNotReadyError(IndexError_):
    type = "index_not_ready"


class IndexCorruptError(IndexError_):
    type = "index_corrupt"


class IndexMismatchError(IndexError_):
    """Manifest from another schema version or embedding model."""

    type = "index_mismatch"


class IndexBuildError(ApipackError):
    """A build or update that cannot proceed (no endpoints, duplicate API ids, model mismatch)."""

    status = 422
    type = "index_build_failed"


# --- the LLM server ----------------------------------------------------------------------------
class BackendError(ApipackError):
    status = 502
    type = "backend_error"


class BackendUnavailableError(BackendError):
    type = "backend_unavailable"


class BackendTimeoutError(BackendError):
    status = 504
    type = "backend_timeout"


class BackendResponseError(BackendError):
    type = "backend_bad_response"


# --- dataset files -----------------------------------------------------------------------------
class DatasetFileError(ApipackError):
    """A record file (ours or API Pack's released one) that cannot be read."""

    status = 422
    type = "invalid_dataset_file"


# --- snippet rendering -------------------------------------------------------------------------
class SnippetRenderError(ApipackError):
    """A HAR request the renderer cannot turn into code (httpsnippet itself throws on it)."""

    status = 422
    type = "snippet_render_error"


# --- configuration -----------------------------------------------------------------------------
class ConfigError(ApipackError):
    status = 500
    type = "configuration_error"


# --- training ----------------------------------------------------------------------------------
class TrainingError(ApipackError):
    """A training set or fine-tuning run that cannot go on (bad config, no records, diverged loss)."""

    status = 500
    type = "training_error"


def all_error_classes() -> list[type[ApipackError]]:
    """Every class of the hierarchy (used by the test that each declares a status)."""
    seen: list[type[ApipackError]] = []
    todo: list[type[ApipackError]] = [ApipackError]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return seen


# --- evaluation --------------------------------------------------------------------------------
class InvalidTestSetError(InvalidRequestError):
    """A test-set file (levels, API Pack JSON, portal JSONL) that cannot be read as one."""

    type = "invalid_test_set"


class EvaluationAbortedError(BackendError):
    """The backend failed too many evaluation cases in a row."""

    type = "evaluation_aborted"
