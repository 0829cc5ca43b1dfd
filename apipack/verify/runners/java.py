"""java_okhttp snippets: each wrapped in a class of its own, one ``javac``, one JVM runs them all."""

from __future__ import annotations

import re
from pathlib import Path

from apipack.verify.runners.base import BuildResult, MissingToolchainError, Runner
from apipack.verify.runners.compiled import build_dropping_failures

JARS = ("/usr/share/java/okhttp.jar", "/usr/share/java/okio.jar")
_ERROR_FILE = re.compile(r"(?:^|/)C(c\d+)\.java:\d+: error")

CASE = """import okhttp3.*;

public class C%(id)s {
  public static void run() throws Exception {
%(code)s
  }
}
"""

DRIVER = """public class ApipackMain {
  public static void main(String[] ids) {
    for (String id : ids) {
      System.err.println("@@START " + id);
      try {
        Class.forName("C" + id).getMethod("run").invoke(null);
        System.err.println("@@END " + id + " ok");
      } catch (Throwable t) {
        Throwable c = t.getCause() != null ? t.getCause() : t;
        System.err.println("@@END " + id + " error " + c.toString().replace('\\n', ' '));
      }
    }
    System.exit(0);
  }
}
"""


class JavaRunner(Runner):
    target = "java"
    tools = ("javac", "java")
    install_hint = "Debian packages default-jdk-headless and libokhttp-java"
    extension = ".java"

    def check_toolchain(self) -> None:
        super().check_toolchain()
        missing = [j for j in JARS if not Path(j).exists()]
        if missing:
            raise MissingToolchainError(f"java: {', '.join(missing)} not found; install Debian package libokhttp-java")

    def case_file(self, workdir: Path, case_id: str) -> Path:
        return workdir / f"C{case_id}.java"

    def write_case(self, workdir: Path, case_id: str, code: str) -> None:
        indented = "\n".join("    " + line for line in code.splitlines())
        self.case_file(workdir, case_id).write_text(CASE % {"id": case_id, "code": indented})

    def build(self, workdir: Path, case_ids: list[str]) -> BuildResult:
        (workdir / "classes").mkdir(exist_ok=True)

        def prepare(ids: list[str]) -> None:
            (workdir / "ApipackMain.java").write_text(DRIVER)

        def compile_cmd(ids: list[str]) -> list[str]:
            return ["javac", "-nowarn", "-Xmaxerrs", "100000", "-encoding", "UTF-8", "-cp", ":".join(JARS),
                    "-d", "classes", "ApipackMain.java", *[f"C{c}.java" for c in ids]]

        return build_dropping_failures(compile_cmd, workdir, case_ids, _ERROR_FILE, prepare)

    def command(self, workdir: Path, case_ids: list[str]) -> list[str]:
        return ["java", "-cp", ":".join(("classes", *JARS)), "ApipackMain", *case_ids]
