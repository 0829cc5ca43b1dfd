"""Session fixtures for the generation tests: the sample specs (samples/specs plus this folder's
shapes.json, which covers the request shapes) loaded once, and every endpoint rendered once in
all 10 targets with the dataset's renderer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from apipack.openapi.model import ApiSpec, Endpoint
from apipack.snippets.targets_table import TARGETS

HERE = Path(__file__).parent
REPO = HERE.parents[2]


def sample_spec_files() -> list[Path]:
    files = sorted(p for p in (REPO / "samples" / "specs").rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
    return [HERE / "data" / "shapes.json", *files]


@dataclass(frozen=True)
class RenderedCall:
    spec: ApiSpec
    endpoint: Endpoint
    target: str  # short name
    code: str

    @property
    def id(self) -> str:
        return f"{self.spec.api_id}:{self.endpoint.method}:{self.endpoint.path}:{self.target}"


@pytest.fixture(scope="session")
def sample_specs() -> list[ApiSpec]:
    from apipack.openapi import api_id_for, load_spec

    specs = []
    for path in sample_spec_files():
        api_id = "shapes.example" if path.name == "shapes.json" else api_id_for(path, REPO / "samples" / "specs")
        specs.append(load_spec(path, api_id=api_id))
    return specs


@pytest.fixture(scope="session")
def shapes_spec(sample_specs: list[ApiSpec]) -> ApiSpec:
    return sample_specs[0]


@pytest.fixture(scope="session")
def rendered_calls(sample_specs: list[ApiSpec]) -> list[RenderedCall]:
    from apipack.snippets import render_endpoint

    calls = []
    for spec in sample_specs:
        for ep in spec.endpoints:
            for target in TARGETS.values():
                code = render_endpoint(spec, ep.method, ep.path, target.target_id)
                calls.append(RenderedCall(spec, ep, target.short, code))
    return calls
