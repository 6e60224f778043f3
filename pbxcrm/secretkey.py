"""The SECRET_KEY a fresh install generates once and keeps in its data folder."""

import os
import secrets
from pathlib import Path


def load_or_create_secret_key(path: Path) -> str:
    """Read the key from path, creating it (mode 600) on first use.

    Creation uses O_EXCL so that two processes starting together (web and worker)
    cannot write two different keys: the loser reads the winner's file.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        # An empty file means the other process has not written yet (or crashed); retry briefly.
        import time

        for _ in range(50):
            time.sleep(0.02)
            key = path.read_text().strip()
            if key:
                return key
        raise RuntimeError(f"{path} is empty; delete it to generate a new secret key") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
