"""Call recordings: the links a CRM plays them from, signed and expiring.

``RecordPath`` is ``{PBXCRM_PUBLIC_URL}/pbx/recordings/<token>/<file name>`` where the
token signs the file name and the time it was made; the portal serves the file while
the token is valid (RECORDING_LINK_SECONDS), with HTTP ranges so a player can seek.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import signing

_SALT = "pbxcrm.recordings"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RecordingRefused(Exception):
    """The link is expired, tampered with, or names no file."""


def link(file_name: str) -> str:
    """The absolute, signed URL of a recording; empty for an empty name."""
    if not file_name:
        return ""
    token = signing.TimestampSigner(salt=_SALT).sign(file_name)
    # The signature's own ":" would be fine in a path; the file name is quoted.
    return f"{settings.PUBLIC_URL.rstrip('/')}/pbx/recordings/{quote(token, safe='')}/"


def resolve(token: str) -> Path:
    """The recording a link's token names, if the token is genuine and not expired."""
    try:
        name = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=settings.RECORDING_LINK_SECONDS)
    except signing.SignatureExpired:
        raise RecordingRefused("this recording link has expired") from None
    except signing.BadSignature:
        raise RecordingRefused("this recording link is not valid") from None
    folder = Path(settings.RECORDINGS_DIR).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise RecordingRefused("the recording is not in the recordings folder")
    return path


def content_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) of a single ``Range: bytes=…`` header; None for the
    whole file. ValueError when the range cannot be satisfied."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None  # several ranges, or another unit: the whole file, as RFC 9110 allows
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0:
            raise ValueError("empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ValueError("range not satisfiable")
    return start, end
