"""The seam for the corrected rendering (issue 9): ``render(..., corrected=True)``.

Compat rendering (``corrected=False``, the default) is byte-identical to openapi-snippet 0.14.0
and is what the dataset keeps for the paper's metric. Corrected rendering will fix each defect
class that the execution harness finds in that output (e.g. ``https://api.stripe.com//v1/...``
when a server URL ends in "/"). Each correction is a function here that rewrites the prepared
request (``Source``) for one target before it is rendered; the list is empty for now, so
corrected output currently equals compat output.
"""

from __future__ import annotations

from collections.abc import Callable

from apipack.snippets.httpsnippet import Source

# (name, function(source, target short name) -> None), applied in order; filled by issue 9.
CORRECTIONS: list[tuple[str, Callable[[Source, str], None]]] = []


def apply_corrections(source: Source, target: str) -> Source:
    for _name, correct in CORRECTIONS:
        correct(source, target)
    return source
