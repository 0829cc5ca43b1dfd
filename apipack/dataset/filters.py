"""API Pack's filters and endpoint de-duplication.

API Pack (step3_1/step3_2 of its pipeline) de-duplicated an API's endpoints, sampled three of
them, built the seed examples ``{API name, functionality, description, endpoint, output}`` and
dropped the whole API when any example had two or more empty fields, three or more non-English
fields, or the API's name contained "Simple " (template specs), or when no example could be made.
We do the same with a seeded sample, and with our own small language detector (API Pack used
langdetect, which calls most operationIds non-English; ours gives identifiers the benefit of the
doubt).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from apipack.instructions.seeds import seed_instructions
from apipack.openapi.model import Endpoint

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PARAM = re.compile(r"\{[^}]*\}")

_ENGLISH = frozenset("""the a an and or of to in for on with by from is are be this that it as at returns return
get list create update delete you your if not all when which will can use used using an its has have was
""".split())
# Frequent function words of the languages specs in the corpus are written in besides English.
_FOREIGN = frozenset("""
der die das und ist nicht mit von zu den dem des ein eine einer eines für auf wird werden oder sich bei nach
le la les et est une un des du pour dans sur avec qui que sont par pas au aux ce cette ou être
el los las y es una por para con del que se al su lo como más son sin sobre esta este
o os as um uma do da dos das em para com não por que ao na no é são
il di che è per una sono nel della dei delle gli con non alla
het een van en de is op te voor met zijn niet dat wordt worden aan bij
""".split()) - _ENGLISH


def is_non_english(text: str) -> bool:
    """True when ``text`` is mostly another language. Fast, no model: a share of non-Latin letters,
    or foreign function words outnumbering English ones. Identifiers and short texts count as English."""
    if not text:
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    non_latin = sum(1 for c in letters if ord(c) > 0x24F)
    if non_latin / len(letters) > 0.3:
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        return False
    en = sum(1 for w in words if w in _ENGLISH)
    foreign = sum(1 for w in words if w in _FOREIGN)
    accented = sum(1 for c in letters if 0xC0 <= ord(c) <= 0x24F)
    if foreign >= 2 and foreign > en:
        return True
    return foreign >= 1 and en == 0 and accented / len(letters) > 0.02


@dataclass(frozen=True, slots=True)
class FilterVerdict:
    keep: bool
    reason: str = ""  # "simple_name", "no_seed_examples", "empty_fields", "non_english"
    detail: str = ""


def dedup_key(endpoint: Endpoint) -> tuple[str, str]:
    """Two endpoints are the same when method and path agree once parameter names are ignored
    (``/pets/{id}`` and ``/pets/{petId}``)."""
    return endpoint.method, _PARAM.sub("{}", endpoint.path.rstrip("/") or "/")


def dedup_endpoints(endpoints: Sequence[Endpoint]) -> tuple[list[Endpoint], int]:
    """The endpoints in order, later duplicates dropped; and how many were dropped."""
    seen: set[tuple[str, str]] = set()
    out: list[Endpoint] = []
    for ep in endpoints:
        key = dedup_key(ep)
        if key in seen:
            continue
        seen.add(key)
        out.append(ep)
    return out, len(endpoints) - len(out)


def check_api(api_name: str, api_id: str, endpoints: Sequence[Endpoint], *, seed: int = 0) -> FilterVerdict:
    """API Pack's API-level filter over a seeded sample of three (de-duplicated) endpoints."""
    if "Simple " in (api_name or ""):
        return FilterVerdict(False, "simple_name", f"name {api_name!r} contains 'Simple '")
    rng = random.Random(f"{api_id}:{seed}:filter")
    # API Pack de-duplicated by operationId when the first endpoint has one, else by path
    key = (lambda e: e.operation_id or "") if endpoints and endpoints[0].operation_id else (lambda e: e.path)
    unique = list({key(e): e for e in endpoints}.values())
    sample = rng.sample(unique, 3) if len(unique) >= 3 else unique
    examples: list[dict[str, str]] = []
    for ep in sample:
        functionality, description, op = ep.summary or "", ep.description or "", ep.operation_id or ""
        for text in seed_instructions(api_name, functionality, description, op, rng):
            examples.append({"API name": api_name, "functionality": functionality, "description": description,
                             "endpoint": op, "output": text})
    if not examples:
        return FilterVerdict(False, "no_seed_examples", "no endpoint has a summary, description or operationId")
    for ex in examples:
        empty = [k for k, v in ex.items() if not v]
        if len(empty) >= 2:
            return FilterVerdict(False, "empty_fields", f"seed fields empty: {', '.join(empty)}")
        foreign = [k for k, v in ex.items() if v and is_non_english(v)]
        if len(foreign) >= 3:
            return FilterVerdict(False, "non_english", f"non-English seed fields: {', '.join(foreign)}")
    return FilterVerdict(True)
