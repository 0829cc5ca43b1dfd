"""Turning a sentence-transformers folder into the int8 ONNX model the embedder runs.

``export_encoder(model_dir, out_dir, max_seq_length)`` traces the transformer with mean or CLS
pooling and L2 normalisation inside the graph (``torch.onnx``), quantises its weights to int8
(``onnxruntime.quantization.quantize_dynamic``), and writes ``model.onnx``, the tokenizer's
``tokenizer.json`` and ``encoder.json`` (what it was made from) into ``out_dir`` atomically: a
folder that exists is complete. Done once per model and machine (~5 s for MiniLM); it is the only
place torch is needed to embed, so a server that finds the folder never imports torch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from apipack.errors import ConfigError

ENCODER_META = "encoder.json"


def pooling_of(model_dir: Path) -> str:
    """Either "mean" or "cls": what the sentence-transformers Pooling module is configured to do."""
    config = model_dir / "1_Pooling" / "config.json"
    if not config.is_file():
        return "mean"  # sentence-transformers' default for a bare transformer folder
    modes = json.loads(config.read_text())
    if modes.get("pooling_mode_mean_tokens"):
        return "mean"
    if modes.get("pooling_mode_cls_token"):
        return "cls"
    raise ConfigError(f"{model_dir}: only mean or CLS pooling can be exported for the embedder; "
                      f"the model's pooling is {modes}")


def export_encoder(model_dir: Path, out_dir: Path, max_seq_length: int) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the folder has everything: never ask a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    pooling = pooling_of(model_dir)
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if not getattr(tokenizer, "is_fast", False):
        raise ConfigError(f"{model_dir}: the embedder needs a fast tokenizer (tokenizer.json)")

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:  # as sentence-transformers' Pooling: the mean over the real tokens
                weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * weights).sum(1) / torch.clamp(weights.sum(1), min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    sample = tokenizer(["an example request"], return_tensors="pt")
    token_types = sample.get("token_type_ids", torch.zeros_like(sample["input_ids"]))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir.parent))
    try:
        axes = {"batch": 0, "tokens": 1}
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer notes about shape-dependent Python in transformers
            torch.onnx.export(Encoder(), (sample["input_ids"], sample["attention_mask"], token_types),
                              str(work / "float.onnx"), input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["embedding"], opset_version=17, dynamo=False,
                              dynamic_axes={name: {v: k for k, v in axes.items()}
                                            for name in ("input_ids", "attention_mask", "token_type_ids")})
        quiet = logging.getLogger().level
        logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for vision models
        try:
            quantize_dynamic(str(work / "float.onnx"), str(work / "model.onnx"), weight_type=QuantType.QInt8)
        finally:
            logging.getLogger().setLevel(quiet)
        (work / "float.onnx").unlink()
        tokenizer.backend_tokenizer.save(str(work / "tokenizer.json"))
        (work / ENCODER_META).write_text(json.dumps({"source": str(model_dir), "pooling": pooling,
                                                     "max_seq_length": max_seq_length, "quantized": "int8"}))
        try:
            os.replace(work, out_dir)  # atomic: another process may have exported it meanwhile
        except OSError:
            if not (out_dir / ENCODER_META).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir
