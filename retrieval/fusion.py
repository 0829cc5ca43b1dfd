"""Fusing ranked lists: reciprocal rank fusion and min-max weighted sums.

``rrf`` scores an item ``sum_i w_i / (k + rank_i)`` over the lists it appears in (rank from 1);
``weighted`` rescales each list's scores to [0, 1] and adds them with weights. Both return
``{item: score}``; items absent from a list get nothing from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")

RRF_K = 60


def rrf(rankings: Sequence[Sequence[T]], *, k: int = RRF_K,
        weights: Sequence[float] | None = None) -> dict[T, float]:
    if k < 0:
        raise ValueError("rrf k must be >= 0")
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    out: dict[T, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            out[item] = out.get(item, 0.0) + w / (k + rank)
    return out


def minmax(scores: Mapping[T, float]) -> dict[T, float]:
    """Scores rescaled to [0, 1]; all equal -> all 1.0 (each is the best)."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi == lo:
        return dict.fromkeys(scores, 1.0)
    return {key: (v - lo) / (hi - lo) for key, v in scores.items()}


def weighted(score_maps: Sequence[Mapping[T, float]], weights: Sequence[float]) -> dict[T, float]:
    if len(weights) != len(score_maps):
        raise ValueError("one weight per score map")
    out: dict[T, float] = {}
    for scores, w in zip(score_maps, weights, strict=True):
        for key, v in minmax(scores).items():
            out[key] = out.get(key, 0.0) + w * v
    return out


def top(scores: Mapping[T, float], k: int) -> list[tuple[T, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))[:k]
