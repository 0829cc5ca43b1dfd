"""The paper's test levels, per language, deterministic for a seed (DESIGN.md, Filters and test levels).

- Level 3 (unseen API): APIs drawn at random; all their records leave the training set, up to
  ``per_api_l3`` of each become test cases (those leave the retrieval index; the API's other
  endpoints stay in the pool, as API Pack retrieves examples from the same API).
- Level 2 (seen API, unseen endpoint): among the other APIs with more than 3 records, one record
  each, removed from the index and from training.
- Level 1 (seen API, seen endpoint): records of the remaining APIs; they stay in the index.

Each level has up to ``max_cases`` cases and is queried with ``instruction_test``. Level 3 takes
at most ``l3_api_share`` of the APIs so that most stay seen.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

LEVEL_FILES: dict[str, str] = {"L1": "level1.jsonl", "L2": "level2.jsonl", "L3": "level3.jsonl"}


@dataclass(slots=True)
class Split:
    lang: str
    l1: list[str] = field(default_factory=list)  # unique_ids
    l2: list[str] = field(default_factory=list)
    l3: list[str] = field(default_factory=list)
    l3_apis: list[str] = field(default_factory=list)

    @property
    def index_excluded(self) -> set[str]:
        """Records the retrieval index must not hold: the L2 and L3 test cases."""
        return set(self.l2) | set(self.l3)

    def in_index(self, unique_id: str) -> bool:
        return unique_id not in self.index_excluded

    def in_training(self, unique_id: str, api_id: str) -> bool:
        """Training leaves out the L2 records and every record of an L3 API."""
        return api_id not in set(self.l3_apis) and unique_id not in set(self.l2)

    def to_dict(self) -> dict[str, object]:
        return {"lang": self.lang, "level1": self.l1, "level2": self.l2, "level3": self.l3,
                "level3_apis": self.l3_apis, "index_excluded": sorted(self.index_excluded)}


def make_split(lang: str, records_by_api: Mapping[str, Sequence[str]], *, seed: int = 0, max_cases: int = 1000,
               per_api_l3: int = 3, l3_api_share: float = 0.1) -> Split:
    """``records_by_api``: api_id -> its records' unique_ids (any order; sorted here for determinism)."""
    rng = random.Random(f"{seed}:splits")  # same draw for every language with the same records
    apis = sorted(a for a, ids in records_by_api.items() if ids)
    rng.shuffle(apis)
    split = Split(lang=lang)
    max_l3_apis = max(1, int(len(apis) * l3_api_share)) if len(apis) >= 3 else 0
    taken: set[str] = set()
    for api in apis:
        if len(split.l3) >= max_cases or len(split.l3_apis) >= max_l3_apis:
            break
        ids = sorted(records_by_api[api])
        picks = rng.sample(ids, min(per_api_l3, len(ids), max_cases - len(split.l3)))
        split.l3_apis.append(api)
        split.l3.extend(picks)
        taken.add(api)
    seen_apis = [a for a in apis if a not in taken]
    for api in seen_apis:
        if len(split.l2) >= max_cases:
            break
        ids = sorted(records_by_api[api])
        if len(ids) > 3:
            split.l2.append(ids[rng.randrange(len(ids))])
    l2 = set(split.l2)
    pool = [uid for api in sorted(seen_apis) for uid in sorted(records_by_api[api]) if uid not in l2]
    split.l1 = sorted(rng.sample(pool, min(max_cases, len(pool))))
    return split


def level_path(dataset_dir: Path, lang: str, level: str) -> Path:
    """Where ``apipack dataset build`` writes a level's cases: ``splits/<lang>/level<N>.jsonl``."""
    return Path(dataset_dir) / "splits" / lang / LEVEL_FILES[level.upper()]


def read_level(dataset_dir: Path, lang: str, level: str) -> Iterator[dict[str, Any]]:
    """The test records of one level and language (full records; query them with instruction_test)."""
    with open(level_path(dataset_dir, lang, level), "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)
