"""The spec check: read method, URL, query and body keys out of generated code (one extractor per
target family) and match them against the API's endpoints.

``check_code(code, language, spec) -> CheckResult`` with status ``valid``, ``wrong_method``,
``unknown_endpoint``, ``missing_required_parameter`` or ``unparseable``.
"""

from __future__ import annotations

from apipack.openapi.model import ApiSpec
from apipack.snippets.targets_table import resolve_target
from generation.check.call import ExtractedCall
from generation.check.extractors import EXTRACTORS
from generation.check.match import match_call
from generation.types import CheckResult

__all__ = ["ExtractedCall", "check_code", "extract_call"]


def extract_call(code: str, language: str) -> ExtractedCall:
    """Method, URL, query keys and body keys of ``code`` written for ``language`` (any target name)."""
    return EXTRACTORS[resolve_target(language).short](code)


def check_code(code: str, language: str, spec: ApiSpec) -> CheckResult:
    """Check ``code`` (one call in ``language``) against the endpoints of ``spec``."""
    if not code or not code.strip():
        return CheckResult("unparseable", problems=["the answer holds no code"])
    return match_call(extract_call(code, language), spec)
