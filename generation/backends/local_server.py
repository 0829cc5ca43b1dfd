"""A local OpenAI-compatible server (llama.cpp's, vLLM on the CPU) started on a free loopback port,
health-polled on ``/v1/models`` against a deadline, and killed with its child processes on exit.
Tests, benches and the fine-tuning checks use it; production runs its servers its own way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from apipack.errors import BackendUnavailableError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_openai_server(command: Callable[[int], list[str]], log_path: Path, *, name: str, deadline_s: float,
                        env: dict[str, str] | None = None, poll_s: float = 0.5) -> Iterator[str]:
    """Runs ``command(port)``; yields ``http://127.0.0.1:PORT`` once ``/v1/models`` answers 200.

    Raises ``BackendUnavailableError`` with the end of the server's log when it exits or is not
    ready in time.
    """
    port = free_port()
    with log_path.open("wb") as out:
        # its own process group: vLLM forks an engine core and workers that must die with it
        proc = subprocess.Popen(command(port), stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + deadline_s
        while True:
            if proc.poll() is not None:
                raise BackendUnavailableError(f"{name} exited with {proc.returncode}: {log_path.read_text()[-3000:]}")
            try:
                if httpx.get(base + "/v1/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise BackendUnavailableError(f"{name} not ready within {deadline_s:.0f} s: {log_path.read_text()[-3000:]}")
            time.sleep(poll_s)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
