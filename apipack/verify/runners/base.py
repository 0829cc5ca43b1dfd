"""The runner interface and the batch protocol every language's driver speaks.

A runner writes one source file per case, builds them once (compiled languages), and runs them
all in one process that takes the case ids on its command line and writes ``@@START <id>`` and
``@@END <id> ok|error <message>`` lines on stderr. ``run_batch`` watches those lines: a case that
does not end within its time limit is marked ``timeout``, the process is killed, and the batch
goes on from the next case in a fresh process. Snippet output (stdout) is discarded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

RunStatus = Literal["ok", "error", "timeout", "compile_error", "not_run"]


@dataclass(slots=True)
class CaseRun:
    status: RunStatus
    message: str = ""


@dataclass(slots=True)
class BuildResult:
    failed: dict[str, str] = field(default_factory=dict)  # case id -> compiler message
    error: str | None = None  # the whole build failed for a reason no case explains


class MissingToolchainError(RuntimeError):
    """Raised by ``Runner.check_toolchain`` with the package to install in the message."""


class Runner:
    """Base class: subclasses set the class attributes and write their sources and driver."""

    target: str = ""  # our short name, e.g. "python"
    tools: tuple[str, ...] = ()  # executables that must be on PATH
    install_hint: str = ""  # what to install when a tool is missing
    extension: str = ""

    def check_toolchain(self) -> None:
        missing = [t for t in self.tools if shutil.which(t) is None]
        if missing:
            raise MissingToolchainError(
                f"{self.target}: {', '.join(missing)} not found on PATH; install {self.install_hint}")

    def case_file(self, workdir: Path, case_id: str) -> Path:
        return workdir / f"{case_id}{self.extension}"

    def write_case(self, workdir: Path, case_id: str, code: str) -> None:
        self.case_file(workdir, case_id).write_text(code)

    def build(self, workdir: Path, case_ids: list[str]) -> BuildResult:
        return BuildResult()

    # interpreted languages: a driver program run as ``interpreter driver_file case files...``
    interpreter: tuple[str, ...] = ()
    driver_file: str = ""
    driver: str = ""

    def command(self, workdir: Path, case_ids: list[str]) -> list[str]:
        if not self.driver:
            raise NotImplementedError(f"{type(self).__name__} has no driver")
        (workdir / self.driver_file).write_text(self.driver)
        return [*self.interpreter, self.driver_file, *[self.case_file(workdir, c).name for c in case_ids]]


_MARK = re.compile(r"^@@(START|END) (\S+)(?: (ok|error)(?: (.*))?)?$")


def run_batch(runner: Runner, workdir: Path, case_ids: list[str], *, case_timeout_s: float = 10.0,
              env: dict[str, str] | None = None) -> dict[str, CaseRun]:
    """Run ``case_ids`` through the runner's driver, restarting after a case that hangs or crashes."""
    results: dict[str, CaseRun] = {}
    todo = list(case_ids)
    while todo:
        proc = subprocess.Popen(runner.command(workdir, todo), cwd=workdir, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, **(env or {})}, errors="replace")
        lines: list[str] = []
        reader = threading.Thread(target=_read_lines, args=(proc, lines), daemon=True)
        reader.start()
        current: str | None = None
        started_at = time.monotonic()
        seen = 0
        while True:
            while seen < len(lines):
                m = _MARK.match(lines[seen])
                seen += 1
                if not m:
                    continue
                kind, cid = m.group(1), m.group(2)
                if kind == "START":
                    current, started_at = cid, time.monotonic()
                elif cid in todo:
                    results[cid] = CaseRun(m.group(3) or "error", (m.group(4) or "")[:300])
                    current = None
            if proc.poll() is not None and not reader.is_alive():
                break
            if current is not None and time.monotonic() - started_at > case_timeout_s:
                proc.kill()
                results[current] = CaseRun("timeout", f"no answer within {case_timeout_s:g} s")
                break
            if current is None and time.monotonic() - started_at > case_timeout_s * 3:
                proc.kill()  # the driver itself hangs between cases
                break
            time.sleep(0.005)
        proc.wait()
        reader.join(timeout=1)
        stderr_tail = " ".join(line for line in lines[-5:] if not line.startswith("@@"))[:300]
        if current is not None and current not in results:
            results[current] = CaseRun("error", f"the process died in this case: {stderr_tail}")
        remaining = [c for c in todo if c not in results]
        if remaining and remaining == todo:
            # the driver made no progress at all: report every case rather than loop forever
            for cid in remaining:
                results[cid] = CaseRun("error", f"driver failed before the first case: {stderr_tail}")
            remaining = []
        todo = remaining
    return results


def _read_lines(proc: subprocess.Popen[str], sink: list[str]) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        sink.append(line.rstrip("\n"))
