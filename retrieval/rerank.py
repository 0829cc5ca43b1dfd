"""Cross-encoder reranking of the searcher's top candidates.

``CrossEncoderReranker`` scores (request, endpoint text) pairs with a sentence-transformers
``CrossEncoder`` (ours from ``apipack reranker train``, or e.g. bge-reranker-large by path) and
blends that score with the searcher's own (``blend``: 1.0 = cross-encoder only), since a small
cross-encoder trained on template requests should refine, not replace, the fused ranking.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np

from apipack.errors import ConfigError
from index_builder.texts import operation_words, path_words
from retrieval.types import Hit

RERANKER_META = "apipack_reranker.json"


def hit_text(hit: Hit) -> str:
    """What the cross-encoder reads of an endpoint (the same text at training and at search)."""
    parts = [hit.api_id + ":", hit.summary[:160], f"({operation_words(hit.operation_id)})",
             f"{hit.method.lower()} {path_words(hit.path)}"]
    return " ".join(p for p in parts if p and p != "()")


class CrossEncoderReranker:
    def __init__(self, path: Path, *, blend: float | None = None, max_length: int = 128) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import CrossEncoder

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model = CrossEncoder(str(path), device="cpu", max_length=max_length)
        meta_file = path / RERANKER_META
        meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}
        self.blend = blend if blend is not None else float(meta.get("blend", 1.0))
        self.path = path

    def scores(self, query: str, hits: list[Hit]) -> np.ndarray:
        pairs = [(query, hit_text(h)) for h in hits]
        return np.asarray(self.model.predict(pairs, batch_size=32, show_progress_bar=False), dtype=np.float32)

    def rerank(self, query: str, hits: list[Hit], k: int) -> list[Hit]:
        if not hits:
            return []
        ce = self.scores(query, hits)
        ce = 1.0 / (1.0 + np.exp(-ce)) if (ce.min() < 0 or ce.max() > 1) else ce  # logits -> 0..1
        base = np.array([h.score for h in hits], dtype=np.float32)
        span = float(base.max() - base.min()) or 1.0
        base = (base - base.min()) / span
        final = self.blend * ce + (1.0 - self.blend) * base
        for h, c, f in zip(hits, ce, final, strict=True):
            h.stage_scores["rerank"] = float(c)
            h.score = float(f)
        return sorted(hits, key=lambda h: -h.score)[:k]


def load_reranker(path: str | Path) -> CrossEncoderReranker:
    path = Path(path)
    if not (path / "config.json").is_file():
        raise ConfigError(f"reranker {path} is not a cross-encoder folder (no config.json); train one with "
                          "`apipack reranker train` or set APIPACK_RERANKER to none")
    return CrossEncoderReranker(path)
