"""Every snippet runs: the sample's endpoints in every runnable target, compat and corrected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apipack.openapi.model import ApiSpec, Endpoint
from apipack.snippets.targets_table import TARGETS
from apipack.verify.harness import VerifyReport, verify
from apipack.verify.report import markdown_table
from apipack.verify.runners import STATIC_TARGETS

pytestmark = [pytest.mark.heavy, pytest.mark.integration]
REPORT = Path(__file__).resolve().parents[3] / ".cache" / "verify-sample.json"


@pytest.fixture(scope="module")
def report(sample_pairs: list[tuple[ApiSpec, Endpoint]]) -> VerifyReport:
    result = verify(sample_pairs, targets=list(TARGETS))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(result.as_dict(), indent=1))
    print("\n" + markdown_table(result.summaries))
    return result


def test_the_sample_is_large_and_varied(sample_pairs: list[tuple[ApiSpec, Endpoint]]) -> None:
    assert len(sample_pairs) >= 300
    assert len({spec.api_id for spec, _ in sample_pairs}) >= 30


@pytest.mark.parametrize("target", [t for t in TARGETS if t not in STATIC_TARGETS])
def test_corrected_rendering_runs_and_sends_the_expected_request(report: VerifyReport, target: str) -> None:
    summary = next(s for s in report.summaries if s.target == target and s.rendering == "corrected")
    failures = [r for r in report.results if r.target == target and r.rendering == "corrected"
                and not (r.sent_expected and r.run == "ok")]
    assert summary.not_run_reason is None, summary.not_run_reason
    assert not failures, [(f.api_id, f.method, f.path, f.run, f.details, f.message) for f in failures[:5]]


def test_swift_is_checked_statically_and_says_so(report: VerifyReport) -> None:
    summary = next(s for s in report.summaries if s.target == "swift" and s.rendering == "corrected")
    assert summary.not_run_reason and "toolchain" in summary.not_run_reason
    assert summary.sent_expected == summary.cases


def test_compat_defects_are_found_and_classified(report: VerifyReport) -> None:
    compat = [s for s in report.summaries if s.rendering == "compat"]
    found = {kind for s in compat for kind in s.classes}
    # openapi-snippet leaves path parameters as '{name}' and doubles the slash after a server URL
    # ending in '/': both occur in the sample and must be seen by the harness
    assert "path_param_unfilled" in found
    assert all(s.cases == compat[0].cases for s in compat)
