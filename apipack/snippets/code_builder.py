"""httpsnippet's ``helpers/code-builder.js``: lines at an indentation level, joined.

httpsnippet formats every line with node's ``util.format(line, ...args)``. The targets here
build their lines with f-strings over ``arg()`` (what ``%s`` prints for a value), which is the
same text for the lines httpsnippet writes and several times faster; ``push_format`` keeps the
full ``util.format`` semantics for the one line whose format string carries data (swift).
"""

from __future__ import annotations

from typing import Any

from apipack.snippets.escape import util_format


class CodeBuilder:
    """``new CodeBuilder(indentation, join)``: ``push(line, level)``, ``blank()``, ``join()``."""

    __slots__ = ("code", "indentation", "line_join")

    def __init__(self, indentation: str | None = None, join: str = "\n") -> None:
        self.code: list[str] = []
        # JS concatenates an undefined indentation as the text "undefined"
        self.indentation = "undefined" if indentation is None else indentation
        self.line_join = join

    def push(self, line: str, level: int = 0) -> CodeBuilder:
        self.code.append(self.indentation * level + line if level else line)
        return self

    def push_format(self, fmt: str, *args: Any) -> CodeBuilder:
        """``code.push(fmt, ...args)`` with node's util.format placeholders and extra arguments."""
        self.code.append(util_format(fmt, *args))
        return self

    def unshift(self, line: str) -> CodeBuilder:
        self.code.insert(0, line)
        return self

    def blank(self) -> CodeBuilder:
        self.code.append("")  # JS pushes null, which Array#join prints as ""
        return self

    def join(self) -> str:
        return self.line_join.join(self.code)
