"""python_python3 snippets: exec'd one after the other in one ``python3`` process."""

from __future__ import annotations

from apipack.verify.runners.base import Runner

DRIVER = r'''
import contextlib, io, os, sys
for path in sys.argv[1:]:
    cid = os.path.basename(path)[:-3]
    print("@@START", cid, file=sys.stderr, flush=True)
    try:
        src = open(path, encoding="utf-8").read()
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(src, path, "exec"), {"__name__": "__main__"})
        print("@@END", cid, "ok", file=sys.stderr, flush=True)
    except BaseException as exc:
        msg = (type(exc).__name__ + ": " + str(exc)).replace("\n", " ")[:200]
        print("@@END", cid, "error", msg, file=sys.stderr, flush=True)
'''


class PythonRunner(Runner):
    target = "python"
    tools = ("python3",)
    install_hint = "Debian package python3"
    extension = ".py"
    interpreter = ("python3",)
    driver_file = "_driver.py"
    driver = DRIVER
