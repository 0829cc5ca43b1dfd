"""The ingestor behind ``POST /apis`` and ``DELETE /apis/{id}``: ``apipack.openapi`` loads the uploaded
spec, ``index_builder.build`` embeds only that API and publishes the next version atomically."""

from __future__ import annotations

import contextlib
import fcntl
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from service.jobs import Progress

Embedder = Any  # index_builder.embeddings.TextEmbedder (name, dim, encode)


def upload_api_id(doc: dict[str, Any]) -> str:
    """APIs.guru's naming when the spec carries it (provider[/service]), else a slug of the title."""
    info = doc.get("info") or {}
    provider = str(info.get("x-providerName") or "").strip()
    service = str(info.get("x-serviceName") or "").strip()
    if provider:
        return f"{provider}/{service}" if service else provider
    slug = re.sub(r"[^a-z0-9.]+", "-", str(info.get("title", "api")).lower()).strip("-.")
    return slug or "api"


@contextlib.contextmanager
def _exclusive(index_dir: Path) -> Iterator[None]:
    """One update at a time across processes (uvicorn workers, replicas on one volume): each update
    starts from the served version, so two at once would drop one's change."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".update.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class IndexIngestor:
    def __init__(self, embedder: Callable[[], Embedder], cache_dir: Path | None) -> None:
        self._embedder = embedder  # loaded on first use: the model is shared with the searcher
        self._cache_dir = cache_dir

    def _options(self, progress: Progress, start: float, end: float) -> Any:
        from index_builder.build import BuildOptions

        steps = [start]

        def report(message: str) -> None:
            steps[0] = min(end, steps[0] + (end - steps[0]) / 3)  # messages carry no fraction: approach `end`
            progress(message, steps[0])

        return BuildOptions(cache_dir=self._cache_dir, progress=report)

    def add_api(self, index_dir: Path, spec_file: Path, progress: Progress) -> tuple[str, str]:
        from apipack.openapi import load_spec
        from index_builder.build import add_api

        progress("loading the spec", 0.05)
        api_id = upload_api_id(json.loads(spec_file.read_text()))
        spec = load_spec(spec_file, api_id=api_id)
        progress("loading the embedding model", 0.15)
        embedder = self._embedder()
        with _exclusive(index_dir):
            folder = add_api(index_dir, spec, embedder, options=self._options(progress, 0.2, 0.95))
        return spec.api_id, folder.name

    def remove_api(self, index_dir: Path, api_id: str, progress: Progress) -> str:
        from index_builder.build import remove_api

        progress("loading the embedding model", 0.1)
        embedder = self._embedder()
        with _exclusive(index_dir):
            folder = remove_api(index_dir, api_id, embedder, options=self._options(progress, 0.2, 0.95))
        return folder.name
