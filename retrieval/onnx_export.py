"""Turning a transformer folder into the int8 ONNX model that the embedder or the reranker runs.

``exported(model_dir, head, max_length)`` is the one entry point: it returns the export's folder
in the models cache (``~/.cache/apipack/models``), making it on first use. Two heads:

- ``embedding``: a sentence-transformers encoder, with its mean or CLS pooling and the L2
  normalisation inside the graph (the embedder);
- ``logit``: a one-logit sequence classifier, a cross-encoder (the reranker).

The transformer is traced (``torch.onnx``), its weights quantised to int8
(``onnxruntime.quantization.quantize_dynamic``), and ``model.onnx``, the tokenizer's
``tokenizer.json`` and ``encoder.json`` (what it was made from) are written into the folder
atomically: a folder that exists is complete. ~5 s for MiniLM, once per model and machine; it is
the only place torch is needed, so a server that finds the folder never imports torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from apipack.errors import ConfigError

ENCODER_META = "encoder.json"
HEADS = ("embedding", "logit")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def models_cache() -> Path:
    """Where exported models live: per user, like the other built artefacts (README)."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "apipack" / "models"


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


def exported(model_dir: Path, head: str, max_length: int, *, name: str | None = None,
             cache: Path | None = None) -> Path:
    """The export of ``model_dir`` with ``head``, made now if the cache has none. The key holds
    the folder's path and its weights' size and time: a model retrained in place is exported anew."""
    resolved = model_dir.resolve()
    weights = next((resolved / f for f in WEIGHT_FILES if (resolved / f).is_file()), None)
    stamp = f"{weights.stat().st_size}-{weights.stat().st_mtime_ns}" if weights else ""
    where = hashlib.sha1(f"{resolved}|{stamp}".encode()).hexdigest()[:8]
    folder = (cache or models_cache()) / f"{name or model_dir.name}-{where}-{head}-int8-{max_length}"
    if not (folder / ENCODER_META).is_file():
        export(model_dir, folder, head, max_length)
    return folder


def export(model_dir: Path, out_dir: Path, head: str, max_length: int) -> Path:
    if head not in HEADS:
        raise ValueError(f"head must be one of {HEADS}, not {head!r}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the folder has everything: never ask a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if not getattr(tokenizer, "is_fast", False):
        raise ConfigError(f"{model_dir}: exporting needs a fast tokenizer (tokenizer.json)")
    module, meta = _embedding_module(model_dir) if head == "embedding" else _logit_module(model_dir)
    sample = tokenizer(["an example request"], ["an endpoint"] if head == "logit" else None, return_tensors="pt")
    token_types = sample.get("token_type_ids", torch.zeros_like(sample["input_ids"]))
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir.parent))
    try:
        names = ("input_ids", "attention_mask", "token_type_ids")
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer notes about shape-dependent Python in transformers
            torch.onnx.export(module, (sample["input_ids"], sample["attention_mask"], token_types),
                              str(work / "float.onnx"), input_names=list(names), output_names=[head],
                              opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names})
        _quantize(work / "float.onnx", work / "model.onnx")
        (work / "float.onnx").unlink()
        tokenizer.backend_tokenizer.save(str(work / "tokenizer.json"))
        (work / ENCODER_META).write_text(json.dumps({"source": str(model_dir), "head": head, **meta,
                                                     "max_length": max_length, "quantized": "int8"}))
        try:
            os.replace(work, out_dir)  # atomic: another process may have exported it meanwhile
        except OSError:
            if not (out_dir / ENCODER_META).is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out_dir


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for vision models
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)
    finally:
        logging.getLogger().setLevel(quiet)


def _embedding_module(model_dir: Path) -> tuple[Any, dict[str, str]]:
    import torch
    from transformers import AutoModel

    pooling = pooling_of(model_dir)

    def pool(outputs: Any, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = outputs.last_hidden_state
        if pooling == "cls":
            pooled = hidden[:, 0]
        else:  # as sentence-transformers' Pooling: the mean over the real tokens
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / torch.clamp(weights.sum(1), min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return _traced(AutoModel.from_pretrained(str(model_dir)).eval(), pool), {"pooling": pooling}


def _logit_module(model_dir: Path) -> tuple[Any, dict[str, str]]:
    from transformers import AutoConfig, AutoModelForSequenceClassification

    if AutoConfig.from_pretrained(str(model_dir)).num_labels != 1:
        raise ConfigError(f"{model_dir}: a reranker is a cross-encoder with one output logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    return _traced(model, lambda outputs, attention_mask: outputs.logits[:, 0]), {}


def _traced(model: Any, head: Callable[[Any, Any], Any]) -> Any:
    """The transformer and a head over its outputs as one module for ``torch.onnx``, fed the
    tokenizer's three inputs (token types only to models that have them: RoBERTa's do not)."""
    import torch

    typed = getattr(model.config, "type_vocab_size", 1) > 1

    class Traced(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            types = {"token_type_ids": token_type_ids} if typed else {}
            return head(self.model(input_ids=input_ids, attention_mask=attention_mask, **types), attention_mask)

    return Traced()
