"""php_curl snippets: included one after the other, each in its own scope, in one ``php`` process."""

from __future__ import annotations

from apipack.verify.runners.base import Runner

DRIVER = r'''<?php
foreach (array_slice($argv, 1) as $path) {
  $cid = basename($path, ".php");
  fwrite(STDERR, "@@START $cid\n");
  ob_start();
  try {
    (function () use ($path) { include $path; })();
    ob_end_clean();
    fwrite(STDERR, "@@END $cid ok\n");
  } catch (Throwable $e) {
    ob_end_clean();
    fwrite(STDERR, "@@END $cid error " . get_class($e) . ": " . substr(str_replace("\n", " ", $e->getMessage()), 0, 200) . "\n");
  }
}
'''


class PhpRunner(Runner):
    target = "php"
    tools = ("php",)
    install_hint = "Debian packages php-cli and php-curl"
    extension = ".php"

    def check_toolchain(self) -> None:
        super().check_toolchain()
        import subprocess

        from apipack.verify.runners.base import MissingToolchainError

        modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.lower().split()
        if "curl" not in modules:
            raise MissingToolchainError("php: the curl extension is missing; install Debian package php-curl")

    interpreter = ("php",)
    driver_file = "_driver.php"
    driver = DRIVER
