"""Value cues: which path parameters a request gives a value for.

"fetch call CA1f2e... details" names one call by its id, so ``/Calls/{Sid}`` fits it better than
``/Calls``; "list instances in project billing-prod-7731" gives a project but no instance, so
``/projects/{project}/instances`` fits better than ``.../instances/{instance}/databases``. Text
similarity cannot see this: sibling endpoints share almost every word. A request value is an
id-like word (a digit, or ``-`` / ``_`` / ``.`` inside a word, a quoted string, owner/repo); the
one or two words just before it are its nouns, and after a determiner the word just after it too
("the edge-proxy deployment"). A path parameter is bound when one of its nouns
(the literal segment before it, its own name's words) is among a value's nouns; a value goes
first to the parameter its nearest noun names.

``path_fit`` turns that into a small score per endpoint: a bonus per bound parameter, a penalty
when the path ends in a parameter nothing in the request binds and no value is left over for it
(and the request writes that collection in the plural or asks for "all"), a penalty when the
request names an item of the path's last collection that the path has no parameter for, a
penalty per parent parameter left without a value when the request's values all bound elsewhere
(it names its items by value, and this path wants one more it did not name), and a
bonus when the request names the resource the path ends on ("instances" for ``.../instances``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index_builder.tokens import fold, split_words
from retrieval.intent import is_item_path

# Parameters of the caller's own scope: people rarely name them, so they neither earn nor cost.
SCOPE_PARAMS = frozenset("""subscriptionid resourcegroupname resourcegroup apiversion accountsid tenantid
    userid accountid organizationid workspaceid projectid owner""".split())
_GENERIC = frozenset("id ids name key uid uuid sid number no".split())
_FILLER = frozenset("id ids # no number named called with the a an of for".split())
_VALUE = re.compile(
    r"\"[^\"]+\"|'[^'\s][^']*'"                                  # quoted
    r"|[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*"                    # owner/repo, a/b paths
    r"|(?=[\w.:|-]*\d)[A-Za-z0-9][\w.:|-]*"                      # has a digit: ids, versions, numbers
    r"|[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+"                       # slugs: acme-prod-logs, orders_dlq
)
_WORDISH = re.compile(r"[A-Za-z]+")
_DETERMINERS = frozenset("the my our your their his her its this that".split())  # "a self-hosted runner" names none
_PREPOSITIONS = frozenset("in on at to from into of for by with and or as".split())


@dataclass(frozen=True, slots=True)
class RequestValue:
    text: str
    nouns: frozenset[str]  # folded words just before the value
    head: str = ""         # the noun nearest to it: the one that names it when several could


@dataclass(frozen=True, slots=True)
class RequestCues:
    values: list[RequestValue]
    plural: frozenset[str]    # folded forms of the words the request writes in the plural ("disputes")
    singular: frozenset[str]  # folded forms of the words it writes in the singular ("dispute")
    words: frozenset[str]     # every folded word of the request
    many: bool                # "list", "all", "every" ...: the request asks for a collection
    one: bool                 # "one of my", "details", "specific": the request asks for one item


def request_cues(query: str, many: bool = False, one: bool = False) -> RequestCues:
    words = split_words(query)
    plural = {fold(w) for w in words if fold(w) != w}
    singular = {w for w in words if fold(w) == w and len(w) > 3}
    return RequestCues(values=request_values(query), plural=frozenset(plural), singular=frozenset(singular - plural),
                       words=frozenset(fold(w) for w in words), many=many, one=one)


def request_values(query: str) -> list[RequestValue]:
    """Id-like values of a request, each with the (folded) nouns in front of it."""
    out: list[RequestValue] = []
    for m in _VALUE.finditer(query):
        text = m.group(0)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*|\d+(\.\d+)?%?", text) and not _right_after_noun(query, m.start()):
            continue  # dates and bare quantities ("25 at a time", "19%") are not item ids
        raw_before = split_words(query[:m.start()])[-4:]
        before = [w for w in raw_before if w not in _FILLER]
        nouns = frozenset(fold(w) for w in before[-2:])
        head = fold(before[-1]) if before else ""
        if raw_before and raw_before[-1] in _DETERMINERS:
            # "the edge-proxy deployment", "my acme-prod project": the noun follows the name
            after = _WORDISH.match(query, m.end() + 1) if query[m.end():m.end() + 1] == " " else None
            if after and after.group(0).lower() not in _FILLER | _PREPOSITIONS:
                head = fold(after.group(0).lower())
                nouns = nouns | {head}
        if nouns:
            out.append(RequestValue(text=text, nouns=nouns, head=head))
    return out


def _right_after_noun(query: str, start: int) -> bool:
    """A number counts as an id when a word, not a verb of quantity, sits right before it ("version 7")."""
    words = _WORDISH.findall(query[:start])
    return bool(words) and query[:start].rstrip().endswith(words[-1]) and words[-1].lower() not in (
        "top", "first", "last", "limit", "max", "at", "to", "from", "page", "of", "per", "since", "until")


@dataclass(frozen=True, slots=True)
class PathParam:
    name: str
    nouns: frozenset[str]
    scope: bool


@lru_cache(maxsize=65536)
def path_params(path: str) -> tuple[PathParam, ...]:
    """The path's parameters, each with its nouns: the literal segment before it and its name's words."""
    out: list[PathParam] = []
    previous = ""
    for seg in re.split(r"[/#?]", path.split("#", 1)[0]):
        for name in re.findall(r"\{([^}]+)\}", seg):
            own = {fold(w) for w in split_words(name)} - _GENERIC
            before = {fold(w) for w in split_words(previous)} - _GENERIC
            out.append(PathParam(name=name, nouns=frozenset(own | before),
                                 scope=name.lower().replace("_", "").replace("-", "") in SCOPE_PARAMS))
        literal = re.sub(r"\{[^}]+\}", "", seg)
        if literal.strip(".-_"):
            previous = literal
    return tuple(out)


@lru_cache(maxsize=65536)
def _last_collection(path: str) -> frozenset[str]:
    literal = [s for s in path.split("#", 1)[0].strip("/").split("/") if s and "{" not in s]
    return frozenset(fold(w) for w in split_words(literal[-1])) - _GENERIC if literal else frozenset()


@dataclass(frozen=True, slots=True)
class FitWeights:
    bound: float = 0.06           # per path parameter a request value names
    unbound_item: float = 0.05    # the path ends in a parameter the request gives no value for
    missing_item: float = 0.05    # the request names an item of the path's last collection, no slot for it
    last_named: float = 0.04      # the request names the resource the path ends on (its last literal segment)
    unbound_parent: float = 0.05  # per parent parameter left without a value when the request's values all went elsewhere


def path_fit(cues: RequestCues, path: str, weights: FitWeights = FitWeights()) -> float:
    values = cues.values
    params = [p for p in path_params(path) if not p.scope]
    used: set[int] = set()
    bound_names: set[str] = set()
    # a value goes first to the parameter its nearest noun names ("customer group 2TAT..." binds
    # the group, not the customer), then to any parameter one of its nouns names
    for near in (True, False):
        for p in params:
            if p.name in bound_names:
                continue
            for i, v in enumerate(values):
                if i not in used and ((v.head in p.nouns) if near else bool(v.nouns & p.nouns)):
                    used.add(i)
                    bound_names.add(p.name)
                    break
    score = weights.bound * len(bound_names)
    if values and len(used) == len(values):
        # the request names its items by value, yet this path needs a parent it gave none for
        parents = params[:-1] if is_item_path(path) else params
        score -= weights.unbound_parent * sum(p.name not in bound_names for p in parents)
    if params and is_item_path(path) and params[-1].name not in bound_names and len(used) == len(values):
        # an item path, no value for its item: fine for "the dispute", wrong for "disputes" / "list ..."
        noun = params[-1].nouns
        if (noun & cues.plural and not noun & cues.singular) or (cues.many and not cues.one):
            score -= weights.unbound_item
    last = _last_collection(path)
    if last and last <= cues.words:
        score += weights.last_named
    if last and not is_item_path(path) and any(i not in used and v.nouns & last for i, v in enumerate(values)):
        score -= weights.missing_item
    return score
