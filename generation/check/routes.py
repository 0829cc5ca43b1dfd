"""An API's routes for the checker, compiled once per spec: for each endpoint, its servers (host
pattern with ``{variables}``, base path) and path template as regexes, strict (a ``{param}`` is
one segment) and loose (a concrete value may hold slashes). Also the URL reading shared with
``match``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from apipack.lru import Lru
from apipack.openapi.model import ApiSpec, Endpoint

PLACEHOLDER_RE = re.compile(r"\{[^{}/]+\}")
SLASHES_RE = re.compile(r"/{2,}")
_GLUED_HOST_VARIABLE = re.compile(r"^(.+?\.[a-z]{2,})\{[^{}/]*path[^{}/]*\}$", re.IGNORECASE)
_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class Url:
    host: str  # lower case, "" when the URL is relative
    path: str  # unquoted, duplicate and trailing slashes removed
    fragment: str
    hostless: bool = False  # a reading that fits only servers without a host


def split_url(url: str) -> Url:
    # Fragments matter: corpus specs key endpoints as "/{Bucket}#location" (AWS).
    url = url.strip().strip("'\"")
    if "://" not in url and not url.startswith("/"):
        url = "https://" + url
    parts = urlsplit(url)
    host = unquote(parts.netloc.rsplit("@", 1)[-1]).lower()
    path = SLASHES_RE.sub("/", unquote(parts.path))
    # httpsnippet's URL parser stops a host at "{": "https://dlm.{region}.x.com/p" comes out as
    # "https://dlm./%7Bregion%7D.x.com/p"; put the variable back into the host.
    if (parts.netloc or url.startswith(("http:///", "https:///"))) and \
            (not host or host.endswith((".", "-"))) and path.startswith("/{"):
        first, _, rest = path[1:].partition("/")
        host, path = host + first.lower(), "/" + rest
    host = re.sub(r":\d+$", "", host)
    glued = _GLUED_HOST_VARIABLE.match(host)
    # eBay's "https://api.ebay.com{basePath}" glues a path variable (default "/buy/deal/v1") to the
    # host; openapi-snippet leaves it there in python's host + path ("api.ebay.com%7BbasePath%7D/x")
    if glued:
        host, path = glued.group(1), "/" + parts.netloc.rsplit("@", 1)[-1][len(glued.group(1)):] + path
        path = SLASHES_RE.sub("/", unquote(path))
    return Url(host, path.rstrip("/") or "/", unquote(parts.fragment))


def readings(url: str) -> list[Url]:
    """How to read a call's URL: as written, then, for specs whose server URL has no host ("/"),
    with the "host" taken as the first path segment ("//about" renders as host "about")."""
    first = split_url(url)
    out = [first]
    if first.host:
        path = SLASHES_RE.sub("/", "/" + first.host + first.path).rstrip("/") or "/"
        out.append(Url("", path, first.fragment, hostless=True))
    return out


@lru_cache(maxsize=4096)
def server(url: str) -> Url:
    """A server URL; one without a scheme ("/api", or junk such as ",") names no host."""
    if "://" in url or url.startswith("//"):
        return split_url(url)  # reads "https://api.ebay.com{basePath}" as host + path, as in calls
    path = SLASHES_RE.sub("/", unquote("/" + url.strip().lstrip("/"))).rstrip("/") or "/"
    return Url("", path, "")


@lru_cache(maxsize=8192)
def template_regex(template: str, loose: bool = False) -> re.Pattern[str]:
    """``/users/{id}`` -> a regex where each ``{param}`` is one segment piece, or, ``loose``,
    a ``{placeholder}`` or a concrete value that may hold slashes ("subscriptions/1/vms/vm1")."""
    out: list[str] = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        out.append(r"(?:\{[^{}/]+\}|[^{}]+?)" if loose else r"[^/]+")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out) + r"\Z", re.IGNORECASE)


def host_matches(pattern: str, host: str) -> bool:
    if not pattern or not host:
        return True  # a relative server URL says nothing about the host
    return bool(template_regex(pattern.lower()).match(host))


@dataclass(frozen=True, slots=True)
class Base:
    host: str  # host pattern, "" for a relative server
    templates: tuple[str, ...]  # full path templates: base path + endpoint path (junk base path dropped too)
    # per template, its literal pieces in lower case: a path that lacks one cannot match, so most
    # templates are ruled out without compiling their regexes (a big API has thousands)
    pieces: tuple[tuple[str, ...], ...]

    def fits(self, path: str, *, loose: bool) -> bool:
        lower = path.lower()
        return any(all(piece in lower for piece in pieces) and template_regex(template, loose).match(path)
                   for template, pieces in zip(self.templates, self.pieces, strict=True))


@dataclass(frozen=True, slots=True)
class Route:
    endpoint: Endpoint
    fragment: str  # "#location" part of the path key, without "#"
    query_keys: frozenset[str]  # literal query of the path key ("/request?view=collection")
    bases: tuple[Base, ...]
    literal_chars: int  # of the first base's template: more = more specific

    def matches(self, url: Url, *, loose: bool) -> tuple[bool, bool]:
        """(path fits on a matching host, path fits under another host)."""
        if self.fragment and url.fragment and self.fragment != url.fragment:
            return False, False
        other_host = False
        for base in self.bases:
            if url.hostless and base.host:
                continue
            if base.fits(url.path, loose=loose):
                if host_matches(base.host, url.host):
                    return True, False
                other_host = True
        return False, other_host


def _server_urls(spec: ApiSpec, endpoint: Endpoint) -> list[str]:
    """Every server URL the spec declares for the endpoint, the first as openapi-snippet uses it."""
    urls = [endpoint.base_url] if endpoint.base_url else []
    doc: dict[str, Any] = spec.doc or {}
    path_item = (doc.get("paths") or {}).get(endpoint.path) or {}
    operation = path_item.get(endpoint.method.lower()) or {} if isinstance(path_item, dict) else {}
    for holder in (operation, path_item, doc):
        for item in (holder.get("servers") or [] if isinstance(holder, dict) else []):
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                urls.append(item["url"])
    if not urls and doc.get("host"):
        urls.append(f"{(doc.get('schemes') or ['https'])[0]}://{doc['host']}{doc.get('basePath', '')}")
    return list(dict.fromkeys(urls)) or [""]


def _full(base_path: str, template: str) -> str:
    return SLASHES_RE.sub("/", base_path + "/" + template.lstrip("/")).rstrip("/") or "/"


def _route(spec: ApiSpec, ep: Endpoint) -> Route:
    key, _, fragment = ep.path.partition("#")
    key, _, query = key.partition("?")
    fragment = fragment.split("?", 1)[0]
    bases = []
    for url in _server_urls(spec, ep):
        base = server(url) if url else Url("", "/", "")
        base_path = "" if base.path == "/" else base.path
        # a relative server's path may be junk (",") that renderers keep or drop
        prefixes = [base_path] + ([""] if not base.host and base_path else [])
        templates = tuple(_full(p, key) for p in prefixes)
        pieces = tuple(tuple(p for p in PLACEHOLDER_RE.split(t.lower()) if p) for t in templates)
        bases.append(Base(base.host, templates, pieces))
    literal = len(PLACEHOLDER_RE.sub("", bases[0].templates[0])) + len(query)
    keys = frozenset(k for k, _ in parse_qsl(query, keep_blank_values=True))
    return Route(ep, fragment, keys, tuple(bases), literal)


_tables: Lru[int, tuple[ApiSpec, tuple[Route, ...]]] = Lru(_CACHE_SIZE)


def routes_for(spec: ApiSpec) -> tuple[Route, ...]:
    """The spec's routes, built once per spec object (a small LRU keyed by identity)."""
    hit = _tables.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    table = tuple(_route(spec, ep) for ep in spec.endpoints)
    _tables.put(id(spec), (spec, table))
    return table
