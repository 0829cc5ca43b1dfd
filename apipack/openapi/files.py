"""Finding spec files and naming their APIs.

An API's id is the spec's path relative to the directory it was found under, without the
``.json`` / ``.yaml`` / ``.yml`` extension: ``stripe.com``, ``amazonaws.com/s3`` for the
corpus (some names contain spaces; they are kept). A file given directly is named by its stem.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

SPEC_SUFFIXES = (".json", ".yaml", ".yml")


def api_id_for(file: Path, root: Path | None = None) -> str:
    rel = file.relative_to(root) if root is not None else Path(file.name)
    text = rel.as_posix()
    for suffix in SPEC_SUFFIXES:
        if text.lower().endswith(suffix):
            return text[: -len(suffix)]
    return text


def iter_spec_files(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """(file, api_id) for each spec file given or found (sorted) under each directory given.

    Hidden files and folders (``.git``, ``.cache``) are skipped; a path that does not exist is
    yielded as is so the loader reports it like any other unreadable spec.
    """
    for given in paths:
        given = Path(given)
        if given.is_dir():
            found = sorted(
                p for p in given.rglob("*")
                if p.suffix.lower() in SPEC_SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(given).parts))
            for file in found:
                yield file, api_id_for(file, given)
        else:
            yield given, api_id_for(given)
