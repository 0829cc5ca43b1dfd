"""The verification sample: endpoints of samples/specs, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from apipack.openapi import iter_spec_files, load_spec
from apipack.openapi.model import ApiSpec, Endpoint

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "specs"
PER_SPEC = 12  # endpoints taken from each sample spec, in spec order


@pytest.fixture(scope="session")
def sample_specs() -> list[ApiSpec]:
    specs = [load_spec(path, api_id=api_id) for path, api_id in iter_spec_files([SAMPLES])]
    assert len(specs) >= 30, "samples/specs must hold at least 30 specs"
    return specs


@pytest.fixture(scope="session")
def sample_pairs(sample_specs: list[ApiSpec]) -> list[tuple[ApiSpec, Endpoint]]:
    return [(spec, ep) for spec in sample_specs for ep in spec.endpoints[:PER_SPEC]]
