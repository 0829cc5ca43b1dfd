"""Fixtures for the dataset tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.dataset.spec_factory import write_tiny_spec


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    """Eight small APIs (one broken file among them) in a folder, as a corpus would hold them."""
    root = tmp_path / "specs"
    for i in range(7):
        write_tiny_spec(root, f"api{i}.example.com", f"Example Service {i}", 3 + i)
    (root / "broken.example.com.json").write_text('{"title": "no endpoints here"}')
    return root
