"""A real index of the bundled sample specs (samples/specs), built once per test process with the
real builder (`apipack index build`), shared by the service tests that run the real pipeline."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "specs"


@lru_cache(maxsize=1)
def sample_index() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="apipack-service-index-"))
    atexit.register(shutil.rmtree, folder, True)
    out = folder / "index"
    done = subprocess.run([sys.executable, "-m", "apipack.cli.main", "index", "build", str(SAMPLES),
                           "--out", str(out)], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"apipack index build failed:\n{done.stderr[-3000:]}")
    return out
