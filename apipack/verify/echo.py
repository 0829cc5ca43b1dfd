"""A local HTTP echo server that records every request it receives, per verification case.

Snippets are rendered with the server URL pointed at ``http://127.0.0.1:PORT/__c/<case id>``, so a
request is attributed to its case by the first two path segments, whatever language sent it and
in whatever order the batches run. The server answers every request ``200 {}`` at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

CASE_PREFIX = "/__c/"
MAX_BODY = 8 * 1024 * 1024


@dataclass(slots=True)
class ArrivedRequest:
    method: str
    path: str  # without the /__c/<case> prefix, still percent-encoded
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: bytes
    raw_target: str = ""


@dataclass(slots=True)
class Recorder:
    by_case: dict[str, list[ArrivedRequest]] = field(default_factory=dict)
    unattributed: list[ArrivedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, case_id: str | None, req: ArrivedRequest) -> None:
        with self.lock:
            if case_id is None:
                self.unattributed.append(req)
            else:
                self.by_case.setdefault(case_id, []).append(req)


def _split_case(target: str) -> tuple[str | None, str, str]:
    parts = urlsplit(target)
    path = parts.path
    if path.startswith(CASE_PREFIX):
        rest = path[len(CASE_PREFIX):]
        case_id, _, tail = rest.partition("/")
        return case_id, "/" + tail if tail or path.endswith("/") else "", parts.query
    return None, path, parts.query


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    recorder: Recorder  # set on the subclass made per server
    stalled: frozenset[str] = frozenset()  # case ids this server never answers (to test time limits)
    release: threading.Event

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr
        return

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size_line = self.rfile.readline(1024).strip()
                size = int(size_line.split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline(1024)
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, MAX_BODY)) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        case_id, path, query = _split_case(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        self.recorder.add(case_id, ArrivedRequest(
            method=self.command, path=path, query=parse_qsl(query, keep_blank_values=True),
            headers=headers, body=body, raw_target=self.path))
        if case_id in self.stalled:
            self.release.wait()  # hold the connection open until the server shuts down
            return
        payload = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = _handle


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # a snippet that hangs up mid-request (a killed batch, a client time limit) is the case's
        # result, already recorded; it is no server error to print
        return


class EchoServer:
    """``with EchoServer() as echo:`` serves on a free loopback port in a background thread."""

    def __init__(self, host: str = "127.0.0.1", *, stalled: frozenset[str] = frozenset()) -> None:
        self.recorder = Recorder()
        self._release = threading.Event()
        handler = type("Handler", (_Handler,), {"recorder": self.recorder, "stalled": stalled,
                                                "release": self._release})
        self._server = _QuietServer((host, 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def base_url(self, case_id: str) -> str:
        return f"http://127.0.0.1:{self.port}{CASE_PREFIX}{case_id}"

    def __enter__(self) -> EchoServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
