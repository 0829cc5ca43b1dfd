"""Shared build step of the compiled languages: compile all cases at once, drop the ones the
compiler names, and compile again, so one broken snippet costs its own case and not the batch."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from apipack.verify.runners.base import BuildResult

MAX_ROUNDS = 4


def build_dropping_failures(compile_cmd: Callable[[list[str]], list[str]], workdir: Path,
                            case_ids: list[str], file_of_error: re.Pattern[str],
                            prepare: Callable[[list[str]], None], timeout_s: float = 600,
                            env: dict[str, str] | None = None) -> BuildResult:
    """``prepare(ids)`` writes the driver for ``ids``; ``compile_cmd(ids)`` compiles them.

    ``file_of_error`` must capture the case id (group 1) from a compiler error line.
    """
    result = BuildResult()
    alive = list(case_ids)
    for _ in range(MAX_ROUNDS):
        if not alive:
            return result
        prepare(alive)
        try:
            proc = subprocess.run(compile_cmd(alive), cwd=workdir, capture_output=True, text=True,
                                  timeout=timeout_s, env=env, errors="replace")
        except subprocess.TimeoutExpired:
            result.error = f"the compiler took over {timeout_s:g} s"
            result.failed.update({cid: result.error for cid in alive})
            return result
        if proc.returncode == 0:
            return result
        output = proc.stdout + proc.stderr
        blamed: dict[str, str] = {}
        for line in output.splitlines():
            m = file_of_error.search(line)
            if m and m.group(1) in alive and m.group(1) not in blamed:
                blamed[m.group(1)] = line.strip()[:300]
        if not blamed:
            result.error = output.strip()[-500:]
            for cid in alive:
                result.failed[cid] = f"build failed: {result.error[-200:]}"
            return result
        result.failed.update(blamed)
        alive = [c for c in alive if c not in blamed]
    for cid in alive:
        result.failed[cid] = "build still failing after dropping the cases the compiler named"
    return result
