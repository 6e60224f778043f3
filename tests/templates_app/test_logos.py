"""Logos are checked by their header, decoded, and re-drawn as a small PNG of our own."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from templates_app.logos import MAX_LOGO_BYTES, LogoError, prepare_logo
from tests.conftest import png_declaring


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def stored(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_20000_pixel_square_bomb_is_refused_with_a_message(png_bomb):
    assert len(png_bomb) < MAX_LOGO_BYTES
    with pytest.raises(LogoError, match="at most 4096 × 4096"):
        prepare_logo(png_bomb, "image/png")


def test_an_image_just_under_pillows_bomb_limit_is_refused_by_its_pixel_size():
    with pytest.raises(LogoError, match="10,000 × 10,000 pixels"):
        prepare_logo(png_declaring(10_000, 10_000), "image/png")


def test_a_truncated_png_is_refused():
    noise = Image.frombytes("RGB", (150, 150), (bytes(range(256)) * 264)[: 150 * 150 * 3])
    data = encoded(noise, "PNG")
    with pytest.raises(LogoError, match="not a readable"):
        prepare_logo(data[: len(data) // 2], "image/png")


def test_a_png_with_html_behind_it_is_stored_without_the_html(png_logo):
    polyglot = png_logo + b"<html><script>alert(document.cookie)</script></html>"
    kept = prepare_logo(polyglot, "image/png")
    assert b"<html" not in kept and b"script" not in kept
    assert stored(kept).format == "PNG"


def test_an_animated_gif_named_png_is_refused():
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(LogoError, match="not GIF"):
        prepare_logo(gif, "image/png")


def test_a_cmyk_jpeg_is_stored_as_an_rgb_png():
    cmyk = encoded(Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG")
    image = stored(prepare_logo(cmyk, "image/jpeg"))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (120, 80))
    assert image.getpixel((60, 40))[0] > 200  # still red


def test_a_large_logo_is_fitted_within_256_pixels_keeping_its_shape():
    image = stored(prepare_logo(encoded(Image.new("RGB", (1000, 600), "green"), "PNG"), "image/png"))
    assert image.size == (256, 154)


def test_metadata_is_not_kept():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    kept = prepare_logo(encoded(Image.new("RGB", (50, 50)), "PNG", pnginfo=info), "image/png")
    assert b"Comment" not in kept and not stored(kept).text


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(LogoError, match="not a readable"):
        prepare_logo(b"<svg></svg>", "image/png")


def test_a_still_gif_is_refused_as_a_format_the_guide_does_not_allow():
    with pytest.raises(LogoError, match="PNG, JPG or JPEG"):
        prepare_logo(encoded(Image.new("RGB", (10, 10)), "GIF"), "image/png")


def test_500_kb_or_more_is_refused_before_decoding(png_logo):
    with pytest.raises(LogoError, match="500 KB"):
        prepare_logo(png_logo + b"\0" * MAX_LOGO_BYTES, "image/png")


def test_a_transparent_png_keeps_its_transparency():
    image = stored(prepare_logo(encoded(Image.new("RGBA", (30, 30), (0, 0, 0, 0)), "PNG"), "image/png"))
    assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0
