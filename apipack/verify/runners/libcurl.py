"""c_libcurl snippets: each wrapped in a function of its own file, one ``gcc`` call, one program."""

from __future__ import annotations

import re
from pathlib import Path

from apipack.verify.runners.base import BuildResult, MissingToolchainError, Runner
from apipack.verify.runners.compiled import build_dropping_failures

_ERROR_FILE = re.compile(r"(?:^|/)(c\d+)\.c:\d+:\d+: error")

CASE = """#include <stdlib.h>
#include <curl/curl.h>

void run_%(id)s(void) {
%(code)s
}
"""

DRIVER = """#include <stdio.h>
#include <string.h>
%(decls)s
struct apipack_case { const char *id; void (*fn)(void); };
static struct apipack_case apipack_cases[] = {
%(entries)s  {0, 0}
};

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    fprintf(stderr, "@@START %%s\\n", argv[i]);
    for (struct apipack_case *c = apipack_cases; c->id; c++) {
      if (strcmp(c->id, argv[i]) == 0) { c->fn(); break; }
    }
    fprintf(stderr, "@@END %%s ok\\n", argv[i]);
  }
  return 0;
}
"""


class LibcurlRunner(Runner):
    target = "libcurl"
    tools = ("gcc",)
    install_hint = "Debian packages gcc and libcurl4-openssl-dev"
    extension = ".c"

    def check_toolchain(self) -> None:
        super().check_toolchain()
        if not any(Path(p).exists() for p in ("/usr/include/curl/curl.h",
                                               "/usr/include/x86_64-linux-gnu/curl/curl.h",
                                               "/usr/include/aarch64-linux-gnu/curl/curl.h")):
            raise MissingToolchainError("libcurl: curl/curl.h not found; install Debian package libcurl4-openssl-dev")

    def write_case(self, workdir: Path, case_id: str, code: str) -> None:
        indented = "\n".join("  " + line for line in code.splitlines())
        self.case_file(workdir, case_id).write_text(CASE % {"id": case_id, "code": indented})

    def build(self, workdir: Path, case_ids: list[str]) -> BuildResult:
        def prepare(ids: list[str]) -> None:
            decls = "".join(f"void run_{c}(void);\n" for c in ids)
            entries = "".join(f'  {{"{c}", run_{c}}},\n' for c in ids)
            (workdir / "apipack_main.c").write_text(DRIVER % {"decls": decls, "entries": entries})

        def compile_cmd(ids: list[str]) -> list[str]:
            return ["gcc", "-w", "-O0", "-o", "apipack_cases", "apipack_main.c", *[f"{c}.c" for c in ids], "-lcurl"]

        return build_dropping_failures(compile_cmd, workdir, case_ids, _ERROR_FILE, prepare)

    def command(self, workdir: Path, case_ids: list[str]) -> list[str]:
        return ["./apipack_cases", *case_ids]
