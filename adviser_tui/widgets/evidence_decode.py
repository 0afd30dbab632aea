"""Turning an attachment's bytes into something a terminal can show, within bounds (no Textual here).

Everything in this module runs in a worker thread, never on the event loop.
The bytes have already been through ``store.evidence`` (cleaned on the way
in), but a row written by an older version, a bug or a hand-edited database
must still not hang or crash the adviser's app, so every step is bounded
again here:

* pictures: the size is read from the header and checked against a pixel cap
  *before* any pixel is decoded (Pillow's decompression-bomb warning is made
  an error too); JPEGs are decoded at a reduced scale with ``Image.draft``
  (libjpeg does the 1/2, 1/4, 1/8 scaling while decoding, so a 12-megapixel
  photo never becomes 36 MB of pixels), other formats are shrunk with
  ``Image.reduce`` before the final resize;
* PDF pages: rendered by PDFium at a scale that fits the box, with the
  rendered pixels capped whatever size the page claims; PDFium is not
  thread-safe, so every call into it holds one lock;
* text: decoded as UTF-8 (bad bytes replaced), cut at a character cap.

Failures come out as ``PreviewError`` with one sentence for the adviser,
never a traceback.
"""

import io
import struct
import threading
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from store.evidence import Kind

# Pixels a picture may declare before we refuse to decode it (the cleaner's own limit).
MAX_SOURCE_PIXELS = 50_000_000
MAX_SOURCE_SIDE = 20_000
# The largest picture kept in memory for zooming: four times a large terminal's half-block grid.
WORKING_BOX = (1280, 1280)
# PDF pages are never rendered to more than this many pixels, whatever the page's declared size.
MAX_PAGE_PIXELS = 4_000_000
MAX_PDF_BYTES = 64 * 1024 * 1024
# A text preview stops here; the rest is in the exported file.
MAX_TEXT_CHARS = 200_000

_DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    zlib.error,
    IndexError,
    TypeError,
    KeyError,
    MemoryError,
    UnidentifiedImageError,
)
_TOO_LARGE = "This picture is too large to preview safely ({width:,} × {height:,} pixels)."

_pdfium_lock = threading.Lock()


class PreviewError(Exception):
    """A file that cannot be shown; ``str()`` is one sentence for the adviser."""


def kind_of(kind) -> Kind | None:
    """A ``store.evidence.Kind`` from a Kind, its name ("PDF"), its media type or its extension; else None."""
    if isinstance(kind, Kind):
        return kind
    text = str(kind or "").strip()
    lower = text.lower()
    for candidate in Kind:
        names = (candidate.media_type, candidate.media_type.split(";")[0], candidate.extension, candidate.extension[1:])
        if text.upper() == candidate.name or lower in names:
            return candidate
    return None


def human_size(size: int) -> str:
    """A byte count as people read it: 980 bytes, 14.2 KB, 3.1 MB."""
    if size < 1000:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


# Pictures


def open_picture(data: bytes, box: tuple[int, int] = WORKING_BOX) -> Image.Image:
    """The picture in ``data`` as RGB, no larger than ``box`` (aspect kept), decoded as little as possible."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width <= 0 or height <= 0:
                raise PreviewError("This picture says it has no pixels, so there is nothing to show.")
            if width > MAX_SOURCE_SIDE or height > MAX_SOURCE_SIDE or width * height > MAX_SOURCE_PIXELS:
                raise PreviewError(_TOO_LARGE.format(width=width, height=height))
            if image.format == "JPEG":
                # libjpeg scales while decoding: the cheapest way to a small picture.
                image.draft("RGB", box)
            image.load()
            image = _shrink(image, box)
            image = ImageOps.exif_transpose(image)
            return _as_rgb(image)
    except PreviewError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own check, in Image.open, before ours could read the size.
        raise PreviewError("This picture is too large to preview safely.") from None
    except _DECODE_ERRORS:
        raise PreviewError("This picture could not be decoded: it may be damaged or not a picture at all.") from None


def _shrink(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    factor = max(1, min(image.width // box[0], image.height // box[1]))
    if factor > 1:
        image = image.reduce(factor)  # box-averaging by a whole factor: fast, and the resize after is small
    if image.width > box[0] or image.height > box[1]:
        image = image.copy()
        image.thumbnail(box, Image.Resampling.BILINEAR)
    return image


def _as_rgb(image: Image.Image) -> Image.Image:
    """RGB, with transparency laid on a mid-grey (readable on both light and dark themes)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (128, 128, 128, 255))
        background.alpha_composite(image)
        return background.convert("RGB")
    return image.convert("RGB")


def fit(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``image`` scaled (up or down) to the largest size inside ``box`` with its aspect kept."""
    width, height = max(1, box[0]), max(1, box[1])
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


# PDF documents


class PdfPages:
    """An open PDF whose pages are rendered one at a time (close it when done)."""

    def __init__(self, data: bytes):
        import pypdfium2

        if len(data) > MAX_PDF_BYTES:
            raise PreviewError("This PDF is too large to preview; open the exported file.")
        self._pdfium = pypdfium2
        with _pdfium_lock:
            try:
                self._document = pypdfium2.PdfDocument(data)
                self.count = len(self._document)
            except (pypdfium2.PdfiumError, *_DECODE_ERRORS):
                raise PreviewError(
                    "This PDF could not be opened: it may be damaged, or protected by a password."
                ) from None
        if self.count < 1:
            self.close()
            raise PreviewError("This PDF has no pages.")

    def render(self, index: int, box: tuple[int, int]) -> Image.Image:
        """Page ``index`` (from 0) as an RGB picture fitting ``box``."""
        with _pdfium_lock:
            try:
                page = self._document[index]
                try:
                    width, height = page.get_size()
                    if not (width > 0 and height > 0):
                        raise PreviewError(f"Page {index + 1} has no size, so there is nothing to show.")
                    scale = min(box[0] / width, box[1] / height)
                    # However large the page claims to be, the bitmap stays small.
                    scale = min(scale, (MAX_PAGE_PIXELS / (width * height)) ** 0.5)
                    bitmap = page.render(scale=max(scale, 0.01), may_draw_forms=False)
                    image = bitmap.to_pil()
                    bitmap.close()
                finally:
                    page.close()
            except PreviewError:
                raise
            except (self._pdfium.PdfiumError, *_DECODE_ERRORS):
                raise PreviewError(f"Page {index + 1} of this PDF could not be drawn: it may be damaged.") from None
        return _as_rgb(image)

    def close(self) -> None:
        with _pdfium_lock:
            document, self._document = getattr(self, "_document", None), None
            if document is not None:
                document.close()


# Text


@dataclass
class TextPreview:
    text: str
    cut: bool  # True when the file holds more than is shown


def read_text(data: bytes, limit: int = MAX_TEXT_CHARS) -> TextPreview:
    """The text of a plain-text file (UTF-8, bad bytes replaced), at most ``limit`` characters."""
    text = data[: limit * 4].decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    cut = len(text) > limit or len(data) > limit * 4
    return TextPreview(text[:limit], cut)
