"""Training rows -> token ids with the loss on the answer only, and the batches of a run.

A row is what ``training.export`` writes: ``prompt`` (the API-Pack-Model prompt) and
``completion`` (the record's output). The prompt's tokens get the label -100 (no loss); the
completion's tokens and the end-of-sequence token are learned. A row longer than ``cutoff_len``
loses the beginning of its prompt (the API description comes first and matters least), never its
answer; an answer that alone exceeds the cutoff is cut at its end.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from apipack.errors import TrainingError

IGNORE = -100


@dataclass(slots=True)
class Example:
    input_ids: list[int]
    labels: list[int]

    @property
    def answer_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE)


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise TrainingError(f"no such training file: {path} (write one with `apipack train export`)") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise TrainingError(f"{path}:{n} is not JSON") from None
            if not isinstance(row, dict) or not isinstance(row.get("prompt"), str) \
                    or not isinstance(row.get("completion"), str) or not row["completion"]:
                raise TrainingError(f"{path}:{n} has no 'prompt' and 'completion' strings; training files come "
                                    "from `apipack train export`")
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    if not rows:
        raise TrainingError(f"{path} holds no training rows")
    return rows


def encode(tokenizer: Any, prompt: str, completion: str, cutoff_len: int) -> Example:
    """Token ids and labels (prompt masked). The prompt is tokenized as the server will tokenize it."""
    p = list(tokenizer(prompt, add_special_tokens=True)["input_ids"])
    c = list(tokenizer(completion, add_special_tokens=False)["input_ids"])
    if tokenizer.eos_token_id is not None:
        c.append(int(tokenizer.eos_token_id))
    c = c[:cutoff_len - 1]  # keep at least one prompt token
    p = p[-(cutoff_len - len(c)):]
    return Example(p + c, [IGNORE] * len(p) + c)


def encode_rows(tokenizer: Any, rows: Sequence[dict[str, Any]], cutoff_len: int) -> list[Example]:
    return [encode(tokenizer, r["prompt"], r["completion"], cutoff_len) for r in rows]


def micro_batches(n_examples: int, batch_size: int, seed: int, start: int = 0) -> Iterator[list[int]]:
    """Indices of each micro-batch, epoch after epoch (a fresh seeded shuffle per epoch), from the
    ``start``-th micro-batch on (resume lands on the batch it would have reached)."""
    per_epoch = max(1, -(-n_examples // batch_size))
    k = start
    while True:
        epoch, pos = divmod(k, per_epoch)
        order = list(range(n_examples))
        random.Random(f"{seed}:epoch:{epoch}").shuffle(order)
        yield order[pos * batch_size:(pos + 1) * batch_size]
        k += 1


def collate(examples: Sequence[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors: input_ids, attention_mask, labels (padding is not learned)."""
    import torch

    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)
    for i, e in enumerate(examples):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        mask[i, :n] = 1
        labels[i, :n] = torch.tensor(e.labels)
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
