"""The embedder: MiniLM exported to int8 ONNX once per machine, then run by ONNX Runtime. Its
vectors stay close to sentence-transformers' float vectors; a query embeds the same every time;
a second load reuses the export; models it cannot export are refused by name."""

from __future__ import annotations

import json

import numpy as np
import pytest

from apipack.errors import ConfigError
from retrieval.embedder import bundled_minilm_path, load_embedder
from retrieval.onnx_export import ENCODER_META, pooling_of

TEXTS = ["list open pull requests in torvalds/linux", "  delete webhook 42  ", "UPPER case words",
         "émoji 🚀 and ünïcode", "word " * 120, "get the forecast for Paris"]


def test_vectors_are_close_to_the_float_model(embedder):
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(bundled_minilm_path()), device="cpu")
    reference.max_seq_length = 64
    floats = reference.encode(TEXTS, convert_to_numpy=True, normalize_embeddings=True)
    ours = np.vstack([embedder.encode([t]) for t in TEXTS])
    cosines = (ours * floats).sum(axis=1)
    assert cosines.min() > 0.93, cosines
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert embedder.name == "all-MiniLM-L6-v2#onnx-int8@64" and embedder.dim == 384


def test_a_query_embeds_the_same_every_time_and_batches_keep_the_order(embedder):
    once = embedder.encode([TEXTS[0]])
    assert np.array_equal(once, embedder.encode([TEXTS[0]]))
    # more texts than a batch: sorted by length inside, returned in the caller's order
    many = [f"{t} {i}" for i, t in enumerate(TEXTS * 30)]
    batched = embedder.encode(many)
    assert batched.shape == (len(many), 384)
    assert (batched[0] * embedder.encode([many[0]])[0]).sum() > 0.97
    assert embedder.encode([]).shape == (0, 384)


def test_export_happens_once_per_cache(tmp_path):
    first = load_embedder(cache=tmp_path)
    meta = next(tmp_path.glob(f"*/{ENCODER_META}"))
    stamp = meta.stat().st_mtime_ns
    again = load_embedder(cache=tmp_path)
    assert meta.stat().st_mtime_ns == stamp and json.loads(meta.read_text())["pooling"] == "mean"
    assert np.array_equal(first.encode([TEXTS[2]]), again.encode([TEXTS[2]]))


def test_unsupported_pooling_and_folders_are_named(tmp_path):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_max_tokens": True}))
    with pytest.raises(ConfigError, match="mean or CLS pooling"):
        pooling_of(tmp_path)
    with pytest.raises(ConfigError, match="neither the bundled MiniLM"):
        load_embedder(str(tmp_path / "nowhere"))
