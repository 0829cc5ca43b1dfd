"""Our snippets for one endpoint, compared with node's openapi-snippet record for it.

Shared by tests/integration/test_conformance.py (full text) and bench/conformance_corpus.py
(sha1 digests). Per target the comparison covers every snippet openapi-snippet returns for it
(one per HAR request, i.e. per request-body media type), in order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from apipack.errors import ApipackError
from apipack.openapi.model import ApiSpec
from apipack.snippets import build_hars, render_all
from apipack.snippets.targets_table import TARGETS

TARGET_IDS = [t.target_id for t in TARGETS.values()]
SHORT_BY_ID = {t.target_id: t.short for t in TARGETS.values()}


def sha1_text(text: str) -> str:
    """sha1 of the UTF-8 bytes as node's crypto sees them (lone surrogates become U+FFFD)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")
    return hashlib.sha1(data).hexdigest()


@dataclass
class Ours:
    """Per target id: the list of snippets (one per HAR) or the error that stopped us."""

    snippets: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def our_snippets(spec: ApiSpec, method: str, path: str) -> Ours:
    out = Ours({tid: [] for tid in TARGET_IDS})
    try:
        hars = build_hars(spec, method, path)
    except Exception as exc:  # a bug of ours: reported per target by the callers
        for tid in TARGET_IDS:
            out.errors[tid] = f"build_hars: {type(exc).__name__}: {exc}"
        return out
    for har in hars:
        try:
            rendered = render_all(har)
        except ApipackError:
            rendered = None
        for tid in TARGET_IDS:
            if tid in out.errors:
                continue
            short = SHORT_BY_ID[tid]
            if rendered is not None:
                out.snippets[tid].append(rendered[short])
                continue
            try:  # one target failed: render the others one by one
                from apipack.snippets import render

                out.snippets[tid].append(render(har, short))
            except ApipackError as exc:
                out.errors[tid] = f"{type(exc).__name__}: {exc.message}"
            except Exception as exc:  # a renderer bug: counted, never hidden
                out.errors[tid] = f"{type(exc).__name__}: {exc}"
    return out


def node_by_target(record: dict) -> dict[str, list[str]]:
    """node's snippets per target id, as text or as sha1 digests (digest mode)."""
    out: dict[str, list[str]] = {tid: [] for tid in TARGET_IDS}
    for snip in record.get("snippets", []):
        out.setdefault(snip["id"], []).append(snip["content"] if "content" in snip else snip["sha1"])
    return out


def compare_endpoint(record: dict, ours: Ours) -> dict[str, str]:
    """Per target id: "same", "differs", "ours_failed" (node rendered it) or, where node threw,
    "node_threw" (we rendered it) / "both_failed"."""
    node = node_by_target(record) if "error" not in record else None
    status: dict[str, str] = {}
    for tid in TARGET_IDS:
        if node is None:
            status[tid] = "both_failed" if tid in ours.errors else "node_threw"
        elif tid in ours.errors:
            status[tid] = "ours_failed"
        else:
            digest = bool(record.get("snippets")) and "sha1" in record["snippets"][0]
            mine = [sha1_text(s) for s in ours.snippets[tid]] if digest else ours.snippets[tid]
            status[tid] = "same" if mine == node[tid] else "differs"
    return status
