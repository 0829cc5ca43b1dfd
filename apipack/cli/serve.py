"""``apipack serve``: run the HTTP service (FastAPI on uvicorn), several workers if asked.

Flags override ``APIPACK_*`` settings; they are passed to the workers through the environment, so
every worker process builds the same app with ``service.app.app_from_env``.
"""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve POST /generate, /search, /apis, the playground page and /metrics")
    p.add_argument("--host", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8000)")
    p.add_argument("--workers", type=int, help="worker processes, each with its own listening socket on the "
                   "port (SO_REUSEPORT) so that connections spread over them (default 1)")
    p.add_argument("--index-dir", help="published index folder (APIPACK_INDEX_DIR)")
    p.add_argument("--backend", choices=["grounded", "openai", "llamacpp"], help="default backend")
    p.add_argument("--redis-url", help="redis://host:port/db; unset: in-process cache and limits")
    p.add_argument("--log-level", help="DEBUG, INFO, WARNING, ...")
    p.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from apipack.settings import load_settings

    overrides = {"host": args.host, "port": args.port, "workers": args.workers, "index_dir": args.index_dir,
                 "backend": args.backend, "redis_url": args.redis_url, "log_level": args.log_level}
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"APIPACK_{name.upper()}"] = str(value)
    settings = load_settings()  # validates once here: a bad setting is a one-line error, exit 2
    if settings.workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        import tempfile

        # /metrics then sums the workers' values (prometheus_client's multiprocess mode)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="apipack-metrics-")
    options = {"factory": True, "host": settings.host, "port": settings.port, "log_config": None,
               "access_log": False, "proxy_headers": True, "lifespan": "on",
               "timeout_graceful_shutdown": settings.shutdown_grace_s or None}
    if settings.workers > 1:
        from service.workers import run_workers

        # a listening socket per worker, so that connections spread over them
        run_workers(uvicorn.Config("service.app:app_from_env", **options), settings.workers)
    else:
        uvicorn.run("service.app:app_from_env", **options)
    return 0
