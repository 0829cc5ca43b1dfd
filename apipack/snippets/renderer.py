"""``render(har, target)``: a HAR request -> the API call in one of the 10 targets.

Byte-identical to openapi-snippet 0.14.0 / httpsnippet 2.0.0 (``corrected=False``), including
for HARs that httpsnippet's validator refuses (rendered as httpsnippet renders them with the
validation skipped). openapi-snippet converts all targets on one shared request object in
the order of DESIGN.md's table, and curl rewrites the multipart content-type in place; a
single-target render reproduces that state, so ``render`` and ``render_all`` agree.
"""

from __future__ import annotations

from apipack.errors import SnippetRenderError
from apipack.snippets.corrections import PathContext, apply_corrections, correct_code, correct_har
from apipack.snippets.escape import JSError
from apipack.snippets.httpsnippet import Source, prepare
from apipack.snippets.targets import RENDERERS
from apipack.snippets.targets.curl import strip_multipart_boundary
from apipack.snippets.targets_table import TARGETS, resolve_target


def _run(source: Source, short: str, corrected: bool) -> str:
    if corrected:
        apply_corrections(source, short)
    try:
        code = RENDERERS[short](source)
    except JSError as exc:
        raise SnippetRenderError(f"httpsnippet's {TARGETS[short].target_id} target fails on this request: {exc}",
                                 param="har") from None
    return correct_code(code, short) if corrected else code


def _prepare(har: dict) -> Source:
    if not isinstance(har, dict):
        raise SnippetRenderError("a HAR request must be a JSON object", param="har")
    try:
        return prepare(har)
    except JSError as exc:
        raise SnippetRenderError(f"httpsnippet cannot prepare this request: {exc}", param="har") from None


def render(har: dict, target: str, *, corrected: bool = False, context: PathContext | None = None) -> str:
    """Render one HAR request for ``target`` (short name, target id or API Pack label).

    ``corrected``: fix openapi-snippet's defects (``corrections.DEFECTS``); ``context`` (the
    endpoint's server and path template) lets it fix the URL's path as well.
    """
    short = resolve_target(target).short
    if corrected:
        har = correct_har(har, context)
    source = _prepare(har)
    if not corrected and short != "curl" and source.post.mime_type == "multipart/form-data":
        strip_multipart_boundary(source)  # what curl, converted first, left on the shared request
    return _run(source, short, corrected)


def render_all(har: dict, targets: list[str] | None = None, *, corrected: bool = False,
               context: PathContext | None = None) -> dict[str, str]:
    """All (or the given) targets for one HAR: {short name: code} (see ``render``)."""
    shorts = [resolve_target(t).short for t in targets] if targets else list(TARGETS)
    order = [s for s in TARGETS if s in shorts]
    if corrected:  # each target on its own request: no target sees what another left behind
        return {short: render(har, short, corrected=True, context=context) for short in order}
    source = _prepare(har)
    if "curl" not in order and source.post.mime_type == "multipart/form-data":
        strip_multipart_boundary(source)
    return {short: _run(source, short, corrected) for short in order}
