"""Load test of POST /generate: throughput and p50/p99 latency at several concurrencies, cache hit and
miss, and the service's memory (RSS of the server and its workers).

A small asyncio load generator over raw keep-alive HTTP/1.1 connections (exact counts, no client
overhead to speak of; k6/locust would cost the 2-core machine more CPU than the server). One
connection per simulated user, each sending its next request as soon as the answer arrives.

    python bench/loadtest.py --index-dir index --workers 2            # starts `apipack serve` itself
    python bench/loadtest.py --url http://127.0.0.1:8000              # against a running server

``miss`` requests carry an instruction never sent before (a value appended), so every one goes
through retrieval and rendering; ``hit`` requests cycle through a set answered once beforehand.
Prints JSON lines per run, then a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

from generation.backends.local_server import free_port

LANGUAGES = ("python", "curl", "node", "go", "java", "ruby", "php", "swift", "libcurl", "javascript")


# --- the server ----------------------------------------------------------------------------------
def start_server(index_dir: str, workers: int, extra_env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # the default log level (INFO: one JSON line per request) as in production; the limit is off so
    # that the test measures the service, not the 429s
    env = {**os.environ, "APIPACK_INDEX_DIR": index_dir, "APIPACK_RATE_LIMIT_PER_MINUTE": "0", **extra_env}
    log = tempfile.NamedTemporaryFile(prefix="apipack-serve-", suffix=".log", delete=False)
    proc = subprocess.Popen([sys.executable, "-m", "apipack.cli.main", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    proc.log_path = log.name  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"apipack serve exited: {Path(log.name).read_text()[-3000:]}")
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("apipack serve did not become ready in 300 s")


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants: the service's own
    cost per request, whatever else the machine is running."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def tree_memory_mib(pid: int, field: str = "Rss:") -> float:
    """Memory of a process and all its descendants (uvicorn's workers), from /proc/*/smaps_rollup.

    "Rss:" counts a page shared by two workers (the memory-mapped vectors) in both; "Pss:" splits
    it between them, so the tree's Pss is what the service really holds."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# --- requests ------------------------------------------------------------------------------------
def instructions_from(url: str, limit: int = 400) -> list[tuple[str, str]]:
    """(instruction, api id) pairs from the served index: endpoint summaries as users would phrase them."""
    apis = httpx.get(url + "/apis", params={"limit": 5000}, timeout=30).json()["data"]
    random.Random(7).shuffle(apis)
    pairs: list[tuple[str, str]] = []
    for api in apis[:60]:
        detail = httpx.get(f"{url}/apis/{api['id']}", timeout=30).json()
        for ep in detail["endpoints"][:10]:
            text = (ep.get("summary") or ep.get("operation_id") or "").strip()
            if text:
                pairs.append((text, api["id"]))
    random.Random(11).shuffle(pairs)
    return pairs[:limit]


def request_bytes(host: str, body: dict) -> bytes:
    payload = json.dumps(body).encode()
    head = (f"POST /generate HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n")
    return head.encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server closes the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    closes = False
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
        elif line.lower().replace(b" ", b"") == b"connection:close":
            closes = True
    body = await reader.readexactly(length) if length else b""
    return status, body, closes


async def run_load(url: str, concurrency: int, duration_s: float, make_request) -> dict:  # noqa: ANN001
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    latencies: list[float] = []
    errors: list[str] = []
    cached = [0]
    stop_at = time.perf_counter() + duration_s

    async def user() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < stop_at:
                data = make_request()
                t0 = time.perf_counter()
                if writer.is_closing():  # the server closed it: reconnect, timed with this request
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(data)
                status, body, closes = await _read_response(reader)
                latencies.append(time.perf_counter() - t0)
                if closes:  # as an HTTP client does: the next request goes on a new connection
                    writer.close()
                if status != 200:
                    errors.append(f"{status}: {body[:200]!r}")
                elif b'"cached":true' in body:
                    cached[0] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2) if latencies else 0.0

    return {"concurrency": concurrency, "requests": len(latencies), "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0, "errors": len(errors),
            "cached_share": round(cached[0] / len(latencies), 3) if latencies else 0.0,
            "error_sample": errors[:3]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running server; otherwise one is started")
    ap.add_argument("--index-dir", default="index", help="index for the server this script starts")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--concurrency", default="1,16,64")
    ap.add_argument("--modes", default="miss,hit")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    ap.add_argument("--hit-set", type=int, default=200, help="distinct requests cycled in hit mode")
    ap.add_argument("--redis", action="store_true",
                    help="start a redis-server on a free port and cache there (as replicas would)")
    ap.add_argument("--json-out", help="also write the results here")
    args = ap.parse_args()

    if args.url is None and args.workers > 1 and not args.redis:
        ap.error("with several workers the cache is per worker unless Redis is used: add --redis")
    proc = redis_proc = None
    url = args.url
    if url is None:
        extra = {}
        if args.redis:
            redis_port = free_port()
            redis_proc = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                           "--save", "", "--appendonly", "no"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            extra["APIPACK_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        proc, url = start_server(args.index_dir, args.workers, extra)
    try:
        host = urlparse(url).netloc
        pairs = instructions_from(url)
        if not pairs:
            raise SystemExit("the index has no endpoint summaries to phrase requests from")
        ready = httpx.get(url + "/readyz", timeout=5).json()
        rss_idle = tree_memory_mib(proc.pid) if proc else None
        results = []
        counter = itertools.count()
        rng = random.Random(3)

        def miss_request() -> bytes:
            text, _ = pairs[rng.randrange(len(pairs))]
            n = next(counter)
            # a value that no earlier request carried: a new cache key every time
            return request_bytes(host, {"instruction": f"{text} for account {n}-{rng.randrange(10**9)}",
                                        "language": LANGUAGES[n % len(LANGUAGES)]})

        hit_set = [request_bytes(host, {"instruction": text, "language": LANGUAGES[i % len(LANGUAGES)]})
                   for i, (text, _) in enumerate((pairs * 3)[: args.hit_set])]
        cycle = itertools.cycle(hit_set)

        for mode in args.modes.split(","):
            if mode == "hit":  # fill the cache first
                for data in hit_set:
                    body = json.loads(data.split(b"\r\n\r\n", 1)[1])
                    httpx.post(url + "/generate", json=body, timeout=60)
            else:  # one short untimed run so first-request costs (model warm-up) stay out
                asyncio.run(run_load(url, 2, 2.0, miss_request))
            for c in (int(x) for x in args.concurrency.split(",")):
                make = miss_request if mode == "miss" else (lambda: next(cycle))
                cpu0 = tree_cpu_s(proc.pid) if proc else None
                out = asyncio.run(run_load(url, c, args.duration, make))
                if proc and cpu0 is not None and out["requests"]:
                    out["cpu_ms_per_request"] = round((tree_cpu_s(proc.pid) - cpu0) / out["requests"] * 1000, 3)
                out["mode"] = mode
                out["loadavg_1m"] = round(os.getloadavg()[0], 1)  # other work on the machine, for context
                if proc:
                    out["rss_mib"] = round(tree_memory_mib(proc.pid), 1)
                    out["pss_mib"] = round(tree_memory_mib(proc.pid, "Pss:"), 1)
                results.append(out)
                print(json.dumps(out), flush=True)
        summary = {"url": url, "workers": args.workers if proc else None, "redis": bool(redis_proc), "index_version": ready.get("index_version"),
                   "rss_idle_mib": round(rss_idle, 1) if rss_idle else None,
                   "rss_peak_mib": max((r.get("rss_mib", 0) for r in results), default=None),
                   "pss_peak_mib": max((r.get("pss_mib", 0) for r in results), default=None),
                   "cpus": os.cpu_count(), "results": results}
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(summary, indent=2))
        print()
        print("| mode | concurrency | requests | req/s | p50 ms | p99 ms | errors | cached | server CPU ms/req | load avg |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(f"| {r['mode']} | {r['concurrency']} | {r['requests']} | {r['rps']} | {r['p50_ms']} | "
                  f"{r['p99_ms']} | {r['errors']} | {r['cached_share']:.0%} | {r.get('cpu_ms_per_request', '-')} | "
                  f"{r['loadavg_1m']} |")
        if rss_idle is not None:
            print(f"\nservice RSS (all workers): {rss_idle:.0f} MiB after start, "
                  f"{summary['rss_peak_mib']:.0f} MiB at the end of the runs; "
                  f"PSS (shared pages split between workers) {summary['pss_peak_mib']:.0f} MiB")
        return 1 if any(r["errors"] for r in results) else 0
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            os.unlink(proc.log_path)  # type: ignore[attr-defined]
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
