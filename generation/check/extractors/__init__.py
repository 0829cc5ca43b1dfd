"""One extractor per target family, chosen by the target's short name: ``EXTRACTORS[short](code)``."""

from __future__ import annotations

from collections.abc import Callable

from generation.check.call import ExtractedCall
from generation.check.extractors import c, go, java, javascript, node, php, python, ruby, shell, swift

Extractor = Callable[[str], ExtractedCall]

# short target name -> extractor; adding a target touches one new module and one line here.
EXTRACTORS: dict[str, Extractor] = {
    "curl": shell.extract,
    "python": python.extract,
    "java": java.extract,
    "node": node.extract,
    "go": go.extract,
    "ruby": ruby.extract,
    "php": php.extract,
    "swift": swift.extract,
    "libcurl": c.extract,
    "javascript": javascript.extract,
}
