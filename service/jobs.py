"""Background ingestion: add or remove one API, publish a new index version, switch to it.

``POST /apis`` validates the upload at once (a malformed spec is a 422 there, never a failed job),
stores it under ``INDEX_DIR/uploads/`` (the shared volume) and queues a job. Jobs run one at a time
in a worker thread: the ``Ingestor`` builds and publishes the next version, then this replica
reloads and announces the version so the others do too. Job records live in process and, when
Redis is up, in Redis, so ``GET /jobs/{id}`` answers on any replica.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import orjson
import yaml

from apipack.errors import (
    ApipackError,
    ConfigError,
    NoPathsError,
    NotFoundError,
    NotOpenAPIError,
    SpecParseError,
)
from service.index_watch import IndexWatcher
from service.metrics import Metrics
from service.redis_link import RedisLink

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]  # (stage, fraction done)
JOB_TTL_S = 24 * 3600


class Ingestor(Protocol):
    """Builds and publishes the next index version (``index_builder`` does the work)."""

    def add_api(self, index_dir: Path, spec_file: Path, progress: Progress) -> tuple[str, str]:
        """-> (api id, published version)"""
        ...

    def remove_api(self, index_dir: Path, api_id: str, progress: Progress) -> str:
        """-> published version"""
        ...


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors/aliases: an uploaded spec must not expand into gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases are not accepted in uploads",
                                              event.start_mark)
        return super().compose_node(parent, index)


def parse_upload(data: bytes, filename: str = "upload") -> dict[str, Any]:
    """The uploaded bytes as a spec document, or a 422 naming what is wrong."""
    text = data.decode("utf-8-sig", errors="replace").strip()
    if not text:
        raise SpecParseError(f"{filename}: the upload is empty; send an OpenAPI spec as JSON or YAML",
                             param="spec")
    try:
        doc = json.loads(text) if text[0] in "{[" else yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506
    except (ValueError, yaml.YAMLError) as exc:
        raise SpecParseError(f"{filename}: not valid JSON or YAML ({str(exc).splitlines()[0][:200]})",
                             param="spec") from None
    if not isinstance(doc, dict) or not ("openapi" in doc or "swagger" in doc):
        raise NotOpenAPIError(f"{filename}: not an OpenAPI document (no 'openapi' or 'swagger' field)",
                              param="spec")
    info = doc.get("info")
    if not isinstance(info, dict) or not isinstance(info.get("title"), str) or not info["title"].strip():
        raise NotOpenAPIError(f"{filename}: the spec needs info.title (it names the API)", param="spec")
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise NoPathsError(f"{filename}: the spec has no paths, so there is nothing to call", param="spec")
    return doc


class JobManager:
    def __init__(self, index_dir: Path, ingestor: Ingestor | None, watcher: IndexWatcher,
                 link: RedisLink, metrics: Metrics) -> None:
        self.index_dir = index_dir
        self.ingestor = ingestor
        self.watcher = watcher
        self.link = link
        self.metrics = metrics
        self._jobs: dict[str, dict[str, Any]] = {}
        self._queue: asyncio.Queue[tuple[str, Callable[[Progress], Any]]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._worker = asyncio.create_task(self._run())

    async def stop(self, grace_s: float) -> None:
        """Let a running job finish (up to ``grace_s``), then stop; queued jobs are marked failed."""
        if self._worker is None:
            return
        try:
            await asyncio.wait_for(self._queue.join(), timeout=grace_s)
        except TimeoutError:
            log.warning("shutting down with ingestion jobs unfinished")
        self._worker.cancel()
        await asyncio.gather(self._worker, return_exceptions=True)

    # --- submitting --------------------------------------------------------------------------
    async def submit_add(self, data: bytes, filename: str) -> dict[str, Any]:
        self._require_ingestor()
        doc = parse_upload(data, filename)
        uploads = self.index_dir / "uploads"
        digest = hashlib.sha256(data).hexdigest()[:16]
        path = uploads / f"{digest}.json"

        def write() -> None:
            uploads.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(orjson.dumps(doc))
            tmp.replace(path)

        await asyncio.to_thread(write)
        job = await self._new_job("add_api", api_id=None)
        ingestor = self.ingestor
        assert ingestor is not None

        def work(progress: Progress) -> tuple[str, str]:
            return ingestor.add_api(self.index_dir, path, progress)

        await self._queue.put((job["id"], work))
        return job

    async def submit_remove(self, api_id: str) -> dict[str, Any]:
        ingestor = self._require_ingestor()
        job = await self._new_job("remove_api", api_id=api_id)

        def work(progress: Progress) -> tuple[str, str]:
            return api_id, ingestor.remove_api(self.index_dir, api_id, progress)

        await self._queue.put((job["id"], work))
        return job

    async def get(self, job_id: str) -> dict[str, Any]:
        job = self._jobs.get(job_id)
        if job is None:
            raw = await self.link.call(lambda r: r.get(f"apipack:job:{job_id}"))
            if raw:
                job = orjson.loads(raw)
        if job is None:
            raise NotFoundError(f"unknown job {job_id!r} (jobs are kept for 24 h)", param="job_id")
        return job

    def _require_ingestor(self) -> Ingestor:
        if self.ingestor is None:
            raise ConfigError("this server cannot ingest specs (no index builder configured)")
        return self.ingestor

    async def _new_job(self, kind: str, api_id: str | None) -> dict[str, Any]:
        job = {"id": uuid.uuid4().hex, "kind": kind, "state": "queued", "progress": 0.0, "stage": "queued",
               "api_id": api_id, "index_version": None, "created_at": time.time(), "finished_at": None,
               "error": None}
        self._jobs[job["id"]] = job
        await self._save(job)
        return dict(job)

    async def _save(self, job: dict[str, Any]) -> None:
        payload = orjson.dumps(job)
        await self.link.call(lambda r: r.set(f"apipack:job:{job['id']}", payload, ex=JOB_TTL_S))

    # --- running -----------------------------------------------------------------------------
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            job_id, work = await self._queue.get()
            job = self._jobs[job_id]
            try:
                job.update(state="running", stage="starting")
                await self._save(job)

                pending: list[Any] = []

                def progress(stage: str, fraction: float, job: dict[str, Any] = job,
                             pending: list[Any] = pending) -> None:
                    job.update(stage=stage, progress=max(0.0, min(1.0, float(fraction))))
                    pending.append(asyncio.run_coroutine_threadsafe(self._save(dict(job)), loop))

                try:
                    api_id, version = await asyncio.to_thread(work, progress)
                except ApipackError as exc:
                    job.update(state="failed", error=exc.to_dict()["error"])
                except Exception:  # noqa: BLE001 - a builder bug fails the job, not the server
                    log.exception("ingestion job %s failed", job_id)
                    job.update(state="failed", error={"message": "ingestion failed (internal error); "
                                                      f"see the server log for job {job_id}",
                                                      "type": "internal_error", "param": None, "code": None})
                else:
                    job.update(stage="switching", api_id=api_id, index_version=version)
                    await self.watcher.reload()
                    await self.watcher.announce(version)
                    job.update(state="succeeded", stage="done", progress=1.0)
                job["finished_at"] = time.time()
                self.metrics.jobs.labels(state=job["state"]).inc()
                # progress saves still queued must land before the final one, not overwrite it
                await asyncio.gather(*(asyncio.wrap_future(f) for f in pending), return_exceptions=True)
                await self._save(job)
            finally:
                self._queue.task_done()
