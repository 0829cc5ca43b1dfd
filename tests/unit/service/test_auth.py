"""Keys are kept hashed, come from the setting and/or a file, and carry an admin scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from apipack.errors import AuthenticationError, ConfigError, PermissionDeniedError
from service.auth import ANONYMOUS, KeyStore, hash_key


def test_no_keys_configured_means_no_key_needed() -> None:
    store = KeyStore.from_sources(None, None)
    assert not store.enabled
    assert store.authenticate(None, None) is ANONYMOUS


def test_inline_and_file_keys_hashed_with_admin_scope(tmp_path: Path) -> None:
    file = tmp_path / "keys"
    file.write_text(f"# operators\nsha256:{hash_key('file-admin-key')}:admin\nfile-user-key\n")
    store = KeyStore.from_sources("inline-user-1,inline-admin-1:admin", file)
    assert "inline-user-1" not in repr(vars(store))  # only hashes are kept
    assert store.authenticate("Bearer inline-user-1", None).admin is False
    assert store.authenticate(None, "inline-admin-1").admin is True
    assert store.authenticate("bearer file-admin-key", None).admin is True
    principal = store.authenticate(None, "file-user-key")
    assert principal.admin is False and principal.key_id == hash_key("file-user-key")[:12]
    with pytest.raises(PermissionDeniedError):
        KeyStore.require_admin(principal)


@pytest.mark.parametrize(("authorization", "x_api_key", "words"), [
    (None, None, "missing API key"),
    ("Basic abc", None, "missing API key"),
    ("Bearer not-a-key-at-all", None, "invalid API key"),
    (None, "wrong-key-123", "invalid API key"),
])
def test_missing_or_wrong_key(authorization: str | None, x_api_key: str | None, words: str) -> None:
    store = KeyStore.from_sources("right-key-123", None)
    with pytest.raises(AuthenticationError, match=words):
        store.authenticate(authorization, x_api_key)


def test_bad_key_sources_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 8"):
        KeyStore.from_sources("short", None)
    with pytest.raises(ConfigError, match="64 hex"):
        KeyStore.from_sources("sha256:abc", None)
    with pytest.raises(ConfigError, match="cannot be read"):
        KeyStore.from_sources(None, tmp_path / "missing")
