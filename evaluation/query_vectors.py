"""Query vectors embedded in one batch before a run, served to the searcher one at a time.

The searcher embeds each query on its own (``encode([query])``); over a test set, embedding all
queries up front in batches is several times faster on a CPU. ``PrimedEmbedder`` wraps the real
embedder (same ``name`` and ``dim``, so the index's manifest check still applies), answers from
the primed vectors and falls back to the real embedder for any text it was not primed with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index_builder.embeddings import TextEmbedder


class PrimedEmbedder:
    def __init__(self, inner: TextEmbedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._vectors: dict[str, np.ndarray] = {}

    def prime(self, texts: Sequence[str]) -> int:
        """Embed the texts not yet known, in one batched call; returns how many were embedded."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if todo:
            for text, vec in zip(todo, self.inner.encode(todo), strict=True):
                self._vectors[text] = vec
        return len(todo)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self.prime(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts]).astype(np.float32, copy=False)
