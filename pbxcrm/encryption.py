"""Secrets at rest: passwords, client secrets and tokens are stored Fernet-encrypted.

The keys come from ``PBXCRM_SECRETS_KEY`` (comma-separated, newest first) or, unset,
from ``<data>/secrets_key`` (one key a line, newest first), generated once with mode
600 like SECRET_KEY. MultiFernet decrypts with any listed key and encrypts with the
first, so a key is rotated by putting a new one first and re-encrypting
(``python manage.py rotate_secrets_key``), then dropping the old one.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretsKeyError(RuntimeError):
    """No usable key, or a stored secret that no configured key can open."""


def key_file(data_dir: Path) -> Path:
    return data_dir / "secrets_key"


def read_keys(data_dir: Path, env_value: str = "") -> list[bytes]:
    """The configured keys, newest first (creating the key file on first use)."""
    if env_value.strip():
        return [k.strip().encode() for k in env_value.split(",") if k.strip()]
    path = key_file(data_dir)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode() + "\n")
    return [line.strip().encode() for line in path.read_text().splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _box() -> MultiFernet:
    from django.conf import settings

    keys = read_keys(Path(settings.DATA_DIR), settings.SECRETS_KEY)
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as err:
        raise SecretsKeyError(f"a secrets key is not a valid Fernet key: {err}") from None


def reset_keys() -> None:
    """Forget the loaded keys (after a rotation, or a test that changes them)."""
    _box.cache_clear()


def encrypt(text: str) -> str:
    return _box().encrypt(text.encode("utf-8")).decode("ascii") if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _box().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretsKeyError("a stored secret cannot be opened with the configured secrets keys") from None


def rotate(token: str) -> str:
    """``token`` re-encrypted with the newest key."""
    return _box().rotate(token.encode("ascii")).decode("ascii") if token else ""
