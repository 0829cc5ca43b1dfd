"""Endpoint -> API call: openapi-snippet's ``getEndpointSnippets`` for our 10 targets.

openapi-snippet renders every HAR ``build_hars`` returns (one per request-body media type:
JSON first, then form, then multipart) for each target, in that order; API Pack's records hold
the first snippet of a target, i.e. the first HAR's. ``render_endpoint`` returns that one,
``render_endpoint_all`` all of them, ``render_endpoint_targets`` the first for several targets
with the HAR built once.
"""

from __future__ import annotations

from typing import Any

from apipack.openapi.model import ApiSpec
from apipack.snippets.corrections import PathContext
from apipack.snippets.har import build_hars, server_of
from apipack.snippets.renderer import render, render_all


def render_endpoint(spec: ApiSpec | dict[str, Any], method: str, path: str, target: str, *,
                    values: dict[str, Any] | None = None, corrected: bool = False) -> str:
    """The API call for ``target`` as API Pack's records hold it (the first HAR's snippet).

    ``corrected``: openapi-snippet's defects fixed (``corrections.DEFECTS``), for answers to users.
    """
    har = build_hars(spec, method, path, values)[0]
    if not corrected:
        return render(har, target)
    return render(har, target, corrected=True, context=path_context(spec, method, path))


def path_context(spec: ApiSpec | dict[str, Any], method: str, path: str) -> PathContext:
    """What the corrected rendering needs to fix an endpoint's URL (``corrections.PathContext``)."""
    endpoint = spec.endpoint(method, path) if isinstance(spec, ApiSpec) else None
    types = {p.name: str((p.schema or {}).get("type") or "string") for p in endpoint.parameters
             if p.location == "path"} if endpoint is not None else {}
    base_url, variables = server_of(spec, method, path)
    return PathContext(base_url, path, types, variables)


def render_endpoint_all(spec: ApiSpec | dict[str, Any], method: str, path: str, target: str, *,
                        values: dict[str, Any] | None = None) -> list[str]:
    """One snippet per HAR (per request-body media type), in openapi-snippet's order."""
    return [render(har, target) for har in build_hars(spec, method, path, values)]


def render_endpoint_targets(spec: ApiSpec | dict[str, Any], method: str, path: str,
                            targets: list[str] | None = None, *,
                            values: dict[str, Any] | None = None, corrected: bool = False) -> dict[str, str]:
    """{short name: first snippet} for the given targets (default: all 10), HAR built once."""
    har = build_hars(spec, method, path, values)[0]
    if not corrected:
        return render_all(har, targets)
    return render_all(har, targets, corrected=True, context=path_context(spec, method, path))
