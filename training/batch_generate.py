"""Batched greedy generation with transformers, for prompts prepared elsewhere.

Where no vLLM server runs (a GPU machine lent for minutes, with no network and no index), the
answers to an evaluation's prompts are generated here in batches and scored afterwards by
``evaluation.replay``. It behaves like the ``openai`` backend's requests: the prompt's text as is
(no chat template), temperature 0, at most ``max_new_tokens``, the answer cut before the first
stop string (vLLM leaves the stop string out of its text).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from apipack.errors import ConfigError


def load_for_generation(model_dir: Path, *, adapter_dir: Path | None = None, dtype: str = "bfloat16",
                        device: str | None = None) -> tuple[Any, Any]:
    """The model (with the LoRA adapter merged in when given) in eval mode, and its tokenizer padding left."""
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ModuleNotFoundError as exc:
        raise ConfigError(f"generation needs the 'train' extra ({exc.name} is missing)") from None
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"  # a batch's answers then all start at the same column
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=getattr(torch, dtype))
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    return model.to(device).eval(), tokenizer


def cut_at_stop(text: str, stop: Sequence[str]) -> str:
    """``text`` up to the first stop string (the stop string left out)."""
    cut = min((i for i in (text.find(s) for s in stop) if i >= 0), default=len(text))
    return text[:cut]


def generate(model: Any, tokenizer: Any, prompts: Sequence[str], *, max_new_tokens: int = 320,
             stop: Sequence[str] = (), batch_size: int = 64, max_prompt_tokens: int = 4096,
             progress: Any = None) -> list[str]:
    """Greedy answers to ``prompts``, in their order. Prompts are batched by length (less
    padding); a prompt over ``max_prompt_tokens`` loses its beginning, as training cut it."""
    import torch

    encoded = [tokenizer(p, add_special_tokens=True)["input_ids"][-max_prompt_tokens:] for p in prompts]
    order = sorted(range(len(prompts)), key=lambda i: len(encoded[i]))
    answers: list[str] = [""] * len(prompts)
    pad = tokenizer.pad_token_id
    device = next(model.parameters()).device
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        width = max(len(encoded[i]) for i in chunk)
        ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, i in enumerate(chunk):
            n = len(encoded[i])
            ids[row, width - n:] = torch.tensor(encoded[i])
            mask[row, width - n:] = 1
        with torch.inference_mode():
            out = model.generate(input_ids=ids.to(device), attention_mask=mask.to(device), do_sample=False,
                                 max_new_tokens=max_new_tokens, pad_token_id=pad,
                                 eos_token_id=tokenizer.eos_token_id,
                                 stop_strings=list(stop) or None, tokenizer=tokenizer if stop else None)
        for row, i in enumerate(chunk):
            text = tokenizer.decode(out[row, width:], skip_special_tokens=True)
            answers[i] = cut_at_stop(text, stop)
        if progress is not None:
            progress(min(start + batch_size, len(order)), len(order))
    return answers
