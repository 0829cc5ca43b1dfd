"""The ``openai`` backend: any OpenAI-compatible server (vLLM in production; llama.cpp's server,
TGI, Ollama) over HTTP with httpx.

``/v1/completions`` with the API-Pack-Model prompt (the default), or ``/v1/chat/completions``
with the same prompt as the user message for chat models. Timeouts per request; retries with
exponential backoff for connection failures, 429 and 5xx (a read timeout is not retried: a slow
server stays slow, and retrying would multiply the wait); at most ``max_concurrency`` requests in
flight. vLLM's extras when asked for: a LoRA adapter per language, served under its own model
name (``adapters={"python": "apipack-python"}``), and ``structured_outputs`` (vLLM >= 0.12; not
the removed ``guided_*`` fields) holding the answer to the records' output layout.

Errors: nothing listening -> ``BackendUnavailableError``; no answer in time ->
``BackendTimeoutError``; a reply that is not the protocol's JSON -> ``BackendResponseError``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from apipack.errors import BackendError, BackendResponseError, BackendTimeoutError, BackendUnavailableError
from apipack.settings import Settings
from generation.backends.llm import LLMBackend
from generation.prompt import Tokenizer
from generation.sources import Renderer, Searcher, SpecSource

# The records' output layout (apipack.dataset.records.format_output) as a regex for vLLM's
# structured outputs; the lang line is left open so that the model can end it.
OUTPUT_LAYOUT_REGEX = r"\*\*domain\*\*:\[[^\n]*\]\n\*\*api_call\*\*:[\s\S]{1,4000}\n\*\*api_provider\*\*:[^\n]*\n\*\*lang\*\*:[^\n]*"
# Stop once the call and provider are out: the lang line adds nothing and the model would go on.
DEFAULT_STOP = ("\n**lang**:", "\n\n**instruction**", "\nYour actual task:")
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class OpenAIBackend(LLMBackend):
    name = "openai"

    def __init__(self, searcher: Searcher, specs: SpecSource, renderer: Renderer | None = None, *,
                 base_url: str, model: str, api_key: str | None = None,
                 endpoint: str = "completions", timeout_s: float = 30.0, connect_timeout_s: float = 5.0,
                 retries: int = 2, backoff_s: float = 0.5, max_concurrency: int = 8,
                 max_tokens: int = 512, temperature: float = 0.0, stop: tuple[str, ...] = DEFAULT_STOP,
                 adapters: Mapping[str, str] | None = None, structured_outputs: bool = False,
                 tokenizer: Tokenizer | None = None, fallback_on_error: bool = False,
                 min_score: float | None = None, min_api_confidence: float = 0.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(searcher, specs, renderer, tokenizer=tokenizer, fallback_on_error=fallback_on_error,
                         min_score=min_score, min_api_confidence=min_api_confidence)
        if endpoint not in ("completions", "chat"):
            raise ValueError(f"endpoint must be 'completions' or 'chat', not {endpoint!r}")
        root = base_url.rstrip("/")
        self.base_url = root if root.endswith("/v1") else root + "/v1"
        self.model = model
        self.endpoint = endpoint
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.stop = list(stop)
        self.adapters = dict(adapters or {})
        self.structured_outputs = structured_outputs
        self.timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(max_concurrency)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(connect_timeout_s, timeout_s)),
                                    headers=headers, transport=transport)

    def close(self) -> None:
        self._client.close()

    # -- requests ------------------------------------------------------------------------------------
    def model_for(self, language: str) -> str:
        """The model name to ask for: a LoRA adapter served for this language, else the base model."""
        return self.adapters.get(language, self.model)

    def payload(self, prompt: str, *, language: str, stream: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model_for(language), "max_tokens": self.max_tokens,
                                "temperature": self.temperature, "stream": stream}
        if self.stop:
            body["stop"] = self.stop
        if self.endpoint == "chat":
            body["messages"] = [{"role": "user", "content": prompt}]
        else:
            body["prompt"] = prompt
        if self.structured_outputs:
            body["structured_outputs"] = {"regex": OUTPUT_LAYOUT_REGEX}
        return body

    @property
    def url(self) -> str:
        return f"{self.base_url}/{'chat/completions' if self.endpoint == 'chat' else 'completions'}"

    def _send(self, body: dict[str, Any], *, stream: bool) -> httpx.Response:
        """POST with retries; the caller closes the response."""
        last: BackendError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                request = self._client.build_request("POST", self.url, json=body)
                response = self._client.send(request, stream=stream)
            except httpx.TimeoutException:
                raise BackendTimeoutError(
                    f"the LLM server at {self.base_url} gave no answer within {self.timeout_s:g} s; "
                    "raise APIPACK_OPENAI_TIMEOUT_S or check the server's load") from None
            except httpx.TransportError as exc:
                last = BackendUnavailableError(
                    f"the LLM server at {self.base_url} cannot be reached ({type(exc).__name__}: {exc}); "
                    "check APIPACK_OPENAI_BASE_URL and that the server is running")
                continue
            if response.status_code in _RETRY_STATUS:
                response.read()
                response.close()
                last = BackendUnavailableError(
                    f"the LLM server at {self.base_url} answered HTTP {response.status_code}: "
                    f"{response.text[:200]!r}")
                continue
            if response.status_code >= 400:
                response.read()
                response.close()
                raise BackendResponseError(
                    f"the LLM server at {self.base_url} refused the request with HTTP "
                    f"{response.status_code}: {response.text[:300]!r} (model {body.get('model')!r})")
            return response
        assert last is not None
        raise last

    @staticmethod
    def _text_of(choice: Any, chat: bool, *, delta: bool = False) -> str:
        if not isinstance(choice, dict):
            raise BackendResponseError("the LLM server's reply has no choices[0] object")
        if chat:
            message = choice.get("delta" if delta else "message") or {}
            text = message.get("content") if isinstance(message, dict) else None
            if delta and text is None:
                return ""
        else:
            text = choice.get("text")
        if not isinstance(text, str):
            raise BackendResponseError("the LLM server's reply has no text in choices[0]")
        return text

    def complete(self, prompt: str, *, language: str) -> str:
        with self._slots:
            response = self._send(self.payload(prompt, language=language), stream=False)
            try:
                data = response.json()
            except (ValueError, UnicodeDecodeError):
                raise BackendResponseError(
                    f"the LLM server at {self.base_url} did not answer with JSON: {response.text[:200]!r}") from None
            finally:
                response.close()
        choices = data.get("choices") if isinstance(data, dict) else None
        if not isinstance(choices, list) or not choices:
            raise BackendResponseError(f"the LLM server's reply has no choices: {str(data)[:200]!r}")
        return self._text_of(choices[0], self.endpoint == "chat")

    def complete_stream(self, prompt: str, *, language: str) -> Iterator[str]:
        """Text chunks from the server's server-sent events (``data: {...}`` ... ``data: [DONE]``)."""
        with self._slots:
            response = self._send(self.payload(prompt, language=language, stream=True), stream=True)
            try:
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    try:
                        event = json.loads(data)
                    except ValueError:
                        raise BackendResponseError(
                            f"the LLM server sent an event that is not JSON: {data[:200]!r}") from None
                    choices = event.get("choices") if isinstance(event, dict) else None
                    if not choices:
                        continue  # e.g. a final usage-only event
                    text = self._text_of(choices[0], self.endpoint == "chat", delta=True)
                    if text:
                        yield text
            except httpx.TimeoutException:
                raise BackendTimeoutError(
                    f"the LLM server at {self.base_url} stopped sending within {self.timeout_s:g} s") from None
            except httpx.TransportError as exc:
                raise BackendUnavailableError(
                    f"the LLM server at {self.base_url} dropped the stream ({type(exc).__name__})") from None
            finally:
                response.close()


def openai_options(settings: Settings) -> dict[str, Any]:
    """The ``OpenAIBackend`` options the settings give (entry points call this; the backend itself
    takes plain arguments)."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return {"base_url": settings.openai_base_url, "model": settings.openai_model, "api_key": key,
            "endpoint": settings.openai_endpoint, "timeout_s": settings.openai_timeout_s,
            "retries": settings.openai_retries, "max_concurrency": settings.openai_max_concurrency,
            "max_tokens": settings.openai_max_tokens}
