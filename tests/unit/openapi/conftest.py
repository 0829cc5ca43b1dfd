"""Hand-made specs (tests/data/specs) for the loader's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

SPECS = Path(__file__).parents[2] / "data" / "specs"


@pytest.fixture(scope="session")
def specs_dir() -> Path:
    return SPECS
