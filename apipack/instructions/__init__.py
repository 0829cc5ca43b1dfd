"""Instruction texts per endpoint: API Pack's seeds, our varied templates, an optional LLM rewrite.

``instruction_set(endpoint, api_name, seed=...)`` gives every text for one endpoint; its
``pair(target)`` gives a record's ``instruction`` (indexed) and a different ``instruction_test``
paraphrase. Deterministic for a seed: each endpoint's ``random.Random`` is seeded with its
endpoint id and the seed (string seeds hash the same in every process).
"""

from __future__ import annotations

from dataclasses import dataclass

from apipack.instructions.rewriter import (
    REWRITERS,
    IdentityRewriter,
    InstructionRewriter,
    OpenAICompatibleRewriter,
)
from apipack.instructions.rng import KeyedRandom
from apipack.instructions.seeds import SEED_OPENINGS, seed_instructions
from apipack.instructions.templates import casual_texts, indexed_texts, make_frame, with_language
from apipack.openapi.model import Endpoint

__all__ = ["InstructionSet", "instruction_set", "seed_instructions", "SEED_OPENINGS", "InstructionRewriter",
           "IdentityRewriter", "OpenAICompatibleRewriter", "REWRITERS"]

# Share of test queries that name the language, as requests typed into a portal often do.
LANGUAGE_MENTION_RATE = 0.3


@dataclass(frozen=True, slots=True)
class InstructionSet:
    endpoint_id: str
    seed: int
    seeds: tuple[str, ...]  # API Pack's seed templates that apply (0 to 3)
    indexed: tuple[str, ...]  # full sentences: candidates for `instruction`
    casual: tuple[str, ...]  # developer-style forms: candidates for `instruction_test`
    index_pool: tuple[str, ...]  # candidates for `instruction`: clean seeds, else the full sentences

    def all(self) -> list[str]:
        """Every text, seeds first (the three families hold no text twice)."""
        return [*self.seeds, *self.indexed, *self.casual]

    def rewritten(self, rewriter: InstructionRewriter, context: dict[str, str]) -> InstructionSet:
        """The same set with its full-sentence and casual texts passed through ``rewriter`` (an LLM
        seam); the seeds stay verbatim. Texts a rewrite makes equal are dropped."""
        texts = list(self.indexed) + list(self.casual)
        new = rewriter.rewrite(texts, context) if texts else []
        if len(new) != len(texts):
            raise ValueError(f"the rewriter returned {len(new)} texts for {len(texts)}")
        seen: set[str] = set()
        seeds = _dedup(list(self.seeds), seen)
        indexed = _dedup(new[: len(self.indexed)], seen)
        casual = _dedup(new[len(self.indexed):], seen)
        pool = [s for s in seeds if _clean_enough(s)] or indexed or seeds
        return InstructionSet(endpoint_id=self.endpoint_id, seed=self.seed, seeds=tuple(seeds),
                              indexed=tuple(indexed), casual=tuple(casual), index_pool=tuple(pool))

    def ranked(self) -> list[str]:
        """Every distinct text, the most useful for an index first: a clean seed, then casual and
        full-sentence forms alternating (an index embedding only the first few gets variety)."""
        full = [t for t in self.seeds if _clean_enough(t)] + list(self.indexed)
        mixed: list[str] = []
        for i in range(max(len(full), len(self.casual))):
            mixed.extend(x[i] for x in (full, self.casual) if i < len(x))
        return mixed + [t for t in self.seeds if not _clean_enough(t)]

    def pair(self, target: str | None = None) -> tuple[str, str]:
        """(instruction, instruction_test) for one record; the two always differ.

        The indexed one is a seed when the endpoint has one (API Pack's register), the test one a
        casual form, sometimes naming the target's language. The choice depends on the target too,
        so each language file gets its own paraphrases of an endpoint.
        """
        rng = KeyedRandom(f"{self.endpoint_id}:{self.seed}:{target or ''}")
        pool = self.index_pool
        instruction = pool[rng.randrange(len(pool))] if pool else (self.casual[0] if self.casual else "")
        # the families share no text (instruction_set de-duplicates across them), so any casual
        # form differs from the indexed instruction
        tests = list(self.casual) or [t for t in self.indexed if t != instruction]
        test = tests[rng.randrange(len(tests))] if tests else f"example call: {instruction}"
        if target and rng.random() < LANGUAGE_MENTION_RATE:
            test = with_language(test, target, rng)
        return instruction, test


def instruction_set(endpoint: Endpoint, api_name: str, *, seed: int = 0) -> InstructionSet:
    rng = KeyedRandom(f"{endpoint.endpoint_id}:{seed}")
    seeds = seed_instructions(api_name, endpoint.summary or "", endpoint.description or "",
                              endpoint.operation_id or "", rng)
    frame = make_frame(endpoint, api_name)
    seen: set[str] = set()
    seeds = _dedup(seeds, seen)
    indexed = _dedup(indexed_texts(frame, rng), seen)
    casual = _dedup(casual_texts(frame, rng), seen)
    # a seed made from a long HTML/markdown description is faithful but useless as an index text
    pool = [s for s in seeds if _clean_enough(s)] or indexed or seeds
    return InstructionSet(endpoint_id=endpoint.endpoint_id, seed=seed, seeds=tuple(seeds),
                          indexed=tuple(indexed), casual=tuple(casual), index_pool=tuple(pool))


def _clean_enough(text: str) -> bool:
    return len(text) <= 240 and "\n" not in text and "<" not in text and "`" not in text and "](" not in text


def _norm(text: str) -> str:
    return text.lower().strip(" .?!")


def _dedup(texts: list[str], seen: set[str]) -> list[str]:
    """Texts whose normalised form is not in ``seen`` yet (``seen`` is updated); texts are kept
    as they are (seeds are API Pack's exact templates)."""
    out: list[str] = []
    for t in texts:
        key = _norm(t)
        if key and key not in seen:
            seen.add(key)
            out.append(t)
    return out
