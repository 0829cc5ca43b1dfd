"""Values the instruction names, and which parameter of the endpoint each one fills.

``extract_mentions`` finds candidate values with their span: key=value pairs, quoted strings,
emails, URLs, dates, UUIDs, "owner/repo" forms, "called X" / "named X", "in region Y", numbers,
and id-like tokens (with a digit, ``-``, ``_`` or ``.``). ``fill_values`` scores each (mention,
slot) pair, a slot being a path / query / header parameter or a top-level body property, by
name (key=value, the slot's name words just before the value), type and format (email, date,
URL, integer, enum) and context words ("region", "called"), then assigns greedily, best first,
each mention and each slot at most once. Only pairs with positive evidence are filled; path
parameters, which would otherwise stay ``{placeholders}``, take the remaining id-like mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from apipack.openapi.model import Endpoint
from generation.types import FilledValue

# Ordered: earlier patterns claim their span first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("keyvalue", re.compile(r"\b([A-Za-z_][\w.-]*)\s*[=:]\s*(\"[^\"]*\"|'[^']*'|[^\s,;]+)")),
    ("named", re.compile(r"\b(?:called|named|titled|labell?ed)\s+(\"[^\"]+\"|'[^']+'|[^\s,;]+)", re.IGNORECASE)),
    ("quoted", re.compile(r"\"([^\"]+)\"|'([^'\s][^']*[^'\s]|[^'\s])'|“([^”]+)”")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("url", re.compile(r"https?://[^\s,;)]+")),
    ("uuid", re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")),
    ("date", re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")),
    ("region", re.compile(r"\bin\s+(?:region\s+)?([a-z]{2}-[a-z]+-\d|[a-z]+(?:us|europe|asia)\d?|"
                          r"(?:east|west|north|south|central)[a-z]*\s?(?:us|europe|asia)?\d?|"
                          r"(?:East|West|North|South|Central) (?:US|Europe|Asia)(?: \d)?)\b")),
    ("pathlike", re.compile(r"(?<![\w:/])(?:/[\w.@-]+){2,}/?|(?<![\w:/])[\w.@-]+(?:/[\w.@-]+){2,}/?|(?<![\w:/])[\w.@-]+/(?=[\s,;]|$)")),
    ("owner_repo", re.compile(r"(?<![\w/])([A-Za-z0-9][\w.-]*)/([A-Za-z0-9][\w.-]*)(?![\w/])")),
    ("list", re.compile(r"(?<![\w,])[\w.-]+(?:,[\w.-]+)+(?![\w,])")),
    ("code", re.compile(r"(?<![\w-])[A-Z]{2,3}(?![\w-])")),
    ("number", re.compile(r"(?<![\w.-])-?\d+(?:\.\d+)?(?![\w.-])")),
    ("id", re.compile(r"(?<![\w@/.:|+!-])#?(?=[\w.:|+!-]*[\d_.:|+!-])[A-Za-z0-9][\w.:|+!-]*[A-Za-z0-9](?![\w@/:|+!-])")),
)
_STOPWORDS = frozenset("""a an the of for to in on at by with from and or me my our your their it its
this that these those is are be all any some new via using use please show tell how do i we you give
get list create make add set update delete remove fetch find check code example api call endpoint""".split())
_EMAILISH = ("email", "mail")
_DATEISH = ("date", "since", "until", "from", "to", "start", "end", "before", "after", "time")
_URLISH = ("url", "uri", "link", "href", "website", "endpoint", "callback")
_NAMEISH = ("name", "title", "label", "displayname", "display_name", "new_name", "text", "summary")
_COUNTISH = ("limit", "count", "max", "size", "per", "page", "results", "top", "first", "last", "n")
_QUERYISH = ("q", "query", "search", "text", "keyword", "keywords", "term", "terms", "filter", "question",
             "prompt", "input", "phrase", "s")
_PATHISH = ("path", "prefix", "key", "file", "filename", "folder", "directory", "dir", "name", "object")
_CODEISH = ("country", "currency", "market", "iata", "code", "locale", "lang", "language", "region", "iso")
_LISTISH = ("ids", "list", "items", "names", "keys", "values", "tags")
# Path parameters of the caller's own scope: people rarely name them, so a bare id goes elsewhere.
_SCOPE = frozenset({"subscriptionid", "accountid", "accountsid", "userid", "tenantid", "organizationid",
                    "apiversion", "projectid", "workspaceid"})
_START = ("from", "between", "since", "after", "starting")
_END = ("to", "and", "until", "till", "before", "through", "ending")
_GENERIC_NAMES = frozenset({"key", "type", "value", "data", "name", "id", "object", "item", "body", "fields"})
_REGIONISH = ("region", "location", "zone", "locationname", "asclocation", "clusterid", "datacenter")


@dataclass(frozen=True, slots=True)
class Mention:
    value: str
    kind: str
    start: int
    end: int
    key: str | None = None  # key of key=value; "owner" / "repo" for the halves of owner/repo


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    location: str  # path | query | header | body
    schema: dict[str, Any]
    required: bool
    position: float = 0.0  # path parameters: 0 for the first in the template .. 1 for the last


def _words(name: str) -> list[str]:
    """``resourceGroupName`` / ``user_email`` / ``X-Request-Id`` -> lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def extract_mentions(instruction: str) -> list[Mention]:
    """Candidate values in ``instruction``, each with the span it came from (non-overlapping)."""
    taken = [False] * len(instruction)
    found: list[Mention] = []

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def claim(m: Mention) -> None:
        found.append(m)
        for i in range(m.start, m.end):
            taken[i] = True

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(instruction):
            if not free(m.start(), m.end()):
                continue
            if kind == "keyvalue":
                if m.group(1).lower() in ("http", "https") or "//" in m.group(2):
                    continue
                claim(Mention(m.group(2).strip("\"'"), kind, m.start(2), m.end(2), key=m.group(1)))
            elif kind == "quoted":
                g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
                claim(Mention(m.group(g), kind, m.start(g), m.end(g)))
            elif kind in ("named", "region"):
                claim(Mention(m.group(1).strip("\"'"), kind, m.start(1), m.end(1)))
            elif kind == "owner_repo":
                if m.group(1).isdigit() or m.group(2).isdigit():  # "3/4" is a fraction, not a repo
                    continue
                found.append(Mention(m.group(1), kind, m.start(1), m.end(1), key="owner"))
                claim(Mention(m.group(2), kind, m.start(2), m.end(2), key="repo"))
                for i in range(m.start(), m.end()):
                    taken[i] = True
            else:
                value = m.group().lstrip("#") if kind == "id" else m.group()
                if kind == "id" and value.lower() in _STOPWORDS:
                    continue
                claim(Mention(value, kind, m.end() - len(value), m.end()))
    return sorted(found, key=lambda x: x.start)


def endpoint_slots(endpoint: Endpoint) -> list[Slot]:
    """Parameters (path, query, header; not cookies) and top-level body properties."""
    in_path = re.findall(r"\{([^{}]+)\}", endpoint.path)
    last = max(1, len(in_path) - 1)

    def position(name: str) -> float:
        return in_path.index(name) / last if name in in_path and len(in_path) > 1 else 1.0

    slots = [Slot(p.name, p.location, p.schema or {}, p.required, position(p.name) if p.location == "path" else 0.0)
             for p in endpoint.parameters if p.location in ("path", "query", "header", "formData")]
    body = endpoint.request_body
    if body is not None:
        props = body.schema.get("properties") or {}
        for name in body.properties:
            schema = props.get(name) if isinstance(props.get(name), dict) else {}
            if schema.get("readOnly"):
                continue
            slots.append(Slot(name, "body", schema, name in body.required_properties))
    return slots


def _preceding_words(instruction: str, start: int, n: int = 2) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", instruction[:start])[-n:]]


def _following_words(instruction: str, end: int, n: int = 1) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", instruction[end:])[:n]]


def _type_ok(mention: Mention, schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return mention.kind in ("number", "keyvalue") and re.fullmatch(r"-?\d+(\.\d+)?", mention.value) is not None
    if kind == "boolean":
        return mention.value.lower() in ("true", "false")
    if kind in ("object",):
        return False
    items = schema.get("items")
    if kind == "array" and isinstance(items, dict) and items.get("enum"):
        allowed = {str(e).lower() for e in items["enum"]}
        return all(part.strip().lower() in allowed for part in mention.value.split(","))
    enum = schema.get("enum")
    if enum and mention.value.lower() not in {str(e).lower() for e in enum}:
        return False
    return True


def _score(mention: Mention, slot: Slot, instruction: str) -> float:
    if not _type_ok(mention, slot.schema):
        return 0.0
    words = _words(slot.name)
    norm = _norm(slot.name)
    fmt = str(slot.schema.get("format", "")).lower()
    score = 0.0
    if mention.key is not None and mention.kind == "keyvalue":
        return 20.0 if _norm(mention.key) == norm else 0.0
    if mention.kind == "owner_repo":
        return 15.0 if norm == mention.key or norm == f"{mention.key}name" else 0.0
    before = _preceding_words(instruction, mention.start)
    significant = [w for w in words if len(w) > 2 and w not in ("id", "ids", "the", "name")]
    after = _following_words(instruction, mention.end)
    if significant and any(w in before for w in significant):
        score += 6.0 + (2.0 if before and before[-1] in significant else 0.0)
    elif significant and any(w.startswith(a) or a.startswith(w) for w in significant for a in after if len(a) > 2):
        score += 6.0  # "150 dpi", "300 seconds"
    elif slot.location == "path" and mention.kind in ("uuid", "id", "number") and norm not in _SCOPE:
        # a bare id most likely names the path's last (most specific) resource
        score += 0.5 * slot.position
    if slot.schema.get("enum") and mention.value.lower() in {str(e).lower() for e in slot.schema["enum"]}:
        score += 5.0
    if mention.kind in ("quoted", "url") and (norm in _QUERYISH or words[-1] in _QUERYISH):
        score += 3.0
    if mention.kind == "email":
        score += 5.0 if (fmt == "email" or any(w in _EMAILISH for w in words)) else -3.0
    elif mention.kind == "date":
        if not (fmt.startswith("date") or any(w in _DATEISH for w in words)):
            return 0.0
        score += 3.0
        if before and before[-1] in _START and any(w in _START + ("start", "begin", "min") for w in words):
            score += 3.0
        if before and before[-1] in _END and any(w in _END + ("end", "stop", "max") for w in words):
            score += 3.0
    elif mention.kind == "url":
        score += 4.0 if (fmt in ("uri", "url") or any(w in _URLISH for w in words)) else 0.0
    elif mention.kind == "pathlike":
        score += 4.0 if any(w in _PATHISH for w in words) else 0.0
    elif mention.kind == "named":
        score += 6.0 if (norm in _NAMEISH or words[-1] in ("name", "title")) else 0.0
    elif mention.kind == "region":
        score += 6.0 if any(w in _REGIONISH or norm in _REGIONISH for w in words) else 0.0
    elif mention.kind in ("uuid", "id", "number") and slot.location == "path" and words[-1] in ("id", "ids", "sid"):
        score += 1.5
    elif mention.kind in ("uuid", "id") and (words[-1] in ("id", "ids", "key", "sid") or slot.location == "path"):
        score += 1.0
    elif mention.kind == "number" and slot.schema.get("type") in ("integer", "number"):
        score += 2.0 if any(w in _COUNTISH for w in words) else 1.0
    elif mention.kind == "keyword":
        score += 7.0 if mention.key == slot.name else 0.0
    if mention.kind == "code":
        score += 4.0 if any(w in _CODEISH for w in words) else -2.0
    elif mention.kind == "list":
        score += 4.0 if (slot.schema.get("type") == "array" or any(w in _LISTISH for w in words)) else 0.0
    if slot.location == "path" and norm not in _SCOPE:
        score += 0.5  # a path parameter left empty breaks the call; prefer filling it
    return score


def _slot_keyed_mentions(instruction: str, slots: list[Slot], mentions: list[Mention]) -> list[Mention]:
    """Plain words that only make sense for one slot: an enum value of a slot ("pdf" for ``format``),
    or the word right after the slot's own name ("project acme" for ``project``)."""
    taken = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []

    def add(value: str, start: int, end: int, key: str) -> None:
        if value.lower() in _STOPWORDS or any(a < end and start < b for a, b in taken):
            return
        extra.append(Mention(value, "keyword", start, end, key=key))
        taken.append((start, end))

    # a substring test first: most options and names are not in the instruction, and a regex
    # built per option would be compiled anew (a spec's enums overflow re's pattern cache)
    lowered = instruction.lower()
    for slot in slots:
        for option in slot.schema.get("enum") or ():
            # two-letter options ("id", "us") are ordinary words too often to count on their own
            if isinstance(option, str) and len(option) > 2 and option.lower() in lowered:
                m = re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", instruction, re.IGNORECASE)
                if m:
                    add(m.group(), m.start(), m.end(), slot.name)
        name = slot.name.lower()
        if len(name) > 2 and name in lowered and name not in _STOPWORDS and slot.location in ("path", "query", "body"):
            m = re.search(rf"\b{re.escape(name)}\s+([A-Za-z][\w.-]*)", instruction, re.IGNORECASE)
            # not after generic names: "key pair" is prose, "tag welcome" a value
            if m and (name not in _GENERIC_NAMES or re.search(r"[\d_.-]", m.group(1))):
                add(m.group(1), m.start(1), m.end(1), slot.name)
    return extra


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    if kind == "number" and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value) if "." in value else int(value)
    if kind == "boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def fill_values(instruction: str, endpoint: Endpoint, *, min_score: float = 2.0) -> list[FilledValue]:
    """Which of the instruction's values go into which parameters of ``endpoint``."""
    mentions = extract_mentions(instruction)
    slots = endpoint_slots(endpoint)
    mentions += _slot_keyed_mentions(instruction, slots, mentions)
    pairs: list[tuple[float, int, int]] = []
    for mi, mention in enumerate(mentions):
        for si, slot in enumerate(slots):
            score = _score(mention, slot, instruction)
            threshold = 1.0 if slot.location == "path" and mention.kind in ("uuid", "id", "number", "quoted") else min_score
            if score >= threshold:
                pairs.append((score, mi, si))
    pairs.sort(key=lambda t: (-t[0], mentions[t[1]].start, t[2]))
    used_m: set[int] = set()
    used_s: set[int] = set()
    filled: list[FilledValue] = []
    for _, mi, si in pairs:
        if mi in used_m or si in used_s:
            continue
        used_m.add(mi)
        used_s.add(si)
        mention, slot = mentions[mi], slots[si]
        filled.append(FilledValue(name=slot.name, location=slot.location,
                                  value=_coerce(mention.value, slot.schema),
                                  source=instruction[mention.start:mention.end]))
    order = {id(s): i for i, s in enumerate(slots)}
    by_name = {(s.name, s.location): s for s in slots}
    filled.sort(key=lambda f: order[id(by_name[(f.name, f.location)])])
    return filled
