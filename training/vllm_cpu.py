"""vLLM on the CPU for tests and benches: the server from its own virtual environment (``make
vllm-venv``, outside the clone) on a free loopback port, health-polled against a deadline and
killed with its engine processes on exit. Production runs vLLM its own way (its image, GPUs);
this is how a fine-tuned adapter is checked here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from apipack.errors import ConfigError
from generation.backends.local_server import local_openai_server

# vLLM compiles its model on start: about a minute alone, several on a busy 2-core machine
START_DEADLINE_S = float(os.environ.get("APIPACK_VLLM_START_DEADLINE_S", "900"))


def vllm_venv() -> Path:
    """$APIPACK_VLLM_VENV, else ~/.cache/apipack/vllm-venv (what `make vllm-venv` builds)."""
    return Path(os.environ.get("APIPACK_VLLM_VENV") or Path.home() / ".cache" / "apipack" / "vllm-venv")


def vllm_python() -> Path | None:
    venv = vllm_venv()
    python = venv / "bin" / "python"
    return python if (venv / ".installed").is_file() and python.is_file() else None


@contextmanager
def vllm_server(model_dir: Path, log_path: Path, *, served_name: str = "base",
                lora_modules: Sequence[tuple[str, Path]] = (), deadline_s: float = START_DEADLINE_S
                ) -> Iterator[str]:
    """Yields the base URL (``http://127.0.0.1:PORT``) once ``/v1/models`` answers 200."""
    python = vllm_python()
    if python is None:
        raise ConfigError(f"no vLLM virtual environment at {vllm_venv()}: run `make vllm-venv` "
                           "(or set APIPACK_VLLM_VENV)")

    def command(port: int) -> list[str]:
        cmd = [str(python), "-m", "vllm.entrypoints.openai.api_server", "--model", str(model_dir),
               "--served-model-name", served_name, "--host", "127.0.0.1", "--port", str(port),
               "--max-model-len", "2048", "--dtype", "bfloat16"]
        if lora_modules:
            cmd += ["--enable-lora", "--lora-modules", *[f"{name}={path}" for name, path in lora_modules]]
        return cmd

    with local_openai_server(command, log_path, name="vLLM", deadline_s=deadline_s,
                             env={"HF_HUB_OFFLINE": "1", "VLLM_CPU_KVCACHE_SPACE": "1"}, poll_s=1.0) as base:
        yield base
