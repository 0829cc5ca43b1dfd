"""Varied instruction texts for one endpoint, beyond API Pack's seeds.

Two families: ``indexed`` (full sentences in the seeds' register: what goes in a record's
``instruction``) and ``casual`` (short developer-style requests: "list stripe customers",
"get pet by id petstore", "go: delete bucket object"), the pool ``instruction_test`` is drawn
from. Texts come from the method's verbs, the path's nouns, the operationId split into words, the
summary turned imperative, tags and parameter names, with and without the API's name. Every choice
goes through the caller's ``random.Random``, so a seed fixes the output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from apipack.instructions.rng import KeyedRandom
from apipack.instructions.words import (
    VERBS,
    api_short_names,
    clean_prose,
    collapse_repeats,
    imperative,
    operation_phrase,
    param_words,
    plural,
    resource_words,
    singular,
    split_identifier,
    starts_with_verb,
)
from apipack.openapi.model import Endpoint

# Verb families by intent; the first is the plain form.
INTENT_VERBS: dict[str, tuple[str, ...]] = {
    "list": ("list", "list all", "get all", "show", "fetch", "retrieve", "get", "enumerate", "pull"),
    "get": ("get", "fetch", "retrieve", "show", "look up", "read", "view", "pull"),
    "create": ("create", "add", "make", "submit", "register", "set up", "post"),
    "update": ("update", "modify", "change", "edit", "set"),
    "replace": ("update", "replace", "set", "overwrite", "change"),
    "delete": ("delete", "remove", "drop", "get rid of", "erase"),
    "head": ("check", "check if there is", "test for"),
}
_METHOD_INTENT = {"POST": "create", "PUT": "replace", "PATCH": "update", "DELETE": "delete", "HEAD": "head",
                  "OPTIONS": "get"}
_VERB_INTENT = {"get": None, "list": "list", "fetch": None, "retrieve": None, "read": None, "show": None,
                "create": "create", "add": "create", "post": "create", "insert": "create",
                "update": "update", "patch": "update", "modify": "update", "edit": "update", "change": "update",
                "put": "replace", "replace": "replace", "set": "replace", "upsert": "replace",
                "delete": "delete", "remove": "delete", "drop": "delete", "purge": "delete"}
# Words that are verbs and also common resource nouns: a path segment alone does not make them actions.
_NOUNISH = frozenset({"order", "book", "label", "tag", "track", "request", "transfer", "test", "charge", "batch",
                      "count", "export", "import", "refund", "vote", "share", "watch", "pin", "star", "like",
                      "block", "capture", "ping", "status", "list", "query", "change", "lookup", "match",
                      "bulk", "post", "get", "put", "patch", "delete", "set", "follow"})

LANG_WORDS: dict[str, tuple[str, ...]] = {
    "curl": ("curl",), "python": ("python", "py"), "java": ("java", "okhttp"), "node": ("node", "nodejs"),
    "go": ("go", "golang"), "ruby": ("ruby",), "php": ("php",), "swift": ("swift", "ios"),
    "libcurl": ("libcurl", "c"), "javascript": ("javascript", "js"),
}


@dataclass(frozen=True, slots=True)
class Frame:
    """What the templates fill in, worked out once per endpoint."""

    intent: str
    verb: str  # the operation's own verb when it has one ("invalidate", "failover"), else the intent's
    objects: tuple[str, ...]  # object phrases, best first ("customer", "access token")
    parent: str  # "repo" in /repos/{owner}/{repo}/issues
    is_item: bool
    summary: str  # imperative, lower case
    description: str  # imperative, lower case
    op_words: str  # operationId split into words
    tags: tuple[str, ...]
    params: tuple[str, ...]  # required parameter names as words, path first
    names: tuple[str, ...]  # the API's short names ("stripe", "aws s3")
    title: str


def make_frame(endpoint: Endpoint, api_name: str) -> Frame:
    obj, parent, is_item = resource_words(endpoint.path)
    op_verb, op_obj = operation_phrase(endpoint.operation_id)
    verb = ""
    # the path's last static segment is an action ("/issues/{n}/lock", "/failover")
    if obj and len(obj) == 1 and obj[0] in VERBS and obj[0] not in _NOUNISH:
        verb, obj = obj[0], parent
        parent = []
    if not verb and op_verb and op_verb not in ("get", "list", "create", "update", "delete", "post", "put",
                                                "patch", "retrieve", "fetch", "read", "add", "remove", "set"):
        verb = op_verb
    intent = _intent(endpoint.method, op_verb, is_item)
    if obj and verb and obj[0] == verb:
        obj = obj[1:]  # "/reset-error-count" with operation "reset": the object is "error count"
    if obj and intent in ("create", "update", "replace", "delete", "get", "head"):
        obj = obj[:-1] + [singular(obj[-1])]  # one thing is created, changed or removed
    if op_obj and intent in ("create", "update", "replace", "delete", "get", "head"):
        op_obj = op_obj[:-1] + [singular(op_obj[-1])]
    objects: list[str] = []
    path_obj = " ".join(obj)
    if intent == "list" and obj:
        path_obj = " ".join(obj[:-1] + [plural(obj[-1])])
    if path_obj:
        objects.append(path_obj)
    op_text = " ".join(collapse_repeats(op_obj))
    if op_text and op_text != path_obj and len(op_obj) <= 7:
        objects.append(op_text)
    if not objects:
        objects.append(" ".join(parent) if parent or verb else "resource")
    params = tuple(param_words(p.name) for p in sorted(endpoint.required_parameters(),
                                                       key=lambda p: p.location != "path")
                   if p.location in ("path", "query"))
    default_verb = INTENT_VERBS[intent][0]
    summary = _as_action(imperative(clean_prose(endpoint.summary)), default_verb)
    description = imperative(clean_prose(endpoint.description, max_words=18))
    if not starts_with_verb(description):
        description = ""  # "by default, the token ..." reads badly after "I want to"
    names = tuple(api_short_names(api_name, endpoint.api_id))
    title = api_name[4:] if api_name.lower().startswith("the ") else api_name
    return Frame(intent=intent, verb=verb or INTENT_VERBS[intent][0], objects=tuple(objects),
                 parent=" ".join(parent), is_item=is_item, summary=summary, description=description,
                 op_words=" ".join(split_identifier(endpoint.operation_id or "")),
                 tags=tuple(t if " " in t else " ".join(split_identifier(t)) for t in endpoint.tags[:2]
                            if t and len(t) < 40 and not re.search(r"\d{4}", t) and t.lower() not in names),
                 params=params[:3], names=names, title=title)


def _as_action(phrase: str, default_verb: str) -> str:
    """Summaries that are noun phrases ("Account details") get the intent's verb in front."""
    if not phrase or starts_with_verb(phrase):
        return phrase
    return f"{default_verb} {phrase}"


def _intent(method: str, op_verb: str, is_item: bool) -> str:
    from_verb = _VERB_INTENT.get(op_verb)
    if from_verb and not (op_verb in ("post", "put", "patch") and method == op_verb.upper()):
        return from_verb  # "PostTaxRatesTaxRate" names the method, not what it does
    if method == "POST" and is_item:
        return "update"  # POST on an item (Stripe and others) changes it
    if method == "GET":
        return "get" if is_item else "list"
    return _METHOD_INTENT.get(method, "get")


def _verb(frame: Frame, rng: KeyedRandom) -> str:
    if frame.verb not in INTENT_VERBS[frame.intent] and frame.verb != INTENT_VERBS[frame.intent][0]:
        return frame.verb  # the operation's own action verb: keep it, it is what people say
    return rng.choice(INTENT_VERBS[frame.intent])


def indexed_texts(frame: Frame, rng: KeyedRandom) -> list[str]:
    """Full sentences naming the API, in the register of API Pack's instructions."""
    title = frame.title or (frame.names[0] if frame.names else "the API")
    obj = frame.objects[0]
    v = _verb(frame, rng)
    out = [f"{v.capitalize()} {_a(obj, frame)} with the {title}."]
    if frame.summary:
        out.append(f"How do I {frame.summary} with the {title}?")
        out.append(f"Show me how to {frame.summary} using the {title}.")
    if frame.description and frame.description != frame.summary:
        out.append(f"I want to {frame.description} with the {title}.")
    if frame.parent:
        out.append(f"{v.capitalize()} {_a(obj, frame)} of {_article(frame.parent)} with the {title}.")
    if frame.params:
        out.append(f"{v.capitalize()} {_a(obj, frame)} given its {_join(frame.params)} with the {title}.")
    if frame.op_words:
        out.append(f"Write the call that does {frame.op_words} in the {title}.")
    if frame.tags:
        out.append(f"In the {frame.tags[0]} part of the {title}, {v} {_a(obj, frame)}.")
    return _tidy(out)


def casual_texts(frame: Frame, rng: KeyedRandom) -> list[str]:
    """Short requests as developers type them, with and without the API's short name."""
    out: list[str] = []
    names = frame.names or ("api",)
    for obj in frame.objects:
        v = _verb(frame, rng)
        name = rng.choice(names)
        out.append(f"{v} {obj}")
        out.append(f"{v} {name} {obj}")
        out.append(f"{name}: {v} {obj}")
        out.append(f"{v} {obj} in {name}")
        if frame.is_item and frame.params:
            out.append(f"{v} {obj} by {frame.params[0]} {name}")
        if frame.parent:
            out.append(f"{v} {obj} for {_article(frame.parent)}")
            out.append(f"{name} {v} {obj} of {frame.parent}")
        if len(frame.params) > 1:
            out.append(f"{v} {obj} with {_join(frame.params)}")
    if frame.summary:
        name = rng.choice(names)
        out.append(frame.summary)
        out.append(f"{frame.summary} {name}")
        out.append(f"how do i {frame.summary} with {name}")
        out.append(f"{name}: {frame.summary}")
    if frame.description and frame.description != frame.summary and len(frame.description.split()) <= 14:
        out.append(f"i need to {frame.description}")
    if frame.op_words:
        out.append(f"{frame.op_words} {rng.choice(names)}")
    if frame.tags and frame.tags[0].lower() not in frame.objects[0]:
        out.append(f"{frame.tags[0].lower()}: {_verb(frame, rng)} {frame.objects[0]}")
    return _tidy(out)


def with_language(text: str, target: str, rng: KeyedRandom) -> str:
    """Name the language the way requests do: "go: ...", "... in python", "php code to ..."."""
    word = rng.choice(LANG_WORDS.get(target, (target,)))
    form = rng.randrange(3)
    if ":" in text or text.startswith(("how ", "i ")):
        form = 1  # "go: stripe: ..." and "go code to i need to ..." read wrong
    if form == 0:
        return f"{word}: {text}"
    if form == 1:
        return f"{text} in {word}"
    return f"{word} code to {text}"


def _a(obj: str, frame: Frame) -> str:
    if not obj:
        return ""
    return f"the {obj}" if frame.intent == "list" else _article(obj)


def _article(noun: str) -> str:
    if not noun:
        return ""
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _tidy(texts: list[str]) -> list[str]:
    """Whitespace folded and dangling words gone when a slot was empty ("logout  in x")."""
    out = []
    for t in texts:
        if "  " in t or t.startswith(" ") or t.endswith(" "):  # only when a slot was empty
            t = " ".join(t.split()).replace(" .", ".").replace(" ?", "?").replace(" ,", ",")
        if t and not t.endswith((" in", " for", " by", " of", " with", ":")):
            out.append(t)
    return out


def _join(words: tuple[str, ...]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]
