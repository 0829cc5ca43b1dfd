"""A BERT encoder's forward pass written out in plain torch calls, for one request's query.

sentence-transformers and transformers wrap each of MiniLM's ~100 modules in hooks, output
records and deprecation shims: on one short query that Python overhead was ~1.7 ms of a ~4.5 ms
encode (the int8 matrix products themselves ~1.9 ms). This walks the same modules (the same
quantised Linear layers, LayerNorms and embeddings, so the same weights and kernels) in the
order ``transformers.models.bert.modeling_bert`` applies them, then mean-pools and normalises as
the model's Pooling and Normalize modules do. ``BertForward.of(model)`` returns None for any
model it does not describe (another architecture, another pooling), which then runs as usual.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.nn import functional


class BertForward:
    def __init__(self, bert: Any) -> None:
        self.emb = bert.embeddings
        self.layers = list(bert.encoder.layer)
        cfg = bert.config
        self.heads = cfg.num_attention_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads
        self.scale = self.layers[0].attention.self.scaling if hasattr(self.layers[0].attention.self, "scaling") \
            else self.head_dim ** -0.5

    @classmethod
    def of(cls, model: Any) -> BertForward | None:
        """The fast path for a SentenceTransformer of BERT + mean pooling (+ Normalize), else None."""
        try:
            modules = list(model)
            bert = modules[0].auto_model
            cfg = bert.config
            pooling = modules[1]
        except (AttributeError, IndexError, TypeError):
            return None
        fits = (type(bert).__name__ == "BertModel" and cfg.hidden_act == "gelu"
                and getattr(cfg, "position_embedding_type", "absolute") == "absolute"
                and getattr(pooling, "pooling_mode", None) == "mean"
                and all(type(m).__name__ in ("Transformer", "Pooling", "Normalize") for m in modules))
        return cls(bert) if fits else None

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                 token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """L2-normalised mean-pooled sentence vectors, (batch, hidden)."""
        batch, length = input_ids.shape
        emb = self.emb
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        h = emb.word_embeddings(input_ids) + emb.token_type_embeddings(token_type_ids)
        h += emb.position_embeddings(torch.arange(length).unsqueeze(0))
        h = emb.LayerNorm(h)
        # no mask when nothing is padded (one query): transformers then passes none to SDPA either
        mask = None if bool(attention_mask.all()) else attention_mask[:, None, None, :].bool()
        for layer in self.layers:
            att = layer.attention
            q, k, v = (lin(h).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
                       for lin in (att.self.query, att.self.key, att.self.value))
            ctx = functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=0.0, scale=self.scale)
            ctx = ctx.transpose(1, 2).reshape(batch, length, self.heads * self.head_dim)
            a = att.output.LayerNorm(att.output.dense(ctx) + h)
            inner = functional.gelu(layer.intermediate.dense(a))
            h = layer.output.LayerNorm(layer.output.dense(inner) + a)
        weights = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * weights).sum(1) / torch.clamp(weights.sum(1), min=1e-9)
        return functional.normalize(pooled, p=2, dim=1)
