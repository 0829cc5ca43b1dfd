"""An int8 ONNX transformer and its tokenizer, run on a fixed number of threads: what both the
embedder (one text -> one vector) and the reranker (a request and an endpoint text -> one logit)
run. The folder is written by ``retrieval.onnx_export``; running it needs neither torch nor
transformers, only ONNX Runtime and tokenizers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


class OnnxModel:
    def __init__(self, folder: Path, *, max_length: int, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length)  # longest first for pairs, as transformers does
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        # requests run concurrently in their own threads and processes: one thread each (several
        # per request oversubscribe the cores under load); builds and one-process tools ask for more
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}

    def run(self, texts: Sequence[str] | Sequence[tuple[str, str]]) -> np.ndarray:
        """The model's one output for a batch of texts or of (first, second) pairs."""
        encoded = self.tokenizer.encode_batch(list(texts))
        feeds = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                 "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                 "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
        # models without token types (RoBERTa's, e.g. bge-reranker) take only the first two
        return self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
