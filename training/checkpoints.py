"""Checkpoints of a fine-tuning run: ``<output_dir>/checkpoints/step-<N>/``.

Each holds the trainable weights (the LoRA adapter, or the whole model for full fine-tuning),
the optimizer and scheduler state, the RNG state and ``trainer_state.json`` (step, losses so
far). A checkpoint is written into a temporary folder and renamed, so the latest complete one is
always the one resume picks; only the last ``keep`` are kept.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE = "trainer_state.json"


@dataclass(slots=True)
class TrainerState:
    step: int = 0
    losses: list[float] = field(default_factory=list)  # one per optimizer step
    tokens: int = 0  # answer tokens seen
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "losses": self.losses, "tokens": self.tokens, "seconds": self.seconds}


def checkpoints_dir(output_dir: Path) -> Path:
    return Path(output_dir) / "checkpoints"


def latest_checkpoint(output_dir: Path) -> Path | None:
    found = [p for p in checkpoints_dir(output_dir).glob("step-*") if (p / STATE).is_file()]
    return max(found, key=lambda p: int(p.name.split("-")[1]), default=None)


def save_checkpoint(output_dir: Path, state: TrainerState, model: Any, optimizer: Any, scheduler: Any,
                    *, keep: int = 2) -> Path:
    import torch

    root = checkpoints_dir(output_dir)
    final = root / f"step-{state.step:07d}"
    tmp = root / f".tmp-step-{state.step:07d}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp)  # peft: the adapter only; full: the whole model
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "rng": torch.get_rng_state()}, tmp / "optimizer.pt")
    (tmp / STATE).write_text(json.dumps(state.to_dict()))
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    done = sorted((p for p in root.glob("step-*") if (p / STATE).is_file()), key=lambda p: p.name)
    for old in done[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)
    return final


def load_trainer_state(checkpoint: Path) -> TrainerState:
    data = json.loads((checkpoint / STATE).read_text())
    return TrainerState(step=int(data["step"]), losses=[float(x) for x in data.get("losses", [])],
                        tokens=int(data.get("tokens", 0)), seconds=float(data.get("seconds", 0.0)))


def restore_optimizer(checkpoint: Path, optimizer: Any, scheduler: Any) -> None:
    import torch

    blob = torch.load(checkpoint / "optimizer.pt", weights_only=False)
    optimizer.load_state_dict(blob["optimizer"])
    scheduler.load_state_dict(blob["scheduler"])
    torch.set_rng_state(blob["rng"])


def restore_adapter(checkpoint: Path, model: Any) -> None:
    """Load a checkpoint's LoRA weights into the peft model being trained."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(model, load_file(str(checkpoint / "adapter_model.safetensors")))
