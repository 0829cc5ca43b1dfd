"""Several worker processes on one port, each with its own listening socket (``SO_REUSEPORT``).

uvicorn's ``--workers`` shares one listening socket: the worker that wakes first accepts every
connection waiting, so keep-alive clients (a portal's connection pool, a load balancer) pile onto
one process. Measured on the 2-core VM with 16 connections: one worker used 21 s of CPU, the
other 7 s, and throughput was that of one core. With a socket per worker the kernel spreads new
connections over the workers by a hash of their addresses.

Connections still split unevenly by chance; ``ConnectionShare`` evens them out by closing a
connection of a worker above its share after a response (the client reconnects).

``run_workers(config, n)`` starts ``n`` spawned processes, each binding its own socket and running
``uvicorn.Server``; SIGTERM / SIGINT are passed on (each worker shuts down gracefully, as uvicorn
does on its own) and a worker that dies is started again, unless it died within 10 s of starting.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
from types import FrameType
from typing import Any

import uvicorn

from apipack.errors import ConfigError

log = logging.getLogger(__name__)
_EARLY_EXIT_S = 10.0


def port_in_use(host: str, port: int) -> bool:
    """Something already listens there (``SO_REUSEPORT`` would otherwise share the port with it)."""
    try:
        with socket.create_connection((host if host not in ("0.0.0.0", "::") else "127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def reuseport_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


class ConnectionShare:
    """Keeps a worker near its share of the open connections. The workers write how many they
    hold into memory they share; one holding more than an even share answers its next response
    with ``Connection: close`` (at most every ``interval_s``), the client reconnects, and the
    kernel hashes the new connection anew. A random split of 16 connections is 10/6 or worse a
    third of the time, and the fuller worker's queue sets the latency tail."""

    def __init__(self, slot: int, counts: Any, interval_s: float = 0.05) -> None:
        self.slot = slot
        self.counts = counts  # multiprocessing Array("i", workers): open connections per worker
        self.interval_s = interval_s
        self.server: Any = None  # uvicorn.Server, whose server_state.connections are the open ones
        self._last = 0.0

    def should_close(self) -> bool:
        if self.server is None:
            return False
        mine = len(self.server.server_state.connections)
        self.counts[self.slot] = mine
        fair = -(-sum(self.counts) // len(self.counts))  # ceiling
        now = time.monotonic()
        if mine > fair and now - self._last >= self.interval_s:
            self._last = now
            return True
        return False


_share: ConnectionShare | None = None


def connection_share() -> ConnectionShare | None:
    """This process's ``ConnectionShare`` when it is one of several workers, else None."""
    return _share


def _worker(config: uvicorn.Config, slot: int, counts: Any) -> None:
    """One worker process: its own socket on the shared port, then uvicorn as usual."""
    global _share
    config.configure_logging()
    sock = reuseport_socket(config.host, config.port, config.backlog)
    server = uvicorn.Server(config)
    _share = ConnectionShare(slot, counts)
    _share.server = server
    server.run(sockets=[sock])


def run_workers(config: uvicorn.Config, workers: int) -> None:
    """Serve with ``workers`` processes until SIGTERM / SIGINT; raises ``ConfigError`` when a
    worker dies within seconds of starting (a set-up that restarting cannot mend)."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise ConfigError("several workers need SO_REUSEPORT (Linux, BSD, macOS); run one worker per process")
    if port_in_use(config.host, config.port):
        raise ConfigError(f"{config.host}:{config.port} is already in use; stop what listens there or pick "
                          "another --port")
    spawn = multiprocessing.get_context("spawn")
    counts = spawn.Array("i", workers, lock=False)
    procs: list[Any] = [None] * workers
    started = [0.0] * workers
    stopping = False

    def launch(i: int) -> None:
        counts[i] = 0
        procs[i] = spawn.Process(target=_worker, args=(config, i, counts), name=f"apipack-worker-{i}")
        procs[i].start()
        started[i] = time.monotonic()

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for proc in procs:
            if proc is not None and proc.is_alive() and proc.pid is not None:
                proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    failed = False
    try:
        for i in range(workers):
            launch(i)
        while not stopping:
            time.sleep(1.0)
            for i, proc in enumerate(procs):
                if stopping or proc.is_alive():
                    continue
                if time.monotonic() - started[i] < _EARLY_EXIT_S:  # broken set-up: restarting cannot help
                    log.error("worker %s exited with code %s within %.0f s of starting; stopping (its "
                              "error is above)", proc.name, proc.exitcode, _EARLY_EXIT_S)
                    failed = True
                    stop(signal.SIGTERM, None)
                    break
                log.warning("worker %s exited with code %s; starting it again", proc.name, proc.exitcode)
                launch(i)
        grace = (config.timeout_graceful_shutdown or 30) + 5
        for proc in procs:
            proc.join(grace)
            if proc.is_alive():
                proc.kill()
                proc.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failed:
        raise ConfigError(f"a worker exited within {_EARLY_EXIT_S:.0f} s of starting; its error is above")
