"""Template logos: checked, then re-drawn by the portal before anything is stored.

A logo is served to every browser that opens the template list, so what is stored
must be an image the portal made itself, not the bytes it was given: a file can
declare 20,000 × 20,000 pixels in 388 KB (a decompression bomb), carry HTML after
its image data (a polyglot), be a GIF named .png, or be a CMYK JPEG that browsers
draw in odd colours. The guide's own rules (PNG, JPG or JPEG, less than 500 KB)
are checked first; then the header's pixel size, before a single pixel is
decoded; then the image is decoded, fitted within ``STORED_SIZE`` and written
anew as a PNG with no metadata.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

# The guide: logo "File size: Less than 500KB".
MAX_LOGO_BYTES = 500 * 1024
# The guide suggests 150 × 150; anything up to this is a plausible logo.
MAX_PIXELS_SIDE = 4096
# What is stored and served: small enough for a list row, sharp on a 2× screen.
STORED_SIZE = (256, 256)
# Pillow's format name of the formats the guide allows.
ACCEPTED_FORMATS = {"PNG", "JPEG"}
ACCEPTED_CONTENT_TYPES = {"", "image/png", "image/jpeg", "image/jpg", "image/pjpeg", "application/octet-stream"}
STORED_CONTENT_TYPE = "image/png"


class LogoError(ValueError):
    """The file is not a logo the portal will store; the message says why, for the admin."""


def prepare_logo(data: bytes, content_type: str = "") -> bytes:
    """The PNG to store for an uploaded logo, or LogoError saying what is wrong with it."""
    if not data:
        raise LogoError("The logo file is empty.")
    if len(data) >= MAX_LOGO_BYTES:
        raise LogoError(f"The logo must be smaller than 500 KB (this one is {len(data) // 1024} KB).")
    if content_type.lower() not in ACCEPTED_CONTENT_TYPES:
        raise LogoError("The logo must be a PNG, JPG or JPEG image.")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own two bomb limits: our limit is far lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                _check_header(image)
                image.load()
                return _redraw(image)
    except LogoError:
        raise
    except Image.DecompressionBombError as exc:
        raise LogoError(
            f"The logo declares more pixels than any logo needs; it may be at most "
            f"{MAX_PIXELS_SIDE} × {MAX_PIXELS_SIDE} pixels."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise LogoError("The logo is not a readable PNG, JPG or JPEG image (the file may be cut short).") from exc


def _check_header(image: Image.Image) -> None:
    if image.format not in ACCEPTED_FORMATS:
        raise LogoError(f"The logo must be a PNG, JPG or JPEG image, not {image.format or 'an unknown format'}.")
    if getattr(image, "is_animated", False):
        raise LogoError("The logo must be a still image, not an animation.")
    width, height = image.size
    if width > MAX_PIXELS_SIDE or height > MAX_PIXELS_SIDE:
        raise LogoError(
            f"The logo is {width:,} × {height:,} pixels; it may be at most "
            f"{MAX_PIXELS_SIDE:,} × {MAX_PIXELS_SIDE:,} (150 × 150 is suggested)."
        )


def _redraw(image: Image.Image) -> bytes:
    image = ImageOps.exif_transpose(image)  # a photo's rotation is in metadata we drop
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(STORED_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)  # a new file: no text chunks, no EXIF, nothing after the image
    return out.getvalue()
