"""The API-Pack-Model prompt (DESIGN.md, "The API-Pack-Model prompt"), byte for byte, and the
truncation of the API description to 512 tokens.

The released model is CodeLlama-13B, so its description budget is in Llama tokens. No Llama
tokenizer ships offline here, so the default ``ApproxLlamaTokenizer`` approximates SentencePiece on
English/code text: a run of letters costs one token per 5 letters (rounded up; common words are
one token), every digit one token (Llama splits numbers into digits), every other non-space
character one token, a newline one token, other whitespace nothing (SentencePiece folds a space
into the next piece). Any object with ``truncate(text, max_tokens)`` can replace it (the llamacpp
backend passes its model's own tokenizer).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

DESCRIPTION_MAX_TOKENS = 512

_PIECE_RE = re.compile(r"[A-Za-z]+|\d|\n|[^\sA-Za-z\d]| +|\s")


class Tokenizer(Protocol):
    def truncate(self, text: str, max_tokens: int) -> str: ...


class ApproxLlamaTokenizer:
    """Counts and truncates by an approximation of Llama's SentencePiece (see the module doc)."""

    @staticmethod
    def _cost(piece: str) -> int:
        if piece[0].isalpha():
            return math.ceil(len(piece) / 5)
        if piece == "\n":
            return 1
        return 0 if piece.isspace() else 1

    def count(self, text: str) -> int:
        return sum(self._cost(m.group()) for m in _PIECE_RE.finditer(text))

    def truncate(self, text: str, max_tokens: int) -> str:
        used = 0
        for m in _PIECE_RE.finditer(text):
            piece = m.group()
            cost = self._cost(piece)
            if used + cost > max_tokens:
                if piece[0].isalpha() and used < max_tokens:  # keep the letters that still fit
                    return text[:m.start() + 5 * (max_tokens - used)]
                return text[:m.start()].rstrip()
            used += cost
        return text


@dataclass(frozen=True, slots=True)
class PromptExample:
    instruction: str
    output: str  # in the records' output layout (apipack.dataset.records.format_output)


def build_prompt(*, api_description: str, lang_label: str, request: str,
                 examples: Sequence[PromptExample] = (), tokenizer: Tokenizer | None = None,
                 description_max_tokens: int = DESCRIPTION_MAX_TOKENS) -> str:
    """The prompt string. ``examples`` come best first (as retrieval ranks them); the prompt lists
    them best last, as API Pack did."""
    description = (tokenizer or ApproxLlamaTokenizer()).truncate(api_description or "", description_max_tokens)
    parts = [f"**api_description**:{description}\n**lang**:{lang_label}\n\n"]
    if examples:
        parts.append("Given the following examples:\n\n")
        for example in reversed(list(examples)):
            parts.append(f"**instruction**\n{example.instruction}\n**output**\n{example.output}\n\n")
    parts.append(f"Your actual task:\n**instruction**\n{request}\n**output**\n\n### ASSISTANT:\n")
    return "".join(parts)
