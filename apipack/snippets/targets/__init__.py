"""The registry of the 10 renderers: short name (targets_table) -> ``render(source) -> str``.

Each module ports one httpsnippet 2.0.0 target with the options openapi-snippet 0.14.0 passes
(the defaults). Adding a target means one module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable

from apipack.snippets.httpsnippet import Source
from apipack.snippets.targets import curl, go, java, javascript, libcurl, node, php, python, ruby, swift

RENDERERS: dict[str, Callable[[Source], str]] = {
    "curl": curl.render,
    "python": python.render,
    "java": java.render,
    "node": node.render,
    "go": go.render,
    "ruby": ruby.render,
    "php": php.render,
    "swift": swift.render,
    "libcurl": libcurl.render,
    "javascript": javascript.render,
}
