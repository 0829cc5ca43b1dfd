"""``apipack config show``: the effective settings, secrets redacted, as JSON."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("config", help="inspect settings").add_subparsers(dest="config_cmd", metavar="CMD")
    show = group.add_parser("show", help="print the effective settings (env, settings file, defaults) as JSON")
    show.set_defaults(handler=_show)


def _show(args: argparse.Namespace) -> int:
    from apipack.settings import load_settings

    print(json.dumps(load_settings().redacted(), indent=2))
    return 0
