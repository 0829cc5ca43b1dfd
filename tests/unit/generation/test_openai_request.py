"""The openai backend's requests, built without a server: URL, payload, adapters, structured outputs."""

from __future__ import annotations

import re

from apipack.dataset.records import format_output
from generation.backends.openai import OUTPUT_LAYOUT_REGEX, OpenAIBackend


def _backend(**options: object) -> OpenAIBackend:
    # searcher and specs are not touched when only requests are built
    return OpenAIBackend(None, None, base_url="http://127.0.0.1:9/", model="base", **options)  # type: ignore[arg-type]


def test_base_url_gets_v1_once() -> None:
    assert _backend().url == "http://127.0.0.1:9/v1/completions"
    assert OpenAIBackend(None, None, base_url="http://h:1/v1", model="m").url == "http://h:1/v1/completions"  # type: ignore[arg-type]
    assert _backend(endpoint="chat").url == "http://127.0.0.1:9/v1/chat/completions"


def test_completion_and_chat_payloads() -> None:
    body = _backend(max_tokens=99).payload("PROMPT", language="go")
    assert body["prompt"] == "PROMPT" and body["model"] == "base" and body["max_tokens"] == 99
    assert body["temperature"] == 0.0 and body["stream"] is False and "\n**lang**:" in body["stop"]
    chat = _backend(endpoint="chat").payload("PROMPT", language="go", stream=True)
    assert chat["messages"] == [{"role": "user", "content": "PROMPT"}] and chat["stream"] is True


def test_lora_adapter_by_language_and_structured_outputs() -> None:
    backend = _backend(adapters={"python": "apipack-py"}, structured_outputs=True)
    assert backend.payload("p", language="python")["model"] == "apipack-py"
    body = backend.payload("p", language="curl")
    assert body["model"] == "base"
    assert body["structured_outputs"] == {"regex": OUTPUT_LAYOUT_REGEX}
    assert not [k for k in body if k.startswith("guided_")]


def test_output_layout_regex_accepts_the_records_layout() -> None:
    output = format_output(["Widgets"], "curl --request GET \\\n  --url https://x.io/w", "x.io", "cURL")
    assert re.fullmatch(OUTPUT_LAYOUT_REGEX, output)
