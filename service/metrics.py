"""Every Prometheus metric of the service, declared here and nowhere else.

Names follow ``apipack_<what>_<unit>``; labels are low-cardinality (route templates, stage names,
backend names, a result word), never instructions, keys or API ids. Each app gets its own registry
so that several apps (tests) can live in one process. With several uvicorn workers and
``PROMETHEUS_MULTIPROC_DIR`` set, ``/metrics`` aggregates every worker's values.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

# Latency buckets in seconds: the goals are in milliseconds (miss p99 <= 100 ms).
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._version: str | None = None
        r = self.registry
        self.request_duration = Histogram(
            "apipack_request_duration_seconds", "HTTP request latency by route template.",
            ["route", "method", "status_class"], buckets=_BUCKETS, registry=r)
        self.stage_duration = Histogram(
            "apipack_stage_duration_seconds", "Time spent per pipeline stage (retrieval, render, check, ...).",
            ["stage"], buckets=_BUCKETS, registry=r)
        self.cache_lookups = Counter(
            "apipack_cache_lookups_total", "Cache lookups by result: hit, miss or error (Redis down).",
            ["result"], registry=r)
        self.backend_errors = Counter(
            "apipack_backend_errors_total", "Generation failures by backend and error type.",
            ["backend", "type"], registry=r)
        self.generations = Counter(
            "apipack_generations_total", "Answers by backend and status (ok, no_match).",
            ["backend", "status"], registry=r)
        self.rate_limited = Counter(
            "apipack_rate_limited_requests_total", "Requests refused with 429.", registry=r)
        self.auth_failures = Counter(
            "apipack_auth_failures_total", "Requests refused for a missing, wrong or unprivileged key.",
            ["reason"], registry=r)
        self.index_version = Gauge(
            "apipack_index_version_info", "1 for the index version this process serves.",
            ["version"], registry=r, multiprocess_mode="livemax")
        self.index_endpoints = Gauge(
            "apipack_index_endpoints_count", "Endpoints in the served index.", registry=r,
            multiprocess_mode="livemax")
        self.index_switches = Counter(
            "apipack_index_switches_total", "Index versions switched to while serving.", registry=r)
        self.redis_up = Gauge(
            "apipack_redis_up_bool", "1 when Redis answered the last call, 0 when degraded (or unset).",
            registry=r, multiprocess_mode="livemin")
        self.jobs = Counter(
            "apipack_ingest_jobs_total", "Spec ingestion jobs by final state.", ["state"], registry=r)

    def set_index(self, version: str, endpoints: int) -> None:
        # set the old version to 0 rather than clear(): clear() does not reach multiprocess files
        if self._version is not None and self._version != version:
            self.index_version.labels(version=self._version).set(0)
        self._version = version
        self.index_version.labels(version=version).set(1)
        self.index_endpoints.set(endpoints)

    def exposition(self) -> tuple[bytes, str]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged)
            return generate_latest(merged), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
