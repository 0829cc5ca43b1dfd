"""Scoring answers that were generated elsewhere (e.g. on a GPU machine with no server and no index).

Two backends with the LLM backends' whole flow (search, the API-Pack-Model prompt, the parse of
``**api_call**:``, the spec check), so that an answer generated off-line is judged exactly as one
from an ``openai`` server would be:

- ``PromptCollector`` records the prompt each request would send and answers nothing (one pass
  over a test set writes the prompts to generate from);
- ``ReplayBackend`` answers each request with the text generated for it.

Both key a request by ``request_key`` (instruction, language, API named, examples asked for), not
by the prompt's text, so a replay does not depend on retrieval ranking the examples the same way
twice. A request with no answer raises ``BackendResponseError`` (the run reports it per case).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from apipack.errors import BackendResponseError, InvalidTestSetError
from generation.backends.llm import LLMBackend
from generation.types import Generation, GenerationRequest


def request_key(request: GenerationRequest) -> str:
    """A short stable id of what a request asks (not of the prompt built for it)."""
    raw = json.dumps([request.instruction, request.language, request.api, request.top_k])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


class _KeyedBackend(LLMBackend):
    """Remembers, per thread, the key of the request being answered (``complete`` only sees the prompt)."""

    name = "replay"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._local = threading.local()

    def generate(self, request: GenerationRequest) -> Generation:
        self._local.key = request_key(request)
        return super().generate(request)

    @property
    def current_key(self) -> str:
        return self._local.key


class PromptCollector(_KeyedBackend):
    """Records ``{key: prompt}`` and answers with nothing (every case then scores as unanswered)."""

    name = "collect"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.prompts: dict[str, str] = {}

    def complete(self, prompt: str, *, language: str) -> str:
        self.prompts[self.current_key] = prompt
        return ""


class ReplayBackend(_KeyedBackend):
    """Answers each request with ``answers[request_key(request)]``."""

    name = "replay"

    def __init__(self, *args: object, answers: Mapping[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.answers = dict(answers)

    def complete(self, prompt: str, *, language: str) -> str:
        text = self.answers.get(self.current_key)
        if text is None:
            raise BackendResponseError(f"no generated answer for request {self.current_key}; generate answers "
                                       "from the prompts this test set gives (same cases, same top_k)")
        return text


def write_prompts(path: Path, prompts: Mapping[str, str], **fields: object) -> int:
    """One JSON line per prompt: ``key``, ``prompt`` and ``fields`` (e.g. shots)."""
    with open(path, "a", encoding="utf-8") as fh:
        for key, prompt in prompts.items():
            fh.write(json.dumps({"key": key, "prompt": prompt, **fields}) + "\n")
    return len(prompts)


def read_answers(lines: Iterable[str], **where: object) -> dict[str, str]:
    """``{key: text}`` from JSON lines (``key``, ``text`` and other fields); ``where`` keeps only the
    lines whose fields have those values (e.g. ``model="base", shots=3``)."""
    out: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise InvalidTestSetError(f"answers line {n} is not JSON") from None
        if not isinstance(row, dict) or not isinstance(row.get("key"), str) or not isinstance(row.get("text"), str):
            raise InvalidTestSetError(f"answers line {n} has no 'key' and 'text' strings")
        if all(row.get(k) == v for k, v in where.items()):
            out[row["key"]] = row["text"]
    return out
