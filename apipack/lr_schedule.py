"""The learning-rate schedule of every training loop here (LoRA / full fine-tuning and the
reranker): a linear warm-up, then a linear decay to zero at the last step. A plain function of the
step, for ``torch.optim.lr_scheduler.LambdaLR`` (no torch import here)."""

from __future__ import annotations

from collections.abc import Callable


def linear_warmup_decay(total: int, warmup: int) -> Callable[[int], float]:
    """Step -> factor of the base rate: rising to 1 over ``warmup`` steps (never 0, so the first
    step learns), then falling linearly to 0 at ``total``."""
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / (warmup + 1)
        return max(0.0, (total - step) / max(1, total - warmup))
    return factor
