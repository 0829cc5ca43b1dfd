"""Training the cross-encoder reranker (``apipack reranker train``).

Start: the bundled MiniLM's weights with a fresh one-logit head. Pairs: developer-style
requests for sampled endpoints (records' ``instruction`` texts when given, else the casual
texts of ``apipack.instructions``), each with its endpoint as the positive and the searcher's
own top wrong answers as hard negatives (within the API, where the confusions are, and across
the index). Loss: binary cross-entropy. The output folder is a regular CrossEncoder folder plus
``apipack_reranker.json`` (base model, pair counts, blend weight).
"""

from __future__ import annotations

import json
import logging
import os
import random
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from apipack.lr_schedule import linear_warmup_decay
from retrieval.index import LoadedIndex
from retrieval.rerank import RERANKER_META, hit_text
from retrieval.searcher import Searcher
from retrieval.types import Hit

log = logging.getLogger(__name__)


@dataclass
class TrainOptions:
    apis: int = 300  # APIs sampled
    per_api: int = 6  # endpoints sampled per API
    negatives: int = 4
    epochs: int = 1
    batch_size: int = 32
    lr: float = 3e-5
    max_length: int = 96
    progress: bool = True  # a tqdm bar with the loss on stderr
    blend: float = 0.5
    seed: int = 0
    unnamed_share: float = 0.0  # share of requests mined without the API named (slow: whole-index search)


def _gold_hit(index: LoadedIndex, row: int) -> Hit:
    r = index.rows[row]
    return Hit(endpoint_id=r["endpoint_id"], api_id=r["api_id"], method=r["method"], path=r["path"],
               operation_id=r.get("operation_id"), summary=r.get("summary", ""), score=0.0)


def make_pairs(searcher: Searcher, options: TrainOptions, queries_for: Callable[[str, int], list[str]]
               ) -> list[tuple[str, str, float]]:
    """(request, endpoint text, label) triples with hard negatives from the searcher."""
    index = searcher.index
    rng = random.Random(options.seed)
    apis = [a for a in index.api_order if index.api_rows[a]["endpoint_count"] >= 2]
    pairs: list[tuple[str, str, float]] = []
    for api_id in rng.sample(apis, min(options.apis, len(apis))):
        rows = list(range(*index.api_rows[api_id]["rows"]))
        for row in rng.sample(rows, min(options.per_api, len(rows))):
            texts = queries_for(api_id, row)
            if not texts:
                continue
            query = rng.choice(texts)
            gold = _gold_hit(index, row)
            named = rng.random() >= options.unnamed_share
            hits = searcher.search(query, options.negatives + 1, api=api_id if named else None).hits
            pairs.append((query, hit_text(gold), 1.0))
            for h in [h for h in hits if h.endpoint_id != gold.endpoint_id][: options.negatives]:
                pairs.append((query, hit_text(h), 0.0))
    return pairs


def casual_queries(index: LoadedIndex, seed: int = 0) -> Callable[[str, int], list[str]]:
    from apipack.instructions import instruction_set

    def queries(api_id: str, row: int) -> list[str]:
        r = index.rows[row]
        ep = index.spec(api_id).endpoint(r["method"], r["path"])
        if ep is None:
            return []
        return list(instruction_set(ep, index.api_rows[api_id]["title"], seed=seed + 1).casual)

    return queries


def base_cross_encoder(base_path: Path, folder: Path) -> None:
    """Write a one-logit sequence classifier initialised from a sentence-transformers encoder."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = AutoModelForSequenceClassification.from_pretrained(str(base_path), num_labels=1)
    model.save_pretrained(str(folder))
    AutoTokenizer.from_pretrained(str(base_path)).save_pretrained(str(folder))


def train_reranker(pairs: list[tuple[str, str, float]], base_path: Path, out: Path,
                   options: TrainOptions) -> Path:
    """A plain torch loop (BCE on one logit, AdamW, linear warm-up/decay): no extra dependencies."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    rng = random.Random(options.seed)
    torch.manual_seed(options.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base_cross_encoder(base_path, Path(tmp))
        tokenizer = AutoTokenizer.from_pretrained(tmp)
        model = AutoModelForSequenceClassification.from_pretrained(tmp, num_labels=1)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=options.lr, weight_decay=0.01)
    steps = max(1, options.epochs * ((len(pairs) + options.batch_size - 1) // options.batch_size))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, linear_warmup_decay(steps, max(1, steps // 10)))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    from tqdm import tqdm

    bar = tqdm(total=steps, desc="reranker", unit="step", disable=not options.progress)
    for _ in range(options.epochs):
        order = list(pairs)
        rng.shuffle(order)
        for start in range(0, len(order), options.batch_size):
            batch = order[start:start + options.batch_size]
            enc = tokenizer([q for q, _, _ in batch], [d for _, d, _ in batch], padding=True, truncation=True,
                            max_length=options.max_length, return_tensors="pt")
            logits = model(**enc).logits.squeeze(-1)
            loss = loss_fn(logits, torch.tensor([y for _, _, y in batch], dtype=torch.float32))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.3f}")
    bar.close()
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    meta = {"base": str(base_path.name), "pairs": len(pairs),
            "positives": sum(1 for p in pairs if p[2] > 0.5), "blend": options.blend,
            "max_length": options.max_length, "epochs": options.epochs}
    (out / RERANKER_META).write_text(json.dumps(meta, indent=1))
    return out
