"""`apipack serve` is registered and takes its flags."""

from __future__ import annotations

from apipack.cli.main import build_parser


def test_serve_flags() -> None:
    args = build_parser().parse_args(["serve", "--port", "8123", "--workers", "2", "--index-dir", "idx",
                                      "--redis-url", "redis://127.0.0.1:1/0"])
    assert args.command == "serve" and args.port == 8123 and args.workers == 2 and args.index_dir == "idx"
    assert callable(args.handler)
