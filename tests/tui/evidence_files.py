"""Real files for the evidence viewer's tests and bench, made in memory: photos, screenshots, PDFs, hostile ones."""

import io
import struct
import zlib

from PIL import Image, ImageDraw


def photo_jpeg(width=4000, height=3000, quality=90):
    """A photo-like JPEG (gradients and shapes, so it compresses like a real one); 12 megapixels by default."""
    small = Image.linear_gradient("L").resize((width // 8, height // 8))
    red = small
    green = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize((width // 8, height // 8))
    blue = Image.effect_mandelbrot((width // 8, height // 8), (-2.2, -1.2, 1.0, 1.2), 64)
    image = Image.merge("RGB", (red, green, blue)).resize((width, height), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    for i in range(0, width, max(1, width // 12)):
        draw.ellipse((i, height // 3, i + width // 16, height // 3 + width // 16), fill=(250, 240, 30), outline=0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def stripes_png(width=64, height=32):
    """Four vertical bands, red / green / blue / white: easy to recognise in half-blocks."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    colours = [(220, 30, 30), (30, 200, 30), (30, 30, 220), (255, 255, 255)]
    for i, colour in enumerate(colours):
        draw.rectangle((i * width // 4, 0, (i + 1) * width // 4 - 1, height - 1), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def webp(width=300, height=200):
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, width - 20, height - 20), fill=(200, 80, 160, 255))
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", lossless=True)
    return buffer.getvalue()


def pdf(pages=3, text="Tellus evidence"):
    """A PDF of ``pages`` A4 pages, each with a different colour block and its number."""
    images = []
    for number in range(1, pages + 1):
        page = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(page)
        shade = (40 * number % 255, 120, 200 - 7 * number % 200)
        draw.rectangle((50, 50, 545, 300 + 10 * number), fill=shade)
        draw.text((60, 400), f"{text} page {number}", fill="black")
        images.append(page)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return buffer.getvalue()


def _png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_declaring(width, height, rows_of_zeros=0):
    """A PNG whose header claims ``width`` × ``height`` (greyscale), with ``rows_of_zeros`` rows of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = (b"\x00" + b"\x00" * width) * rows_of_zeros
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw, 9))
        + _png_chunk(b"IEND", b"")
    )


def decompression_bomb_png(side=30_000, rows=None):
    """A ``side`` × ``side`` greyscale PNG of zeros: a small file that would be side² bytes decoded.

    With ``rows`` only that many rows of data are written (the header still
    claims the full size: a viewer must refuse it from the header alone).
    """
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    body = b"".join(compressor.compress(row) for _ in range(side if rows is None else rows)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def malformed_pdf():
    """The first half of a real PDF with its cross-reference table garbled."""
    good = pdf(pages=2)
    return good[: len(good) // 2] + b"\nxref\n0 9999999\ngarbage\n%%EOF"


HOSTILE_TEXT = (
    "Evidence log 📎 — \x1b[2J\x1b]0;pwned\x07 [bold]not bold[/bold] [@click=app.quit]quit[/]\n"
    "Cymraeg: Mae’r neges hon yn bwysig iawn.\n"
    "عربي: هذه رسالة مهمة جدا\n"
    "RTL override: \u202etxet desrever\u202c end \x9b31m C1 \x85 \n"
    + ("A long line of evidence text. " * 40 + "\n")
    * 200
)
