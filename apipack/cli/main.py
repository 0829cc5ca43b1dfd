"""``apipack`` entry point: builds the parser from the command-group modules and runs one command.

Each group module (``apipack/cli/<group>.py``) defines ``register(subparsers)`` which adds its
sub-commands, each with ``set_defaults(handler=callable)``. Handlers take the parsed namespace and
return an exit code. ``ApipackError`` is translated here, once: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from apipack.errors import ApipackError

# name -> module; adding a command group touches one new file and one line here.
COMMAND_GROUPS: dict[str, str] = {
    "config": "apipack.cli.config",
    "dataset": "apipack.cli.dataset",
    "index": "apipack.cli.index",
    "search": "apipack.cli.search",
    "reranker": "apipack.cli.reranker",
    "generate": "apipack.cli.generate",
    "serve": "apipack.cli.serve",
    "eval": "apipack.cli.evaluate",
    "verify": "apipack.cli.verify",
    "train": "apipack.cli.train",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apipack",
        description="Retrieval-augmented API code assistant: OpenAPI specs -> runnable API calls in 10 languages.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_GROUPS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # group not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except ApipackError as exc:
        print(f"apipack: error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("apipack: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
