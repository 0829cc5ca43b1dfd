"""httpsnippet's ``helpers/code-builder.js``: lines with indentation, formatted by node's util.format."""

from __future__ import annotations

from typing import Any

from apipack.snippets.escape import js_str, util_format


def _format(line: str, args: tuple[Any, ...]) -> str:
    if not args:
        return line
    # fast path: only %s placeholders, as many as there are arguments, no other '%'
    parts = line.split("%s")
    if len(parts) == len(args) + 1 and all("%" not in p for p in parts):
        out = [parts[0]]
        for arg, part in zip(args, parts[1:], strict=True):
            if isinstance(arg, list | dict):
                return util_format(line, *args)
            out.append(arg if isinstance(arg, str) else js_str(arg))
            out.append(part)
        return "".join(out)
    return util_format(line, *args)


class CodeBuilder:
    """``new CodeBuilder(indentation, join)``; ``push(level?, line, *args)`` as in JS."""

    __slots__ = ("code", "indentation", "line_join")

    def __init__(self, indentation: str | None = None, join: str = "\n") -> None:
        self.code: list[str | None] = []
        # JS concatenates an undefined indentation as the text "undefined"
        self.indentation = "undefined" if indentation is None else indentation
        self.line_join = join

    def build_line(self, *args: Any) -> str | None:
        first = args[0]
        if isinstance(first, str):
            return _format(first, args[1:])
        if first is None:
            return None
        return _format(self.indentation * first + js_str(args[1]), args[2:])

    def push(self, *args: Any) -> CodeBuilder:
        if len(args) == 1 and type(args[0]) is str:  # a fixed line: nothing to format
            self.code.append(args[0])
        else:
            self.code.append(self.build_line(*args))
        return self

    def unshift(self, *args: Any) -> CodeBuilder:
        self.code.insert(0, self.build_line(*args))
        return self

    def blank(self) -> CodeBuilder:
        self.code.append(None)
        return self

    def join(self) -> str:
        return self.line_join.join("" if line is None else line for line in self.code)
