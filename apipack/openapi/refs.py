"""``$ref`` handling for the loader: find them, check them, resolve them with bounds.

- ``scan_refs`` lists the distinct ``$ref`` strings of a document (a regex over the raw JSON
  text when we have it, which is much faster than walking 300 MB of dicts).
- ``check_refs`` sorts them: remote ones (never fetched) and local ones that point nowhere become
  warnings; a chain of references that comes back to itself without ever reaching a schema
  (``A -> B -> A``) cannot be bounded and raises ``RefError``.
- ``Resolver`` inlines local references for the endpoint model, to a fixed depth and node
  budget, sharing resolved subtrees; recursive schemas stop at the repeat as ``{"$ref": ...}``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from apipack.errors import RefError

_REF_IN_JSON = re.compile(rb'(?<!\\)"\$ref"\s*:\s*"((?:[^"\\]|\\.)*)"')
_MISSING = object()


def scan_refs(doc: Any, raw: bytes | None = None) -> set[str]:
    if raw is not None and raw.lstrip()[:1] in (b"{", b"["):
        out: set[str] = set()
        for m in _REF_IN_JSON.finditer(raw):
            text = m.group(1)
            if b"\\" in text:
                import json

                out.add(json.loads(b'"' + text + b'"'))
            else:
                out.add(text.decode("utf-8", "replace"))
        return out
    found: set[str] = set()
    stack = [doc]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                found.add(ref)
            stack.extend(v for v in cur.values() if isinstance(v, dict | list))
        elif isinstance(cur, list):
            stack.extend(v for v in cur if isinstance(v, dict | list))
    return found


def unescape_token(token: str) -> str:
    """A JSON pointer token as RFC 6901 reads it ("~1" is "/", "~0" is "~")."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_target(doc: Any, ref: str) -> Any:
    """The value a local ``#/...`` reference points to, or ``_MISSING``."""
    if not ref.startswith("#"):
        return _MISSING
    pointer = unquote(ref[1:]) if "%" in ref else ref[1:]
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        return _MISSING
    cur = doc
    for token in pointer[1:].split("/"):
        token = unescape_token(token)
        if isinstance(cur, dict) and token in cur:
            cur = cur[token]
        elif isinstance(cur, list) and token.isdigit() and int(token) < len(cur):
            cur = cur[int(token)]
        else:
            return _MISSING
    return cur


def is_missing(value: Any) -> bool:
    return value is _MISSING


def check_refs(doc: Any, refs: set[str], name: str) -> list[str]:
    """Warnings for remote and broken references; RefError for an unbounded cycle."""
    warnings: list[str] = []
    remote = sorted(r for r in refs if not r.startswith("#"))
    for ref in remote[:20]:
        warnings.append(f"remote $ref not fetched: {ref}")
    if len(remote) > 20:
        warnings.append(f"... and {len(remote) - 20} more remote $refs not fetched")
    broken = []
    for ref in sorted(r for r in refs if r.startswith("#")):
        target = pointer_target(doc, ref)
        if target is _MISSING:
            broken.append(ref)
            continue
        chain = [ref]
        while isinstance(target, dict) and isinstance(target.get("$ref"), str):
            nxt = target["$ref"]
            if nxt in chain:
                cycle = " -> ".join(chain[chain.index(nxt):] + [nxt])
                raise RefError(f"{name}: $ref cycle {cycle} never reaches a schema, so it cannot be "
                               "resolved; make one of them a real schema", code="ref_cycle")
            chain.append(nxt)
            if len(chain) > 64:
                break
            target = pointer_target(doc, nxt)
    for ref in broken[:20]:
        warnings.append(f"local $ref points to nothing: {ref}")
    if len(broken) > 20:
        warnings.append(f"... and {len(broken) - 20} more local $refs that point to nothing")
    return warnings


class Resolver:
    """Inline local $refs to ``max_depth`` levels of references and ``max_nodes`` nodes.

    Results are shared between callers (read-only by contract): the same reference at the same
    remaining depth resolves once per spec.
    """

    def __init__(self, doc: Any, *, max_depth: int = 3, max_nodes: int = 2000) -> None:
        self.doc = doc
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self._memo: dict[tuple[str, int], Any] = {}

    def target(self, ref: str) -> Any:
        value = pointer_target(self.doc, ref)
        return None if value is _MISSING else value

    def deref(self, value: Any, limit: int = 16) -> Any:
        """Follow a chain of references to the first non-reference (or None)."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and len(seen) < limit:
            ref = value["$ref"]
            if ref in seen or not ref.startswith("#"):
                return value if not ref.startswith("#") else None
            seen.add(ref)
            value = self.target(ref)
        return value

    def resolve(self, value: Any) -> Any:
        budget = [self.max_nodes]
        return self._resolve(value, self.max_depth, (), budget)

    def _resolve(self, value: Any, depth: int, open_refs: tuple[str, ...], budget: list[int]) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            return value
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#") or depth <= 0 or ref in open_refs:
                    return value  # remote, too deep, or recursive: left as a reference
                key = (ref, depth)
                hit = self._memo.get(key, _MISSING)
                if hit is not _MISSING:
                    return hit
                target = self.target(ref)
                if target is None:
                    return value
                out = self._resolve(target, depth - 1, open_refs + (ref,), budget)
                if budget[0] >= 0:
                    self._memo[key] = out
                return out
            return {k: self._resolve(v, depth, open_refs, budget) if isinstance(v, dict | list) else v
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v, depth, open_refs, budget) if isinstance(v, dict | list) else v
                    for v in value]
        return value
