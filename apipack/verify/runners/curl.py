"""shell_curl snippets: each command run by ``bash`` from one driver script."""

from __future__ import annotations

from apipack.verify.runners.base import Runner

DRIVER = r'''
for f in "$@"; do
  cid="${f%.sh}"
  echo "@@START $cid" >&2
  if out=$(bash "$f" 2>&1 >/dev/null); then echo "@@END $cid ok" >&2
  else echo "@@END $cid error exit $?: ${out:0:200}" | tr '\n' ' ' >&2; echo >&2; fi
done
'''


class CurlRunner(Runner):
    target = "curl"
    tools = ("bash", "curl")
    install_hint = "Debian package curl"
    extension = ".sh"
    interpreter = ("bash",)
    driver_file = "_driver.sh"
    driver = DRIVER
