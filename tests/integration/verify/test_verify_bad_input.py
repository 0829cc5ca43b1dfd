"""A snippet that hangs, a toolchain that is missing, a server that never answers: each is reported
for its own cases and the run goes on."""

from __future__ import annotations

import pytest

from apipack.openapi.model import ApiSpec, Endpoint
from apipack.verify.cases import Case
from apipack.verify.echo import EchoServer
from apipack.verify.harness import render_case, verify
from apipack.verify.runners import RUNNERS
from apipack.verify.runners.python import PythonRunner

pytestmark = [pytest.mark.integration]


def test_a_hanging_snippet_times_out_and_the_batch_goes_on(sample_pairs: list[tuple[ApiSpec, Endpoint]]) -> None:
    pairs = sample_pairs[:3]

    def hang_second(har: dict, target: str, corrected: bool, case: Case) -> str:
        if case.endpoint is pairs[1][1]:
            return "import time\ntime.sleep(600)\n"
        return render_case(har, target, corrected, case)

    report = verify(pairs, targets=["python"], render=hang_second,
                    renderings=["corrected"], case_timeout_s=2)
    runs = [r.run for r in report.results]
    assert runs == ["ok", "timeout", "ok"]
    assert [r.sent_expected for r in report.results] == [True, False, True]


def test_a_missing_toolchain_names_the_package_to_install(sample_pairs: list[tuple[ApiSpec, Endpoint]]) -> None:
    class NoCompiler(PythonRunner):
        tools = ("apipack-no-such-interpreter",)
        install_hint = "Debian package apipack-interpreter"

    report = verify(sample_pairs[:2], targets=["python", "curl"],
                    renderings=["corrected"], runners={**RUNNERS, "python": NoCompiler})
    python, curl = report.summaries
    assert python.not_run_reason and "apipack-no-such-interpreter" in python.not_run_reason
    assert "Debian package apipack-interpreter" in python.not_run_reason
    assert {r.run for r in report.results if r.target == "python"} == {"not_run"}
    assert curl.sent_expected == 2  # the other target still ran


def test_a_server_that_never_answers_is_reported_per_case(sample_pairs: list[tuple[ApiSpec, Endpoint]]) -> None:
    with EchoServer(stalled=frozenset({"c00000"})) as echo:
        report = verify(sample_pairs[:2], targets=["python"], 
                        renderings=["corrected"], case_timeout_s=2, echo=echo)
    first, second = report.results
    assert first.run == "timeout"
    assert second.run == "ok" and second.sent_expected
