"""``create_app(settings)``: the service's composition root.

The only place in ``service`` that reads settings, configures logging and picks implementations
(cache kind, key store, backends, index loader, ingestor). Collaborators are built by the small
factory functions below; tests pass their own ``runtime_factory``/``ingestor`` when they need to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from apipack.errors import ConfigError
from apipack.settings import Settings, load_settings
from service import errors
from service.auth import KeyStore
from service.cache import AnswerCache, MemoryCache, RedisCache
from service.index_watch import IndexWatcher
from service.ingest import IndexIngestor
from service.jobs import Ingestor, JobManager
from service.logging_config import configure_logging
from service.metrics import Metrics
from service.middleware import RequestMiddleware
from service.parts import Parts
from service.ratelimit import RateLimiter
from service.redis_link import RedisLink
from service.routes import apis, generate, health, jobs, playground, search
from service.routes.playground import STATIC_DIR
from service.search_cache import CachingSearcher
from service.state import Runtime, RuntimeFactory, RuntimeHolder

log = logging.getLogger(__name__)


# --- factories: the one place implementations are picked ----------------------------------------
class SharedModels:
    """The embedding model and reranker, loaded once per process on first use and shared by every
    index version's searcher and by the ingestor (a new version must not load a second model)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._embedder: Any = None
        self._reranker: Any = None

    def embedder(self) -> Any:
        with self._lock:
            if self._embedder is None:
                from retrieval.embedder import load_embedder

                # one ONNX Runtime thread: parallelism comes from requests (several intra-op threads
                # per request oversubscribed the cores under load: ~9 ms -> ~300 ms a query)
                self._embedder = load_embedder(self.settings.embed_model, threads=1)
            return self._embedder

    def reranker(self) -> Any:
        if not self.settings.reranker:
            return None
        with self._lock:
            if self._reranker is None:
                from retrieval.rerank import load_reranker

                self._reranker = load_reranker(self.settings.reranker)
            return self._reranker


def backend_options(settings: Settings, name: str) -> dict[str, Any] | None:
    """Options for backend ``name``; None when it is not configured (it is then not offered)."""
    if name == "grounded":
        return {}
    if name == "openai":
        if not settings.openai_base_url:
            return None
        from generation.backends.openai import openai_options

        return openai_options(settings)
    if name == "llamacpp":
        # the local model costs memory: offered only when chosen or given a model file
        if settings.backend != "llamacpp" and settings.llamacpp_model_path is None:
            return None
        return {"model_path": settings.llamacpp_model_path}
    return None


def make_runtime_factory(settings: Settings, models: SharedModels) -> RuntimeFactory:
    """Index + searcher + the configured backends for the version ``INDEX_DIR/current`` points at."""

    def build(index_dir: Path) -> Runtime | None:
        from index_builder.publish import current_version

        if current_version(index_dir) is None:
            return None
        from generation.backends import BACKENDS, create_backend
        from retrieval import load_index
        from retrieval.searcher import Searcher

        index = load_index(index_dir)
        searcher = CachingSearcher(Searcher(index, models.embedder(), models.reranker()))
        backends = {}
        for name in BACKENDS:
            options = backend_options(settings, name)
            if options is not None:
                backends[name] = create_backend(name, searcher, index, **options)
        # one query before serving: the first real request must not pay for lazy model/FAISS set-up
        searcher.search("list items", 1)
        if settings.backend not in backends:
            raise ConfigError(f"the default backend {settings.backend!r} is not configured "
                              "(the openai backend needs APIPACK_OPENAI_BASE_URL)", param="backend")
        runtime = Runtime(version=index.version, index=index, searcher=searcher, backends=backends,
                          default_backend=settings.backend)
        _release_free_memory()
        return runtime

    return build


def _release_free_memory() -> None:
    """After loading a version: collect what the previous one left (unfrozen first, so its cycles
    can go), give freed heap back to the OS (loading buffers would otherwise stay in malloc's free
    lists), then freeze the survivors.

    Frozen objects (the index's ~800k) are left out of the cyclic collector's passes: a full pass
    over them took ~0.5 s on the 2-core VM, a stall of every request in flight whenever the
    collector's oldest generation came due. Refcounting still frees them when a version goes."""
    import ctypes
    import gc

    gc.unfreeze()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        log.debug("malloc_trim unavailable")
    gc.freeze()


def make_ingestor(settings: Settings, models: SharedModels) -> Ingestor:
    return IndexIngestor(models.embedder, settings.cache_dir / "embeddings")


def make_cache(settings: Settings, link: RedisLink, metrics: Metrics) -> AnswerCache:
    if link.configured:
        return RedisCache(link, settings.cache_ttl_s, metrics)
    return MemoryCache(settings.cache_max_entries, metrics)


def make_keys(settings: Settings) -> KeyStore:
    inline = settings.api_keys.get_secret_value() if settings.api_keys else None
    return KeyStore.from_sources(inline, settings.api_keys_file)


# --- the app -----------------------------------------------------------------------------------
def create_app(settings: Settings, *, runtime_factory: RuntimeFactory | None = None,
               ingestor: Ingestor | None = None, use_default_ingestor: bool = True,
               configure_logs: bool = True) -> FastAPI:
    if configure_logs:
        configure_logging(settings.log_level)
    metrics = Metrics()
    redis_url = settings.redis_url.get_secret_value() if settings.redis_url else None
    link = RedisLink(redis_url, on_state=lambda up: metrics.redis_up.set(1 if up else 0))
    holder = RuntimeHolder()
    models = SharedModels(settings)
    factory = runtime_factory or make_runtime_factory(settings, models)
    if ingestor is None and use_default_ingestor:
        ingestor = make_ingestor(settings, models)
    watcher = IndexWatcher(settings.index_dir, factory, holder, link, metrics, settings.index_poll_interval_s)
    parts = Parts(settings=settings, metrics=metrics, link=link, holder=holder,
                  cache=make_cache(settings, link, metrics),
                  limiter=RateLimiter(settings.rate_limit_per_minute, link, metrics),
                  keys=make_keys(settings), watcher=watcher,
                  jobs=JobManager(settings.index_dir, ingestor, watcher, link, metrics))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if link.configured:
            await link.ping()
        parts.grounded_slots = asyncio.Semaphore(settings.grounded_slots)
        await watcher.reload()  # first load; the service starts even without an index (503s)
        watch_task = asyncio.create_task(watcher.run())
        parts.jobs.start()
        log.info("apipack service started", extra={"index_version": holder.runtime.version
                                                   if holder.runtime else None, "redis": link.configured})
        try:
            yield
        finally:
            parts.draining = True
            await parts.jobs.stop(settings.shutdown_grace_s)
            watch_task.cancel()
            await asyncio.gather(watch_task, return_exceptions=True)
            await link.close()
            log.info("apipack service stopped")

    app = FastAPI(title="apipack", version="0.1.0", lifespan=lifespan,
                  description="Plain-language request -> a runnable HTTP call for one of your APIs, in 10 "
                              "languages. Errors use OpenAI's envelope {\"error\": {message, type, param, code}}.")
    app.state.parts = parts
    errors.install(app)
    for module in (generate, search, apis, jobs, health, playground):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def body_limit(method: str, path: str) -> int:
        return settings.max_spec_bytes if (method == "POST" and path == "/apis") else settings.max_body_bytes

    app.add_middleware(RequestMiddleware, metrics=metrics, body_limit=body_limit)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory service.app:app_from_env`` (each worker builds its app from APIPACK_*)."""
    return create_app(load_settings())
