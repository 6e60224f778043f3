"""The Content-Disposition of a download, as RFC 6266 and every browser read it.

A template's Key may hold any letter (``xssé``, ``客户``). Django encodes a header
value that is not Latin-1 as a whole MIME word (``=?utf-8?b?…?=``), which browsers
read as neither ``attachment`` nor a file name. So the header carries an ASCII
``filename`` that every client understands, and the real name as RFC 5987's
``filename*=UTF-8''…`` for those that read it (all current browsers).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote


def ascii_filename(name: str, fallback: str = "download") -> str:
    """``name`` with accents dropped and anything else outside safe ASCII made ``_``."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", plain).strip("._") or fallback
    return f"{plain}.{ext}" if ext else plain


def attachment(filename: str) -> str:
    """The Content-Disposition value that saves the response as ``filename``."""
    fallback = ascii_filename(filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
