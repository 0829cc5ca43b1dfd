"""A fine-tuning run: LoRA (peft) or full fine-tuning of any transformers causal LM.

``train(config)`` reads the training file (``apipack train export``), tokenizes it with the loss
on the answer only (training/data.py), and runs AdamW with linear warmup and decay, gradient
accumulation and clipping. A tqdm bar shows the step and the loss; ``train_log.jsonl`` gets one
line per optimizer step. Checkpoints (training/checkpoints.py) are written every ``save_steps``
and at the end; a second run with the same ``output_dir`` resumes from the latest one.

Output, in ``output_dir``:
- ``adapter/``: the LoRA adapter and the tokenizer, what vLLM serves with
  ``--enable-lora --lora-modules NAME=<output_dir>/adapter`` (the ``openai`` backend then asks for
  ``NAME``); ``merged/`` with ``merge: true``: base and adapter in one checkpoint;
- ``model/`` for a full fine-tuning run;
- ``summary.json``: steps, losses, tokens, seconds, the paths above.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apipack.errors import ConfigError, TrainingError
from apipack.lr_schedule import linear_warmup_decay
from training.checkpoints import (
    TrainerState,
    latest_checkpoint,
    load_trainer_state,
    restore_adapter,
    restore_optimizer,
    save_checkpoint,
)
from training.config import SMOLLM, TrainConfig
from training.data import collate, encode_rows, micro_batches, read_rows

log = logging.getLogger(__name__)


@dataclass(slots=True)
class TrainResult:
    output_dir: Path
    base_model: str
    steps: int
    losses: list[float]
    rows: int
    tokens: int
    seconds: float
    resumed_from: int = 0
    adapter_dir: Path | None = None
    merged_dir: Path | None = None
    model_dir: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"output_dir": str(self.output_dir), "base_model": self.base_model, "steps": self.steps,
                "losses": self.losses, "first_loss": self.losses[0] if self.losses else None,
                "last_loss": self.losses[-1] if self.losses else None, "rows": self.rows, "tokens": self.tokens,
                "seconds": self.seconds, "resumed_from": self.resumed_from,
                "adapter_dir": str(self.adapter_dir) if self.adapter_dir else None,
                "merged_dir": str(self.merged_dir) if self.merged_dir else None,
                "model_dir": str(self.model_dir) if self.model_dir else None, **self.extra}


def base_model_path(cfg: TrainConfig) -> str:
    """``smollm2`` -> the converted SmolLM2 folder; any other value is passed to transformers."""
    if cfg.model == SMOLLM:
        from training.smollm import smollm_model_dir

        return str(smollm_model_dir(cfg.cache_dir))
    return cfg.model


def _imports() -> tuple[Any, Any, Any]:
    try:
        import torch
        import transformers
        from tqdm.auto import tqdm
    except ModuleNotFoundError as exc:
        raise ConfigError(f"training needs the 'train' extra ({exc.name} is missing): "
                          "pip install 'apipack[train]'") from None
    return torch, transformers, tqdm


def _device(torch: Any) -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def load_model(cfg: TrainConfig, path: str, torch: Any, transformers: Any) -> tuple[Any, Any]:
    dtype = getattr(torch, cfg.dtype)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path)
        model = transformers.AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    except OSError as exc:
        raise TrainingError(f"cannot load the model {path!r}: {exc}. Give a local folder of a transformers "
                            "checkpoint, or 'smollm2'") from None
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if cfg.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.config.use_cache = False
    if cfg.method == "lora":
        try:
            from peft import LoraConfig, get_peft_model
        except ModuleNotFoundError:
            raise ConfigError("LoRA needs peft: pip install 'apipack[train]'") from None
        if cfg.gradient_checkpointing:
            model.enable_input_require_grads()
        layers = cfg.lora.layers
        if cfg.lora.top_layers:
            n = int(model.config.num_hidden_layers)
            layers = list(range(max(0, n - cfg.lora.top_layers), n))
        lora = LoraConfig(task_type="CAUSAL_LM", r=cfg.lora.r, lora_alpha=cfg.lora.alpha,
                          lora_dropout=cfg.lora.dropout, target_modules=list(cfg.lora.target_modules),
                          layers_to_transform=layers)
        model = get_peft_model(model, lora)
    return model.to(_device(torch)), tokenizer


def _write_outputs(cfg: TrainConfig, model: Any, tokenizer: Any, result: TrainResult) -> None:
    out = Path(cfg.output_dir)
    if cfg.method == "lora":
        result.adapter_dir = out / "adapter"
        model.save_pretrained(result.adapter_dir)
        tokenizer.save_pretrained(result.adapter_dir)
        if cfg.merge:
            result.merged_dir = out / "merged"
            merged = model.merge_and_unload()
            merged.save_pretrained(result.merged_dir)
            tokenizer.save_pretrained(result.merged_dir)
    else:
        result.model_dir = out / "model"
        model.save_pretrained(result.model_dir)
        tokenizer.save_pretrained(result.model_dir)


def train(cfg: TrainConfig, *, progress: bool = True, resume: bool = True) -> TrainResult:
    """Run (or resume) the fine-tuning ``cfg`` describes; see the module doc for what it writes."""
    torch, transformers, tqdm = _imports()
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = base_model_path(cfg)
    rows = read_rows(cfg.train_file, cfg.max_records)
    checkpoint = latest_checkpoint(out) if resume else None
    model_path = str(checkpoint) if checkpoint is not None and cfg.method == "full" else path
    model, tokenizer = load_model(cfg, model_path, torch, transformers)
    examples = encode_rows(tokenizer, rows, cfg.cutoff_len)
    per_step = cfg.batch_size * cfg.grad_accum
    total = cfg.max_steps or max(1, math.ceil(cfg.epochs * len(examples) / per_step))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, linear_warmup_decay(total, int(cfg.warmup_ratio * total)))
    state = TrainerState()
    if checkpoint is not None:
        state = load_trainer_state(checkpoint)
        if cfg.method == "lora":
            restore_adapter(checkpoint, model)
        restore_optimizer(checkpoint, optimizer, scheduler)
        log.info("resuming from %s (step %d of %d)", checkpoint, state.step, total)
    resumed_from = state.step
    (out / "config.json").write_text(json.dumps({**cfg.to_dict(), "base_model_path": path}, indent=2))
    device = _device(torch)
    pad_id = tokenizer.pad_token_id
    batches = micro_batches(len(examples), cfg.batch_size, cfg.seed, start=state.step * cfg.grad_accum)
    amp = (torch.autocast(device_type=device, dtype=getattr(torch, cfg.autocast)) if cfg.autocast
           else contextlib.nullcontext())
    model.train()
    bar = tqdm(total=total, initial=state.step, desc="train", unit="step", disable=not progress, dynamic_ncols=True)
    t0 = time.perf_counter() - state.seconds
    started_at = state.seconds  # max_seconds counts this run's time, not the resumed one's
    stopped_early = False
    with open(out / "train_log.jsonl", "a") as logf:
        while state.step < total:
            step_loss = 0.0
            for _ in range(cfg.grad_accum):
                chunk = [examples[i] for i in next(batches)]
                batch = {k: v.to(device) for k, v in collate(chunk, pad_id).items()}
                with amp:
                    loss = model(**batch).loss
                if not torch.isfinite(loss):
                    raise TrainingError(f"the loss is {loss.item()} at step {state.step + 1}; lower learning_rate "
                                        "or use dtype float32")
                (loss / cfg.grad_accum).backward()
                step_loss += loss.item() / cfg.grad_accum
                state.tokens += sum(e.answer_tokens for e in chunk)
            torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            state.step += 1
            state.losses.append(round(step_loss, 5))
            state.seconds = time.perf_counter() - t0
            bar.update(1)
            bar.set_postfix(loss=f"{step_loss:.4f}", lr=f"{scheduler.get_last_lr()[0]:.2e}")
            if state.step % max(1, cfg.logging_steps) == 0 or state.step == total:
                logf.write(json.dumps({"step": state.step, "loss": step_loss, "lr": scheduler.get_last_lr()[0],
                                       "seconds": round(state.seconds, 2)}) + "\n")
                logf.flush()
            if cfg.max_seconds is not None and state.seconds - started_at >= cfg.max_seconds:
                log.info("stopping after %d steps: max_seconds %.0f reached", state.step, cfg.max_seconds)
                stopped_early = state.step < total
                break
            if cfg.save_steps and state.step % cfg.save_steps == 0 and state.step < total:
                save_checkpoint(out, state, model, optimizer, scheduler, keep=cfg.keep_checkpoints)
    bar.close()
    save_checkpoint(out, state, model, optimizer, scheduler, keep=cfg.keep_checkpoints)
    result = TrainResult(out, path, state.step, state.losses, len(examples), state.tokens, state.seconds,
                         resumed_from=resumed_from, extra={"method": cfg.method, "device": device, "planned_steps": total,
                                "stopped_early": stopped_early,
                                "rows_seen": state.step * per_step})
    model.eval()
    _write_outputs(cfg, model, tokenizer, result)
    (out / "summary.json").write_text(json.dumps(result.to_dict(), indent=2))
    return result
