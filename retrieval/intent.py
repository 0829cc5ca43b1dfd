"""What a request asks to do, read from its verbs: a prior over HTTP methods.

"remove the member ..." should prefer DELETE among endpoints that otherwise match equally, "list
..." GET, "create ..." POST. The first action word among the first few content words counts (a
"stripe:" style prefix and "python code to" lead-ins are skipped; a phrasal verb counts as the verb
it means: "get rid of" deletes, "set up" creates); a request that starts with a
noun phrase ("account settings for ...") reads as a GET. The prior is small: it breaks ties, it
does not override the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index_builder.tokens import split_words

VERB_METHODS: dict[str, tuple[str, ...]] = {}
for _verbs, _methods in [
    ("list get show fetch retrieve read view find search look lookup check is are has have which what "
     "pull download watch see count describe return display query who when where whats export "
     "browse inspect print load", ("GET",)),
    ("create add new send submit make start run trigger upload generate compute post invite kick spin "
     "register issue open launch schedule import execute provision book publish rotate translate "
     "convert calculate estimate validate verify analyze analyse detect classify comment reply post tweet "
     "like star follow share invite approve reject accept decline refund capture charge pay transfer "
     "copy clone duplicate restore reset retry resend sync ping notify subscribe join forward "
     "archive pin tag label", ("POST", "PUT")),
    ("update modify edit change rename patch merge append", ("PATCH", "PUT", "POST")),
    ("set replace put enable disable lock unlock upgrade assign attach configure mark move save "
     "store", ("PUT", "POST", "PATCH")),
    ("delete remove drop destroy revoke purge erase unregister detach deprecate cancel stop nuke wipe "
     "clear unsubscribe uninstall terminate discard", ("DELETE", "POST")),
]:
    for _v in _verbs.split():
        VERB_METHODS.setdefault(_v, _methods)

# two-word verbs whose meaning is not their first word's: (verb, particle) -> the verb they mean
PHRASAL_VERBS: dict[tuple[str, str], str] = {
    ("get", "rid"): "delete", ("set", "up"): "create", ("sign", "up"): "register", ("clean", "up"): "delete",
    ("tear", "down"): "delete", ("take", "down"): "delete", ("shut", "down"): "stop", ("turn", "on"): "enable",
    ("turn", "off"): "disable", ("switch", "on"): "enable", ("switch", "off"): "disable",
    ("log", "out"): "revoke", ("sign", "out"): "revoke", ("look", "up"): "find", ("fill", "in"): "update",
    ("put", "back"): "restore", ("hand", "over"): "transfer", ("get", "back"): "restore",
}

# languages and runtimes people name in a request ("python: ...", "twilio node: ...", "in go")
LANGUAGE_WORDS = frozenset("curl libcurl shell bash python python3 java okhttp node nodejs js javascript "
                           "typescript ts go golang ruby php swift ios c".split())
# words before the action that say nothing about it ("python: ...", "how do i ...")
_LEAD = LANGUAGE_WORDS | frozenset("how do does i can we to please code example in using with snippet write "
                                   "want need me a an the quickly just hey ok so now then let us lets i'd "
                                   "i'm id im our my you".split())
_LOOKAHEAD = 3  # content words searched for a verb

# a short label, a colon and a space, then the request: "stripe: ...", "go: ...", "google calendar:
# ..." (not a URL's "https://", not "10:30"); a longer head is a sentence ("create a stripe tax
# rate: 19% VAT in DE")
_LEAD_IN = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s+(?=\S)")
_LEAD_IN_WORDS = 4


def lead_in(query: str) -> tuple[str, str]:
    """(label, the rest) for a request that opens with a label and a colon, else ("", query)."""
    match = _LEAD_IN.match(query)
    if match is None or len(match.group(1).split()) > _LEAD_IN_WORDS:
        return "", query
    return match.group(1), query[match.end():]


def method_prior(query: str) -> dict[str, float]:
    """Method -> prior weight (1.0 for the first choice, less for the others); {} when unsure."""
    _, query = lead_in(query)  # the label says which API or language, not what to do
    seen = 0
    words = split_words(query)
    for pos, word in enumerate(words):
        if word in _LEAD:
            continue
        # a phrasal verb means what its particle makes of it: "get rid of" deletes, "set up" creates
        word = PHRASAL_VERBS.get((word, words[pos + 1] if pos + 1 < len(words) else ""), word)
        methods = VERB_METHODS.get(word)
        if methods:
            return {m: 1.0 / (1 + i) for i, m in enumerate(methods)}
        seen += 1
        if seen >= _LOOKAHEAD:
            break
    return {"GET": 0.5} if seen else {}


_LIST_WORDS = frozenset("list all every several many search enumerate browse".split())
_ITEM_WORDS = frozenset("one single details detail info specific particular".split())


@lru_cache(maxsize=65536)
def is_item_path(path: str) -> bool:
    """Does the path end in a parameter ("/users/{id}", "/bundles/{name}.json"), i.e. address one item?"""
    last = path.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return re.fullmatch(r"\{[^}]+\}(\.\w+)?", last) is not None


def shape_prior(query: str) -> str | None:
    """"collection" when the request asks for many things, "item" for one, else None."""
    words = set(split_words(query))
    if re.search(r"\bby (its )?id\b", query, re.IGNORECASE):  # "get a value list by id": one item
        return "item"
    if words & _LIST_WORDS:
        return "collection"
    if words & _ITEM_WORDS:
        return "item"
    return None
