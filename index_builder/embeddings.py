"""Embedding texts with a cache keyed by text hash, so rebuilds and one-API updates are cheap.

The embedder is passed in (``retrieval.embedder`` loads one; this layer must not import it): any
object with ``name``, ``dim`` and ``encode(list[str]) -> float32 array`` (rows L2-normalised).
The cache is one folder per model holding ``.npz`` shards of (text hash, vector); a shard is
written whole to a temporary name and renamed, so a crash leaves no half shard behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class TextEmbedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode()).digest()[:12]


class EmbeddingCache:
    def __init__(self, folder: Path, model_name: str) -> None:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_name)[-80:]
        self.folder = folder / slug
        self._vectors: dict[bytes, np.ndarray] = {}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.folder.is_dir():
            return
        for shard in sorted(self.folder.glob("shard-*.npz")):
            try:
                with np.load(shard) as data:
                    keys, vecs = data["keys"], data["vecs"]
            except (OSError, ValueError, KeyError) as exc:  # a damaged shard is only a cache miss
                log.warning("ignoring unreadable embedding cache shard %s: %s", shard, exc)
                continue
            for k, v in zip(keys, vecs, strict=True):
                self._vectors[bytes(k)] = v

    def get(self, keys: Sequence[bytes]) -> list[np.ndarray | None]:
        self._load()
        return [self._vectors.get(k) for k in keys]

    def put(self, keys: Sequence[bytes], vecs: np.ndarray) -> None:
        self._load()
        if not len(keys):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for k, v in zip(keys, vecs, strict=True):
            self._vectors[k] = v
        name = f"shard-{len(list(self.folder.glob('shard-*.npz'))):05d}-{os.getpid()}"
        tmp = self.folder / f".{name}.tmp.npz"
        np.savez(tmp, keys=np.array(keys, dtype="S12"), vecs=vecs.astype(np.float32))
        os.replace(tmp, self.folder / f"{name}.npz")


def embed_texts(embedder: TextEmbedder, texts: Sequence[str], cache: EmbeddingCache | None = None,
                *, batch: int = 4096, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Vectors for ``texts`` (float32, normalised), computing only those the cache lacks.

    Missing texts are embedded in chunks of ``batch`` and each chunk is cached as it completes,
    so an interrupted build resumes where it stopped.
    """
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    keys = [text_key(t) for t in texts]
    cached = cache.get(keys) if cache else [None] * len(texts)
    todo: dict[bytes, list[int]] = {}
    for i, (k, v) in enumerate(zip(keys, cached, strict=True)):
        if v is None:
            todo.setdefault(k, []).append(i)
        else:
            out[i] = v
    pending = list(todo)
    done = 0
    for start in range(0, len(pending), batch):
        chunk = pending[start:start + batch]
        vecs = embedder.encode([texts[todo[k][0]] for k in chunk]).astype(np.float32)
        for k, v in zip(chunk, vecs, strict=True):
            out[todo[k]] = v
        if cache:
            cache.put(chunk, vecs)
        done += len(chunk)
        if progress:
            progress(done, len(pending))
    return out
