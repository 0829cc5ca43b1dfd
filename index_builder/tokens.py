"""Word tokens for the lexical index and for matching API names in queries.

One tokenizer for both sides (documents at build time, queries at search time), so the BM25
vocabulary lines up: lower case, camelCase / snake_case / path splitting, a light plural and
verb-form folding (no stemmer dependency), and a small stop list of words that carry no signal
in requests ("how", "please", "code").
"""

from __future__ import annotations

import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z0-9]+")

STOPWORDS = frozenset(
    """a an the of to for in on at by with from and or is are be it its this that these those my our
    your me i we you us can could would should will do does did how what which who whom where when
    please show tell give example need want help using use via into as all any some get
    code snippet call api endpoint request hey know way me
    python java go golang node nodejs ruby php swift curl libcurl javascript js c typescript""".split()
)
# "get" and "list" style verbs are kept out of the stop list except "get" (present in most docs and
# queries alike); method priors in the searcher handle verbs.


def fold(word: str) -> str:
    """Fold simple English inflections so "instances" meets "instance", "deleting" meets "delete"."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def split_words(text: str) -> list[str]:
    """Raw lower-case words with camelCase split, no stop-word removal (for display and ids)."""
    out: list[str] = []
    for chunk in _WORD.findall(text):
        for part in _CAMEL.split(chunk):
            if part:
                out.append(part.lower())
    return out


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: split, lower, stop words dropped, inflections folded."""
    return [fold(w) for w in split_words(text) if w not in STOPWORDS and len(w) > 1]


# Short forms developers type for words that specs spell out; a query token gains the long form.
ABBREVIATIONS: dict[str, str] = {
    "repo": "repository", "repos": "repository", "org": "organization", "orgs": "organization",
    "vm": "virtual machine", "vms": "virtual machine", "rg": "resource group", "db": "database",
    "env": "environment", "var": "variable", "vars": "variable", "config": "configuration",
    "info": "information", "auth": "authentication", "msg": "message", "msgs": "message",
    "k8s": "kubernetes", "perm": "permission", "perms": "permission", "sub": "subscription",
    "subs": "subscription", "acct": "account", "img": "image", "pic": "picture", "doc": "document",
    "docs": "document", "addr": "address", "num": "number", "txn": "transaction", "pr": "pull request",
    "prs": "pull request", "dm": "direct message", "dms": "direct message", "ip": "ip address",
    "vnet": "virtual network", "nsg": "network security group", "kv": "key vault", "acl": "access control",
    "cert": "certificate", "certs": "certificate", "ssl": "certificate", "dns": "dns domain",
    "qty": "quantity", "desc": "description", "stats": "statistics", "sms": "sms message text",
}


def query_tokens(text: str) -> list[str]:
    """``tokenize`` plus the long forms of known abbreviations (kept beside the short form)."""
    out: list[str] = []
    for word in split_words(text):
        long_form = ABBREVIATIONS.get(word)
        if word not in STOPWORDS and len(word) > 1:
            out.append(fold(word))
        if long_form:
            out.extend(fold(w) for w in long_form.split())
    return out
