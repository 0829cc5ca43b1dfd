"""API keys: only their SHA-256 hashes are kept; some keys carry the admin scope.

Keys come from the ``api_keys`` setting (``key[:admin]`` comma-separated) and/or the
``api_keys_file`` (one ``key[:admin]`` per line, ``#`` comments; a line may give
``sha256:<hex>[:admin]`` so the file never holds a clear key). With no key configured, every
request is accepted with the admin scope: local use needs no key.
Callers send ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from apipack.errors import AuthenticationError, ConfigError, PermissionDeniedError


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: str  # a short prefix of the key's hash: safe to use as a rate-limit bucket and in logs
    admin: bool


ANONYMOUS = Principal(key_id="anonymous", admin=True)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _parse_line(line: str, where: str) -> tuple[str, bool] | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    admin = False
    if line.endswith(":admin"):
        admin, line = True, line[: -len(":admin")]
    if line.startswith("sha256:"):
        digest = line[len("sha256:"):].lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ConfigError(f"{where}: 'sha256:' must be followed by 64 hex digits")
        return digest, admin
    if len(line) < 8:
        raise ConfigError(f"{where}: API keys must be at least 8 characters long")
    return hash_key(line), admin


class KeyStore:
    def __init__(self, hashed: dict[str, bool]) -> None:
        self._hashed = hashed  # sha256 hex -> admin

    @classmethod
    def from_sources(cls, inline: str | None, file: Path | None) -> KeyStore:
        hashed: dict[str, bool] = {}
        if inline:
            for i, item in enumerate(inline.split(",")):
                parsed = _parse_line(item, f"setting api_keys, item {i + 1}")
                if parsed:
                    hashed[parsed[0]] = hashed.get(parsed[0], False) or parsed[1]
        if file is not None:
            try:
                lines = Path(file).read_text().splitlines()
            except OSError as exc:
                raise ConfigError(f"api_keys_file {str(file)!r} cannot be read: {exc.strerror}") from None
            for n, line in enumerate(lines, 1):
                parsed = _parse_line(line, f"{file}:{n}")
                if parsed:
                    hashed[parsed[0]] = hashed.get(parsed[0], False) or parsed[1]
        return cls(hashed)

    @property
    def enabled(self) -> bool:
        return bool(self._hashed)

    def authenticate(self, authorization: str | None, x_api_key: str | None) -> Principal:
        if not self._hashed:
            return ANONYMOUS
        key = x_api_key
        if not key and authorization:
            scheme, _, value = authorization.partition(" ")
            if scheme.lower() == "bearer":
                key = value.strip()
        if not key:
            raise AuthenticationError(
                "missing API key; send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'", code="missing_key")
        digest = hash_key(key)
        for known, admin in self._hashed.items():
            # constant-time comparison over every key: no timing hint about which prefix matched
            if hmac.compare_digest(known, digest):
                return Principal(key_id=digest[:12], admin=admin)
        raise AuthenticationError("invalid API key; check the key or ask an operator for one",
                                  code="invalid_key")

    @staticmethod
    def require_admin(principal: Principal) -> None:
        if not principal.admin:
            raise PermissionDeniedError("this operation needs an admin key", code="admin_required")
