"""The texts indexed for each endpoint and each API.

Dense text: short (the embedder's cost grows with length) and close to how a person names the
operation: API title, summary (or the description's first sentence), the operationId split into
words, method and the path's words. Lexical text: the same plus tags, parameter names, the start
of the description and the method's usual verbs, with the most telling fields repeated (a cheap
field weight for BM25). API text: title, provider, the id's words and the description's start,
used to find the API when the query does not name it.
"""

from __future__ import annotations

import re

from apipack.openapi.model import ApiSpec, Endpoint
from index_builder.tokens import split_words, tokenize

_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")

# Verbs people use for each method: lets BM25 prefer DELETE for "remove ..." inside one API.
METHOD_VERBS: dict[str, str] = {
    "GET": "get list show fetch retrieve read view find",
    "POST": "create add new send submit post make start run",
    "PUT": "update replace set put change",
    "PATCH": "update modify patch change edit",
    "DELETE": "delete remove drop destroy revoke",
    "HEAD": "check exists head",
    "OPTIONS": "options",
}


def clean(text: str, limit: int) -> str:
    """Markup stripped, whitespace folded, cut at ``limit`` characters on a word boundary."""
    text = " ".join(_TAG.sub(" ", text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0]


def first_sentence(text: str, limit: int = 160) -> str:
    text = clean(text, 400)
    return clean(_SENTENCE_END.split(text, maxsplit=1)[0], limit)


def path_words(path: str) -> str:
    """"/v1/customers/{customer}/tax_ids" -> "customers customer tax ids" (version parts dropped)."""
    words: list[str] = []
    for seg in re.split(r"[/#?&=.]", path):
        seg = seg.strip("{}")
        if not seg or re.fullmatch(r"v\d+(\w*)?|\d[\d.-]*", seg, re.I):
            continue
        words.extend(split_words(seg))
    return " ".join(words)


def operation_words(operation_id: str | None) -> str:
    return " ".join(split_words(operation_id or ""))


def endpoint_name(ep: Endpoint) -> str:
    """What the endpoint does, in words: summary, else the description's start, else operationId."""
    return clean(ep.summary, 160) or first_sentence(ep.description) or operation_words(ep.operation_id)


def dense_text(ep: Endpoint, api_title: str) -> str:
    parts = [f"{clean(api_title, 60)}:", endpoint_name(ep)]
    op = operation_words(ep.operation_id)
    if op and op not in parts[1].lower():
        parts.append(f"({op})")
    parts.append(f"{ep.method.lower()} {path_words(ep.path)}")
    return " ".join(p for p in parts if p)[:300]


def shape_words(ep: Endpoint) -> str:
    """Words for the path's shape: a collection ("list all") or one item ("one single by id")."""
    last = ep.path.rstrip("/").rsplit("/", 1)[-1]
    item = last.startswith("{") and last.endswith("}")
    if ep.method == "GET":
        return "one single details by id" if item else "list all"
    return "one by id" if item else ""


def lexical_text(ep: Endpoint, api: ApiSpec) -> str:
    name = endpoint_name(ep)
    op = operation_words(ep.operation_id)
    pw = path_words(ep.path)
    params = " ".join(p.name for p in ep.parameters)
    body = " ".join(ep.request_body.properties[:20]) if ep.request_body else ""
    return " ".join([
        name, name, op, op, pw, pw, " ".join(ep.tags), params, body,
        METHOD_VERBS.get(ep.method, ""), clean(ep.description, 300),
    ])


def api_text(api: ApiSpec) -> str:
    """Text that names an API: used both densely and lexically for API detection."""
    return api_text_of(api.api_id, api.title, api.provider, api.description)


def api_text_of(api_id: str, title: str, provider: str, description: str) -> str:
    id_words = " ".join(split_words(api_id.replace(".com", " ").replace(".io", " ")))
    return " ".join(p for p in [clean(title, 100), provider, id_words, brand_words(provider or api_id),
                                first_sentence(description, 200)] if p)


# hosts that join a brand to a word for "API" or "web services": googleapis.com, amazonaws.com,
# hubapi.com, postmarkapp.com (a quarter of the corpus's APIs are googleapis or amazonaws)
_HOST_SUFFIXES = ("apis", "api", "aws", "app")


def brand_words(provider: str) -> str:
    """The brand inside a provider's host name, as requests say it: "google apis" for googleapis.com
    ("google calendar: ..."; many Google specs' titles omit the name), "amazon aws" for amazonaws.com."""
    label = provider.split(".")[0].lower()
    for suffix in _HOST_SUFFIXES:
        stem = label[: -len(suffix)].rstrip("-")
        if label.endswith(suffix) and len(stem) >= 3:
            return f"{stem} {suffix}"
    return ""


def api_names(api: ApiSpec) -> list[str]:
    """Lower-case names a request may use for this API: title, provider's brand, id service part."""
    names = {clean(api.title, 100).lower()}
    brand = api.provider.split(".")[0] if api.provider else api.api_id.split("/")[0].split(".")[0]
    names.add(brand.lower())
    if "/" in api.api_id:
        names.add(api.api_id.split("/", 1)[1].replace("_", " ").replace("-", " ").lower())
    return sorted(n for n in names if n)


def seed_instruction(ep: Endpoint, api_title: str) -> str:
    """The instruction stored for an endpoint when no records are given (API Pack's first seed)."""
    name = endpoint_name(ep)
    if name:
        return f"Please show me how to {name[0].lower() + name[1:]} with the {api_title}."
    return f"Please give me an example of how to use the endpoint {ep.method} {ep.path} from {api_title}."


_PATH_SPLIT = re.compile(r"[/#?&=.]")
_VERSION = re.compile(r"v\d+\w*|\d+")


def path_literal_tokens(path: str) -> list[str]:
    """Tokens of the path's literal segments (parameters and version parts left out): the searcher
    counts those a request does not mention."""
    literal = " ".join(seg for seg in _PATH_SPLIT.split(path) if seg and seg[0] != "{")
    return sorted({t for t in tokenize(literal) if not _VERSION.fullmatch(t)})
