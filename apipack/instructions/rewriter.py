"""The seam where an LLM rewrites template instructions (API Pack used Mistral-7B for this).

``InstructionRewriter.rewrite(texts, context)`` returns one text per input, same order. The
identity rewriter is the default; ``OpenAICompatibleRewriter`` asks any OpenAI-compatible server
(vLLM, llama.cpp's server) on ``/chat/completions`` and falls back to the template text when an
answer is empty or looks like chatter, so a rewrite can never lose an instruction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from apipack.errors import BackendResponseError, BackendTimeoutError, BackendUnavailableError

REWRITE_PROMPT = (
    "Rewrite the request below the way a developer would type it into a search box: one line, "
    "same meaning, keep names and values, no quotes, no explanation.\n"
    "API: {api_name}\nEndpoint: {method} {path}\nRequest: {text}\nRewritten:"
)


class InstructionRewriter(Protocol):
    def rewrite(self, texts: Sequence[str], context: dict[str, str]) -> list[str]:
        """One rewritten text per input; ``context`` has api_name, method and path."""
        ...


class IdentityRewriter:
    """Keeps the template texts (the default: offline, deterministic)."""

    def rewrite(self, texts: Sequence[str], context: dict[str, str]) -> list[str]:
        return list(texts)


class OpenAICompatibleRewriter:
    """Rewrites through an OpenAI-compatible chat endpoint at temperature 0 (deterministic per server)."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None, timeout_s: float = 30.0,
                 max_tokens: int = 64) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.max_tokens = max_tokens

    def rewrite(self, texts: Sequence[str], context: dict[str, str]) -> list[str]:
        import httpx  # lazy: only builds that ask for a rewrite need it

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        out: list[str] = []
        with httpx.Client(base_url=self.base_url, timeout=self.timeout_s, headers=headers) as client:
            for text in texts:
                prompt = REWRITE_PROMPT.format(text=text, **{k: context.get(k, "") for k in
                                                             ("api_name", "method", "path")})
                body: dict[str, Any] = {"model": self.model, "temperature": 0, "max_tokens": self.max_tokens,
                                        "messages": [{"role": "user", "content": prompt}]}
                try:
                    resp = client.post("/chat/completions", json=body)
                except httpx.TimeoutException as exc:
                    raise BackendTimeoutError(f"instruction rewriter at {self.base_url} timed out after "
                                              f"{self.timeout_s}s; raise the timeout or drop --rewriter") from exc
                except httpx.HTTPError as exc:
                    raise BackendUnavailableError(f"instruction rewriter at {self.base_url} is unreachable "
                                                  f"({exc}); start the server or drop --rewriter") from exc
                if resp.status_code != 200:
                    raise BackendResponseError(f"instruction rewriter answered HTTP {resp.status_code}: "
                                               f"{resp.text[:200]}")
                out.append(_accept(_content(resp.json()), text))
        return out


def _content(payload: dict[str, Any]) -> str:
    try:
        return str(payload["choices"][0]["message"]["content"] or "")
    except (KeyError, IndexError, TypeError) as exc:
        raise BackendResponseError("instruction rewriter answered without choices[0].message.content") from exc


def _accept(answer: str, fallback: str) -> str:
    """First line of the answer, unquoted; the template text when the answer is unusable."""
    line = answer.strip().splitlines()[0].strip().strip("\"'") if answer.strip() else ""
    if not line or len(line) > 4 * max(len(fallback), 40) or line.lower().startswith(("sure", "here", "i can")):
        return fallback
    return line


REWRITERS: dict[str, type] = {"identity": IdentityRewriter, "openai": OpenAICompatibleRewriter}
