"""Versioned, atomic publishing of an index directory.

Layout::

    INDEX_DIR/
      current            -> text file naming the served version (replaced with os.replace)
      versions/<v>/      one complete index each (manifest.json written last)
      .staging-<v>/      a build in progress; never read

A build writes everything into a staging folder, renames it into ``versions/`` (atomic on one
file system) and only then swaps the ``current`` pointer, itself written to a temporary file and
renamed. A crash at any point leaves the served version untouched. The previous version is kept
(``keep`` versions in all); older ones and stale staging folders are removed.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

CURRENT = "current"
VERSIONS = "versions"


_last_version = [""]


def new_version() -> str:
    """Sortable and unique: UTC time to the microsecond plus the process id, and never the same
    twice in one process (two builds in one second must not collide: the second rename fails)."""
    now = time.time_ns()
    micros = now // 1000
    while True:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(micros // 10**6)) + f".{micros % 10**6:06d}"
        version = f"{stamp}-{os.getpid()}"
        if version > _last_version[0]:
            _last_version[0] = version
            return version
        micros += 1


def staging_dir(index_dir: Path, version: str) -> Path:
    path = index_dir / f".staging-{version}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def current_version(index_dir: Path) -> str | None:
    pointer = index_dir / CURRENT
    try:
        text = pointer.read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return text or None


def version_dir(index_dir: Path, version: str) -> Path:
    return index_dir / VERSIONS / version


def publish(index_dir: Path, staging: Path, version: str, *, keep: int = 2) -> Path:
    """Move a finished staging folder into place and point ``current`` at it."""
    target = version_dir(index_dir, version)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, target)
    tmp = index_dir / f".{CURRENT}.tmp-{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(version + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _prune(index_dir, keep=keep, protect=version)
    return target


def _prune(index_dir: Path, *, keep: int, protect: str) -> None:
    versions = sorted(p for p in (index_dir / VERSIONS).iterdir() if p.is_dir())
    for old in versions[:-keep] if keep > 0 else []:
        if old.name != protect:
            shutil.rmtree(old, ignore_errors=True)
    for stale in index_dir.glob(".staging-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
