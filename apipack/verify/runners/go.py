"""go_native snippets: one file per case in package main (its ``main`` renamed), one ``go build``."""

from __future__ import annotations

import os
import re
from pathlib import Path

from apipack.verify.runners.base import BuildResult, Runner
from apipack.verify.runners.compiled import build_dropping_failures

_MAIN = re.compile(r"^func main\(\) \{", re.M)
_ERROR_FILE = re.compile(r"(?:^|\s|/)(c\d+)\.go:\d+")

DRIVER = '''package main

import (
\t"fmt"
\t"os"
)

var apipackCases = map[string]func(){
%s}

func main() {
\tfor _, id := range os.Args[1:] {
\t\tfmt.Fprintln(os.Stderr, "@@START", id)
\t\tfunc() {
\t\t\tdefer func() {
\t\t\t\tif r := recover(); r != nil {
\t\t\t\t\tfmt.Fprintln(os.Stderr, "@@END", id, "error", "panic:", r)
\t\t\t\t}
\t\t\t}()
\t\t\tapipackCases[id]()
\t\t\tfmt.Fprintln(os.Stderr, "@@END", id, "ok")
\t\t}()
\t}
}
'''


class GoRunner(Runner):
    target = "go"
    tools = ("go",)
    install_hint = "Debian package golang-go"
    extension = ".go"

    def write_case(self, workdir: Path, case_id: str, code: str) -> None:
        renamed, count = _MAIN.subn(f"func run_{case_id}() {{", code, count=1)
        if count == 0:  # no main: leave it so the compiler names the case
            renamed = code + f"\nfunc run_{case_id}() {{ undefined_main_in_snippet() }}\n"
        self.case_file(workdir, case_id).write_text(renamed)

    def _env(self, workdir: Path) -> dict[str, str]:
        cache = os.environ.get("GOCACHE") or str(Path.home() / ".cache" / "go-build")
        return {**os.environ, "GOCACHE": cache, "GO111MODULE": "off", "GOPATH": str(workdir / "_gopath")}

    def build(self, workdir: Path, case_ids: list[str]) -> BuildResult:
        def prepare(ids: list[str]) -> None:
            entries = "".join(f'\t"{c}": run_{c},\n' for c in ids)
            (workdir / "apipack_main.go").write_text(DRIVER % entries)

        def compile_cmd(ids: list[str]) -> list[str]:
            return ["go", "build", "-o", "apipack_cases", "apipack_main.go", *[f"{c}.go" for c in ids]]

        return build_dropping_failures(compile_cmd, workdir, case_ids, _ERROR_FILE, prepare,
                                       env=self._env(workdir))

    def command(self, workdir: Path, case_ids: list[str]) -> list[str]:
        return ["./apipack_cases", *case_ids]
