"""Word-level pieces the instruction templates are made of.

Identifier splitting (camelCase, snake_case, kebab-case, dotted), singular/plural, the nouns of a
path template, the verb of an operation, short forms of an API's name, and prose cleanup
(HTML/markdown stripped, third-person summaries turned imperative). Pure functions, no state.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+")
_HTML_TAG = re.compile(r"<[^>]+>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"[`*_#>|]+")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])[.!?](?:\s|$)")
_VERSION = re.compile(r"^(v\d+[a-z0-9.]*|\d+(\.\d+)*|\d{4}-\d{2}(-\d{2})?(-preview)?|api|apis|rest|restapi|public)$",
                      re.IGNORECASE)
_FORMAT_SUFFIX = re.compile(r"\.(json|xml|csv|yaml|txt|\{[^}]*\})$", re.IGNORECASE)

# Verbs an operation name or summary can start or end with; the first group maps to a base form.
VERBS: frozenset[str] = frozenset("""
get list create delete update patch put post fetch retrieve read show view add remove set replace
search find query lookup describe invalidate cancel start stop restart run execute trigger send
upload download import export enable disable activate deactivate approve reject archive unarchive
restore rollback failover lock unlock move copy clone merge rename reset verify validate check test
ping submit publish unpublish register unregister subscribe unsubscribe attach detach assign
unassign invite accept decline generate compute calculate convert translate detect analyze
classify extract parse count estimate preview refresh renew revoke rotate sync upgrade downgrade
suspend resume pause close open mark flag watch confirm complete redeem capture refund void
authorize login logout sign reboot deploy provision scale resize tag untag purge clear
transfer pay charge notify track label order book reserve share unshare pin unpin star unstar
follow unfollow block unblock mute unmute like unlike vote invoke apply evaluate approve deny
upsert insert modify change edit drop increment decrement make request
""".split())

HTTP_METHOD_WORDS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
PREPOSITIONS = frozenset({"by", "for", "of", "in", "on", "from", "to", "with", "at", "per", "and", "or",
                          "the", "a", "an", "all", "my", "into", "within"})

# Azure / cloud path scaffolding that names no resource a developer would say.
_SCAFFOLD = frozenset({"subscriptions", "resourcegroups", "providers", "resourcegroup", "subscription"})


_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def split_identifier(text: str) -> list[str]:
    """``listCustomerIDs`` -> ``[list, customer, ids]``; also splits on ``_ - . / : space``."""
    return list(_split_cached(text))


@lru_cache(maxsize=65536)
def _split_cached(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for chunk in _NON_ALNUM.split(text) if chunk for w in _CAMEL.findall(chunk))


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    w = word.lower()
    if len(w) < 4 or w.endswith(("ss", "us", "is", "news", "status", "series", "data", "metadata")):
        return word
    if w.endswith("ies"):
        return word[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if w.endswith("s"):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def plural(word: str) -> str:
    w = word.lower()
    if w.endswith(("s", "data", "metadata", "info", "information")):
        return word
    if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        return word[:-1] + "ies"
    if w.endswith(("x", "ch", "sh", "z")):
        return word + "es"
    return word + "s"


def clean_prose(text: str, max_words: int = 24) -> str:
    """First sentence of a summary/description as plain lower-case text (no HTML, markdown, URLs)."""
    if not text:
        return ""
    text = _HTML_TAG.sub(" ", text[:800])  # only the first sentence is kept: no need to clean the rest
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = _MD_MARK.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    m = _SENTENCE_END.search(text)
    if m:
        text = text[: m.start()]
    words = text.split(" ")
    if len(words) > max_words:
        words = words[:max_words]
    return " ".join(words).strip(" .:;,-").lower()


# Third-person openings of summaries ("Returns a list of ...") -> imperative ("return a list of ...").
_THIRD_PERSON = {"gets": "get", "returns": "return", "lists": "list", "retrieves": "retrieve",
                 "creates": "create", "deletes": "delete", "removes": "remove", "updates": "update",
                 "fetches": "fetch", "adds": "add", "sets": "set", "replaces": "replace",
                 "searches": "search", "finds": "find", "shows": "show", "sends": "send",
                 "starts": "start", "stops": "stop", "cancels": "cancel", "modifies": "modify",
                 "changes": "change", "checks": "check", "provides": "provide", "queries": "query",
                 "describes": "describe", "uploads": "upload", "downloads": "download",
                 "generates": "generate", "triggers": "trigger", "enables": "enable",
                 "disables": "disable", "allows": "allow", "validates": "validate",
                 "verifies": "verify", "exports": "export", "imports": "import", "patches": "patch",
                 "reads": "read", "registers": "register", "performs": "perform", "runs": "run",
                 "moves": "move", "resets": "reset", "revokes": "revoke", "approves": "approve",
                 "calculates": "calculate", "converts": "convert", "counts": "count"}


def imperative(phrase: str) -> str:
    """``returns a list of customers`` -> ``return a list of customers``; ``this endpoint lists x`` too."""
    words = phrase.split(" ")
    for lead in (("this", "endpoint"), ("this", "operation"), ("this", "api"), ("this", "method"),
                 ("use", "this", "to"), ("used", "to"), ("allows", "you", "to"), ("lets", "you")):
        if tuple(words[: len(lead)]) == lead:
            words = words[len(lead):]
            break
    if len(words) > 1 and words[0].endswith("ly") and words[1] in _THIRD_PERSON:
        words = words[1:]  # "permanently deletes a customer"
    if words and words[0] in _THIRD_PERSON:
        words[0] = _THIRD_PERSON[words[0]]
    return " ".join(words).strip()


def starts_with_verb(phrase: str) -> bool:
    first = phrase.split(" ", 1)[0]
    return first in VERBS or first in _THIRD_PERSON.values()


def collapse_repeats(words: list[str]) -> list[str]:
    """``[customers, customer]`` -> ``[customer]``: operationIds often repeat the resource."""
    out: list[str] = []
    for w in words:
        if out and singular(out[-1]) == singular(w):
            out[-1] = w
        else:
            out.append(w)
    return out


def path_parts(path: str) -> list[tuple[str, bool]]:
    """Segments of a path template as ``(text, is_param)``, versions and cloud scaffolding dropped.

    Fragments (``/#Action=X``, ``/#X-Amz-Target=Svc.X``, ``#x-amz-account-id``) are left out: the
    operationId names those actions; ``/{Bucket}#location`` is handled by ``resource_words``.
    OData action segments (``microsoft.graph.clear``) keep their last part.
    """
    base = path.partition("#")[0]
    parts: list[tuple[str, bool]] = []
    for seg in base.split("/"):
        if not seg:
            continue
        seg = _FORMAT_SUFFIX.sub("", seg)
        if seg.startswith("{") and seg.endswith("}"):
            parts.append((seg[1:-1], True))
            continue
        if "{" in seg:  # "reviews.{format}", "file{ext}": keep the literal part
            seg = re.sub(r"\{[^}]*\}", "", seg).strip(".-_")
            if not seg:
                continue
        if seg.lower().startswith("microsoft.") and seg.count(".") >= 2:
            seg = seg.rsplit(".", 1)[-1]
        elif ":" in seg:  # Google's "/v1/{name}:cancel" custom verbs keep the verb
            seg = seg.rsplit(":", 1)[-1]
        if _VERSION.match(seg) or seg.lower() in _SCAFFOLD or seg.startswith("Microsoft."):
            continue
        parts.append((seg, False))
    return parts


def _fragment_resource(path: str) -> tuple[list[str], list[str], bool] | None:
    """``/{Bucket}#location`` -> ``([bucket, location], [], True)``: a sub-resource of the last
    path parameter. Action fragments (``#Action=X``, ``#X-Amz-Target=Svc.X``) return None: the
    operationId says what they do."""
    base, sep, fragment = path.partition("#")
    if not sep or "=" in fragment or not fragment or fragment.lower().startswith("x-"):
        return None
    owner: list[str] = []
    for seg in reversed([s for s in base.split("/") if s]):
        owner = split_identifier(seg.strip("{}"))
        break
    return owner + split_identifier(fragment.split("&")[0]), [], True


def resource_words(path: str) -> tuple[list[str], list[str], bool]:
    """(object words, parent words, is_item) of a path: ``/repos/{o}/{r}/issues/{n}`` ->
    ``([issue], [repo], True)``. The object is the last static segment (singular for items)."""
    frag = _fragment_resource(path)
    if frag is not None:
        return frag
    parts = path_parts(path)
    statics = [i for i, (_, is_param) in enumerate(parts) if not is_param]
    if not statics:
        return [], [], bool(parts)
    last = statics[-1]
    is_item = last < len(parts) - 1  # a parameter follows the last static segment
    obj = split_identifier(parts[last][0])
    if is_item and obj:
        obj[-1] = singular(obj[-1])
    parent: list[str] = []
    if len(statics) > 1:
        parent = split_identifier(parts[statics[-2]][0])
        if parent and statics[-2] < last - 1:
            parent[-1] = singular(parent[-1])
    return obj, parent, is_item


def operation_phrase(operation_id: str | None) -> tuple[str, list[str]]:
    """``getPetById`` -> ``("get", [pet, by, id])``; ``sql.instances.list`` -> ``("list", [instances])``;
    ``("", words)`` when no verb is found."""
    if not operation_id:
        return "", []
    comps = [c for c in operation_id.split(".") if c]
    if len(comps) >= 3 and comps[-1].lower() in VERBS:
        # Google's "service.resources.sub.verb": the resource before the verb is the object
        return comps[-1].lower(), split_identifier(comps[-2])
    words = split_identifier(operation_id)
    # "GET_reviews-format", "PUT_user-password": a method prefix, not a verb of the operation
    if len(words) > 1 and operation_id[:1].isupper() and operation_id.split("_", 1)[0].lower() in HTTP_METHOD_WORDS \
            and operation_id.split("_", 1)[0].isupper():
        rest = [w for w in words[1:] if w not in ("json", "xml", "format")]
        if rest and rest[0] in VERBS:  # "GET_RollbackStack", "GET_DescribeApplications"
            return rest[0], rest[1:]
        return words[0], rest
    for i, w in enumerate(words):
        if w in VERBS:
            rest = words[i + 1:]
            if not rest or rest[0] in PREPOSITIONS:
                rest = words[:i] + rest
            return w, [x for x in rest if x not in ("json", "xml")]
    return "", words


@lru_cache(maxsize=4096)
def api_short_names(title: str, api_id: str) -> tuple[str, ...]:
    """Ways people name an API: ``"GitHub v3 REST API"``, ``github.com/api.github.com`` -> ``[github]``;
    ``"Amazon Simple Storage Service"``, ``amazonaws.com/s3`` -> ``[amazon simple storage, s3, aws s3]``."""
    names: list[str] = []
    t = re.sub(r"\((.*?)\)", " ", title or "")
    t_words = [w for w in re.split(r"[\s_/:,-]+", t) if w]
    drop = {"api", "apis", "rest", "restful", "the", "service", "services", "client", "swagger", "openapi",
            "spec", "specification", "documentation", "web", "http", "reference", "public", "management"}
    kept = []
    for w in t_words:
        if w.lower() in ("for", "of", "namespace", "by", "from", "-"):
            break  # "OData Service for namespace microsoft.graph": the name ends before "for"
        if w.lower() not in drop and not _VERSION.match(w) and not re.match(r"^v?\d", w):
            kept.append(w)
    if kept:
        names.append(" ".join(kept[:4]).lower())
    provider, _, service = api_id.partition("/")
    root = provider.split(".")
    root_name = root[-2] if len(root) >= 2 else root[0]
    if root_name in ("googleapis", "amazonaws", "azure", "windows", "microsoft", "apisetu", "gov") and len(root) >= 2:
        brand = {"googleapis": "google", "amazonaws": "aws", "azure": "azure", "windows": "azure",
                 "microsoft": "microsoft"}.get(root_name, root_name)
        if service:
            svc = " ".join(split_identifier(service.split("-")[0]))
            names.append(svc)
            names.append(f"{brand} {svc}")
        else:
            names.append(brand)
    else:
        names.append(" ".join(split_identifier(root_name)) if root_name.isascii() else root_name)
    seen: list[str] = []
    for n in names:
        n = _SPACES.sub(" ", n).strip()
        if n and n not in seen:
            seen.append(n)
    return tuple(seen)


def param_words(name: str) -> str:
    """``issue_number`` -> ``issue number``; ``X-Request-Id`` -> ``x request id``."""
    return " ".join(split_identifier(name))
