"""Training sets in API Pack's three formats, from the records ``apipack dataset build`` wrote.

Formats (each row carries ``prompt`` and ``completion``; loss goes on the completion only):

- ``simple``: instruction -> output. The prompt is the API-Pack-Model prompt without examples
  (``generation.prompt.build_prompt``; there is one prompt builder), the completion the record's
  ``output`` (``**domain**`` / ``**api_call**`` / ``**api_provider**`` / ``**lang**``).
- ``in-context``: the same prompt with up to three examples from the same API and language,
  best match last, as the model will see them at inference time. "Best" is ranked by word
  overlap with the instruction (a cheap, deterministic stand-in for the retriever); examples come
  from the training records only.
- ``combined``: every record once, half of them (drawn by the seed) in each of the two formats.

Never in a training file: the Level 2 records and every record of a Level 3 API, for every
language the dataset has splits for (an endpoint held out in one language is held out in all: the
index and the test sets are shared). Selection is a seeded shuffle per language, so a 20k set is
inside the 40k set of the same seed. A mixture is N of one language plus M of each other one.
``manifest.json`` lists every file: format, per-language counts, the seed, a hash of the
unique_ids that went in and of the file itself.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from apipack.errors import TrainingError
from generation.prompt import PromptExample, build_prompt

FORMATS: tuple[str, ...] = ("simple", "in-context", "combined")
N_EXAMPLES = 3
RECORDS_NAME = "total_data_cleaned_{lang}.jsonl"
_WORD_RE = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class HeldOut:
    """What training must never see: L2 records' endpoints and L3 APIs, over every language."""

    endpoint_ids: set[str] = field(default_factory=set)
    unique_ids: set[str] = field(default_factory=set)
    api_ids: set[str] = field(default_factory=set)

    def excludes(self, rec: Mapping[str, Any]) -> bool:
        return (rec.get("api_id") in self.api_ids or rec.get("unique_id") in self.unique_ids
                or rec.get("endpoint_id") in self.endpoint_ids)


def held_out(dataset_dir: Path) -> HeldOut:
    """Read every ``splits/<lang>/split.json`` (and the L2 cases' endpoint ids from level2.jsonl)."""
    out = HeldOut()
    splits = sorted((Path(dataset_dir) / "splits").glob("*/split.json"))
    if not splits:
        raise TrainingError(f"{dataset_dir} has no splits/<lang>/split.json: build the dataset with "
                            "`apipack dataset build` first (it writes the L1/L2/L3 splits training must avoid)")
    for path in splits:
        split = orjson.loads(path.read_bytes())
        out.unique_ids.update(split.get("level2", []))
        out.api_ids.update(split.get("level3_apis", []))
        level2 = path.parent / "level2.jsonl"
        if level2.is_file():
            for line in level2.read_bytes().splitlines():
                if line.strip():
                    out.endpoint_ids.add(orjson.loads(line).get("endpoint_id", ""))
    out.endpoint_ids.discard("")
    return out


def dataset_langs(dataset_dir: Path) -> list[str]:
    """Languages with a records file, in name order."""
    names = sorted(Path(dataset_dir).glob(RECORDS_NAME.format(lang="*")))
    return [p.name[len("total_data_cleaned_"):-len(".jsonl")] for p in names]


def training_records(dataset_dir: Path, lang: str, held: HeldOut) -> list[dict[str, Any]]:
    """The records of ``lang`` that training may use, in file order."""
    path = Path(dataset_dir) / RECORDS_NAME.format(lang=lang)
    if not path.is_file():
        raise TrainingError(f"{path} does not exist: build the dataset for {lang} "
                            f"(apipack dataset build SPECS --out {dataset_dir} --langs {lang})")
    out: list[dict[str, Any]] = []
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                rec = orjson.loads(line)
                if not held.excludes(rec):
                    out.append(rec)
    return out


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(text.lower()))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def pick_examples(rec: Mapping[str, Any], same_api: Sequence[Mapping[str, Any]], k: int = N_EXAMPLES
                  ) -> list[Mapping[str, Any]]:
    """Up to ``k`` other records of the same API, best first (word overlap of the instructions,
    ties broken by unique_id so that the pick is deterministic)."""
    words = _words(rec["instruction"])
    others = [o for o in same_api if o["unique_id"] != rec["unique_id"]
              and o.get("endpoint_id") != rec.get("endpoint_id")]
    others.sort(key=lambda o: (-_overlap(words, _words(o["instruction"])), o["unique_id"]))
    return others[:k]


def to_row(rec: Mapping[str, Any], fmt: str, examples: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """One training row: API Pack's fields (instruction, input, output) plus prompt/completion."""
    lang_label = rec["api_call_data"]["lang"]
    prompt = build_prompt(api_description=rec.get("api_description") or "", lang_label=lang_label,
                          request=rec["instruction"],
                          examples=[PromptExample(e["instruction"], e["output"]) for e in examples])
    return {"prompt": prompt, "completion": rec["output"], "format": fmt, "instruction": rec["instruction"],
            "input": rec.get("input", ""), "output": rec["output"], "unique_id": rec["unique_id"],
            "api_id": rec.get("api_id", ""), "lang": rec.get("target") or lang_label,
            "examples": [e["unique_id"] for e in examples]}


def select(records: Sequence[dict[str, Any]], n: int | None, *, seed: int, lang: str) -> list[dict[str, Any]]:
    """The first ``n`` of a seeded shuffle (``None``: all). Nested: a smaller n is a prefix."""
    order = sorted(records, key=lambda r: r["unique_id"])
    random.Random(f"{seed}:export:{lang}").shuffle(order)
    return order if n is None else order[:n]


def rows_for(chosen: Sequence[dict[str, Any]], pool: Sequence[dict[str, Any]], fmt: str, *, seed: int
             ) -> list[dict[str, Any]]:
    """Rows of ``chosen`` records in ``fmt``; in-context examples come from ``pool`` (all training
    records of the language, so that a small set still has three examples per API)."""
    if fmt not in FORMATS:
        raise TrainingError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    by_api: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in pool:
        by_api[rec.get("api_id", "")].append(rec)
    rng = random.Random(f"{seed}:combined")
    rows = []
    for rec in chosen:
        use_examples = fmt == "in-context" or (fmt == "combined" and rng.random() < 0.5)
        if use_examples:
            rows.append(to_row(rec, "in-context", pick_examples(rec, by_api[rec.get("api_id", "")])))
        else:
            rows.append(to_row(rec, "simple"))
    return rows


def _ids_hash(ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]


def write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    ids: list[str] = []
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        for row in rows:
            line = orjson.dumps(row) + b"\n"
            fh.write(line)
            digest.update(line)
            ids.append(row["unique_id"])
    tmp.replace(path)
    return {"rows": len(ids), "sha256": digest.hexdigest(), "unique_ids_sha256": _ids_hash(ids)}


def parse_mix(spec: str) -> dict[str, int]:
    """``python=20000,others=500`` -> {"python": 20000, "others": 500}."""
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        lang, sep, n = part.partition("=")
        if not sep or not n.strip().isdigit():
            raise TrainingError(f"mixture part {part!r} is not LANG=N (e.g. python=20000,others=500)")
        out[lang.strip().lower()] = int(n)
    if not out:
        raise TrainingError("empty mixture; give LANG=N[,LANG=N...,others=M]")
    return out


def file_name(fmt: str, counts: Mapping[str, int | None]) -> str:
    parts = "+".join(f"{lang}-{'all' if n is None else n}" for lang, n in counts.items())
    return f"{fmt}_{parts}.jsonl"


class Exporter:
    """Reads a dataset once and writes any number of training files into ``out_dir``."""

    def __init__(self, dataset_dir: Path, out_dir: Path, *, seed: int = 0) -> None:
        self.dataset_dir = Path(dataset_dir)
        self.out_dir = Path(out_dir)
        self.seed = seed
        self.held = held_out(self.dataset_dir)
        self.langs = dataset_langs(self.dataset_dir)
        self._pools: dict[str, list[dict[str, Any]]] = {}
        self.files: list[dict[str, Any]] = []

    def pool(self, lang: str) -> list[dict[str, Any]]:
        if lang not in self._pools:
            self._pools[lang] = training_records(self.dataset_dir, lang, self.held)
        return self._pools[lang]

    def resolve_mix(self, mix: Mapping[str, int]) -> dict[str, int]:
        """Expand ``others`` into every other language of the dataset."""
        named = {lang: n for lang, n in mix.items() if lang != "others"}
        unknown = [lang for lang in named if lang not in self.langs]
        if unknown:
            raise TrainingError(f"no records for {', '.join(unknown)} in {self.dataset_dir} "
                                f"(it has {', '.join(self.langs) or 'none'})")
        if "others" in mix:
            named.update({lang: mix["others"] for lang in self.langs if lang not in named})
        return named

    def export(self, counts: Mapping[str, int | None], fmt: str) -> dict[str, Any]:
        """One file: ``counts[lang]`` records of each language (None: all), shuffled together."""
        chosen: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        per_lang: dict[str, int] = {}
        for lang, n in counts.items():
            pool = self.pool(lang)
            if not pool:
                raise TrainingError(f"{lang} has no training records left after the held-out splits")
            picked = select(pool, n, seed=self.seed, lang=lang)
            chosen += picked
            per_lang[lang] = len(picked)
            rows += rows_for(picked, pool, fmt, seed=self.seed)
        random.Random(f"{self.seed}:mix").shuffle(rows)
        name = file_name(fmt, counts)
        entry = {"file": name, "format": fmt, "requested": dict(counts), "records": per_lang, "seed": self.seed,
                 "apis": len({r.get("api_id") for r in chosen})}
        entry.update(write_rows(self.out_dir / name, rows))
        self.files.append(entry)
        return entry

    def manifest(self) -> dict[str, Any]:
        return {"dataset": str(self.dataset_dir), "seed": self.seed, "formats": list(FORMATS),
                "held_out": {"level2_records": len(self.held.unique_ids),
                             "level2_endpoints": len(self.held.endpoint_ids),
                             "level3_apis": sorted(self.held.api_ids)},
                "available": {lang: len(self.pool(lang)) for lang in self.langs},
                "files": self.files}

    def write_manifest(self) -> Path:
        path = self.out_dir / "manifest.json"
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(orjson.dumps(self.manifest(), option=orjson.OPT_INDENT_2))
        return path
