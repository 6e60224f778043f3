"""The data folder: the SQLite database, the embedded broker, the secret key.

Secrets are about to live in that database, so the folder is private to the portal's
user (0700) and so is every file in it (0600): on creation, and again at every start,
because a file copied in or restored from a backup keeps the mode it came with.
SQLite gives the -wal and -shm files the mode of their database, so creating the
database files 0600 before SQLite opens them is enough for those.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def prepare_data_dir(path: Path, files: tuple[str, ...] = ()) -> None:
    """Create ``path`` (0700) and ``files`` in it (0600, empty), and make every file in
    it 0600 and the folder 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    for name in files:
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for entry in os.scandir(path):
        if entry.is_file(follow_symlinks=False) and stat.S_IMODE(entry.stat().st_mode) != FILE_MODE:
            os.chmod(entry.path, FILE_MODE)
