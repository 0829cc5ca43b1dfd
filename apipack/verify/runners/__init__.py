"""One runner per target that has a toolchain here, chosen by short name (swift is checked statically)."""

from __future__ import annotations

from apipack.verify.runners.base import Runner
from apipack.verify.runners.curl import CurlRunner
from apipack.verify.runners.go import GoRunner
from apipack.verify.runners.java import JavaRunner
from apipack.verify.runners.libcurl import LibcurlRunner
from apipack.verify.runners.node import NodeRequestRunner, XhrRunner
from apipack.verify.runners.php import PhpRunner
from apipack.verify.runners.python import PythonRunner
from apipack.verify.runners.ruby import RubyRunner

RUNNERS: dict[str, type[Runner]] = {
    "curl": CurlRunner,
    "python": PythonRunner,
    "java": JavaRunner,
    "node": NodeRequestRunner,
    "go": GoRunner,
    "ruby": RubyRunner,
    "php": PhpRunner,
    "libcurl": LibcurlRunner,
    "javascript": XhrRunner,
}
STATIC_TARGETS = ("swift",)
