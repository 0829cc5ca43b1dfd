"""PrimedEmbedder: batch once, serve one at a time, fall back for unknown texts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evaluation.query_vectors import PrimedEmbedder


class CountingEmbedder:
    """A real TextEmbedder (deterministic vectors from the text's length) that counts its calls."""

    name = "counting"
    dim = 3

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_primed_batches_once_and_falls_back() -> None:
    inner = CountingEmbedder()
    emb = PrimedEmbedder(inner)
    assert (emb.name, emb.dim) == ("counting", 3)
    assert emb.prime(["a", "bb", "a"]) == 2
    assert inner.calls == [["a", "bb"]]
    assert emb.encode(["bb"])[0][0] == 2.0
    assert emb.encode(["a", "bb"]).shape == (2, 3)
    assert len(inner.calls) == 1  # served from the primed vectors
    assert emb.encode(["cccc"])[0][0] == 4.0  # not primed: embedded on demand
    assert inner.calls[-1] == ["cccc"]
    assert emb.prime(["a", "cccc"]) == 0
    assert emb.encode([]).shape == (0, 3)
