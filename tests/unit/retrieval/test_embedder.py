"""The embedder's one-query path (plain torch calls, the tokenizer called directly) gives the
vectors sentence-transformers' own ``encode`` gives, for the int8 model the service runs and the
float one, for single queries and small padded batches."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.bert_forward import BertForward
from retrieval.embedder import load_embedder

TEXTS = ["list open pull requests in torvalds/linux", "  delete webhook 42  ", "UPPER case words",
         "émoji 🚀 and ünïcode", "word " * 120, "get the forecast for Paris"]


@pytest.mark.parametrize("quantize", [True, False])
def test_direct_path_matches_encode(quantize, embedder):
    model = embedder if quantize else load_embedder(quantize=False)
    assert model._fast is not None  # MiniLM is a BERT with mean pooling: the fast path is taken
    one_by_one = np.vstack([model.encode([t]) for t in TEXTS])
    # int8 dynamic quantisation scales activations per batch, so compare like with like: each
    # text alone against encode of it alone, and a padded batch against encode of the batch
    alone = np.vstack([model.model.encode([t], convert_to_numpy=True, normalize_embeddings=True) for t in TEXTS])
    np.testing.assert_allclose(one_by_one, alone, atol=1e-5)
    batch = model.encode(TEXTS[:4])
    same_batch = model.model.encode(TEXTS[:4], batch_size=4, convert_to_numpy=True, normalize_embeddings=True)
    np.testing.assert_allclose(batch, same_batch, atol=1e-5)
    assert np.allclose(np.linalg.norm(one_by_one, axis=1), 1.0, atol=1e-5)


def test_other_architectures_take_the_general_path():
    assert BertForward.of(object()) is None
