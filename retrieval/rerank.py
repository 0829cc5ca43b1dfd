"""Cross-encoder reranking of the searcher's top candidates.

``CrossEncoderReranker`` scores (request, endpoint text) pairs with a one-logit cross-encoder
(ours from ``apipack reranker train``, or e.g. bge-reranker-large by path), exported once to int8
ONNX (``retrieval.onnx_export``) and run by ONNX Runtime like the embedder: 20 candidates take
~40 ms on two threads, ~70 ms on one, against ~250 ms for the same model in torch. It blends the
sigmoid of that logit with the searcher's own score (``blend``: 1.0 = cross-encoder only), since
a small cross-encoder trained on template requests should refine, not replace, the fused ranking.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from apipack.errors import ConfigError
from index_builder.texts import operation_words, path_words
from retrieval.onnx_export import exported
from retrieval.onnx_model import OnnxModel
from retrieval.types import Hit

RERANKER_META = "apipack_reranker.json"


def hit_text(hit: Hit) -> str:
    """What the cross-encoder reads of an endpoint (the same text at training and at search)."""
    parts = [hit.api_id + ":", hit.summary[:160], f"({operation_words(hit.operation_id)})",
             f"{hit.method.lower()} {path_words(hit.path)}"]
    return " ".join(p for p in parts if p and p != "()")


class CrossEncoderReranker:
    def __init__(self, path: Path, *, blend: float | None = None, threads: int = 1,
                 cache: Path | None = None) -> None:
        meta_file = path / RERANKER_META
        meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}
        self.blend = blend if blend is not None else float(meta.get("blend", 1.0))
        max_length = int(meta.get("max_length", 128))  # what it was trained with
        self.model = OnnxModel(exported(path, "logit", max_length, cache=cache), max_length=max_length,
                               threads=threads)
        self.path = path

    def scores(self, query: str, hits: list[Hit]) -> np.ndarray:
        """The cross-encoder's probability that each hit is the endpoint the request wants."""
        logits = self.model.run([(query, hit_text(h)) for h in hits]).astype(np.float32)
        return 1.0 / (1.0 + np.exp(-logits))

    def rerank(self, query: str, hits: list[Hit], k: int) -> list[Hit]:
        if not hits:
            return []
        ce = self.scores(query, hits)
        base = np.array([h.score for h in hits], dtype=np.float32)
        span = float(base.max() - base.min()) or 1.0
        base = (base - base.min()) / span
        final = self.blend * ce + (1.0 - self.blend) * base
        for h, c, f in zip(hits, ce, final, strict=True):
            h.stage_scores["rerank"] = float(c)
            h.score = float(f)
        return sorted(hits, key=lambda h: -h.score)[:k]


def load_reranker(path: str | Path, *, threads: int = 1, cache: Path | None = None) -> CrossEncoderReranker:
    """A served process reranks on one thread per request; one-process tools give it every core.
    ``cache``: where its ONNX export goes (default the models cache)."""
    path = Path(path)
    if not (path / "config.json").is_file():
        raise ConfigError(f"reranker {path} is not a cross-encoder folder (no config.json); train one with "
                          "`apipack reranker train` or set APIPACK_RERANKER to none")
    return CrossEncoderReranker(path, threads=threads, cache=cache)
