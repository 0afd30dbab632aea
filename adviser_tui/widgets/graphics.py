"""Pictures drawn by the terminal itself: kitty graphics with Unicode placeholders, and sixel.

``terminal_graphics.py`` decides which one a session uses; this module turns
a picture (already decoded and bounded by ``evidence_decode``: pixels only,
no metadata, never the file's own bytes) into what the terminal is sent.

**Kitty.** The pixels are sent once, as raw RGB compressed with zlib
(``f=24,o=z``) in base64 chunks of 4096 bytes, with a virtual placement
(``a=T,U=1``) of ``cols`` × ``rows`` cells and ``q=2`` so the terminal never
answers (an answer would reach the app as typed keys). The picture is then
drawn by ordinary text cells: U+10EEEE followed by two combining marks giving
the cell's row and column, in a foreground colour that carries the image id.
Those cells scroll, clip and sit under a modal like any text, so Textual
composes them as it does the half-blocks. An image is deleted from the
terminal (``a=d,d=I``) when it is replaced or its widget goes away.

**Sixel.** The picture is kept; the widget paints blank cells, and after
each frame that painted them the part of the picture they show (Textual says
which, ``render_lines``'s crop) is scaled to their pixels, quantised to the
terminal's colour registers (at most 256) and written as one sixel image with
the cursor saved, moved to their corner and restored. Bits left clear keep
what is under them, so nothing is painted outside the cells. Textual rewrites
cells only where something changed, so the picture stays until those cells
are painted again, which writes it again (encoded once per visible part).

What is written goes through the Textual driver (``app._driver.write``), the
same ordered queue as the frames, so an image never lands in the middle of
another escape sequence.
"""

import base64
import re
import secrets
import zlib

import numpy as np
from PIL import Image
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

PLACEHOLDER = "\U0010eeee"
# Kitty's row/column diacritics (rowcolumn-diacritics.txt in its graphics protocol): the n-th mark means n.
DIACRITICS = tuple(
    chr(int(code, 16))
    for code in (
        "0305 030D 030E 0310 0312 033D 033E 033F 0346 034A 034B 034C 0350 0351 0352 0357 035B 0363 0364 0365 0366 0367 "
        "0368 0369 036A 036B 036C 036D 036E 036F 0483 0484 0485 0486 0487 0592 0593 0594 0595 0597 0598 0599 059C 059D "
        "059E 059F 05A0 05A1 05A8 05A9 05AB 05AC 05AF 05C4 0610 0611 0612 0613 0614 0615 0616 0617 0657 0658 0659 065A "
        "065B 065D 065E 06D6 06D7 06D8 06D9 06DA 06DB 06DC 06DF 06E0 06E1 06E2 06E4 06E7 06E8 06EB 06EC 0730 0732 0733 "
        "0735 0736 073A 073D 073F 0740 0741 0743 0745 0747 0749 074A 07EB 07EC 07ED 07EE 07EF 07F0 07F1 07F3 0816 0817 "
        "0818 0819 081B 081C 081D 081E 081F 0820 0821 0822 0823 0825 0826 0827 0829 082A 082B 082C 082D 0951 0953 0954 "
        "0F82 0F83 0F86 0F87 135D 135E 135F 17DD 193A 1A17 1A75 1A76 1A77 1A78 1A79 1A7A 1A7B 1A7C 1B6B 1B6D 1B6E 1B6F "
        "1B70 1B71 1B72 1B73 1CD0 1CD1 1CD2 1CDA 1CDB 1CE0 1DC0 1DC1 1DC3 1DC4 1DC5 1DC6 1DC7 1DC8 1DC9 1DCB 1DCC 1DD1 "
        "1DD2 1DD3 1DD4 1DD5 1DD6 1DD7 1DD8 1DD9 1DDA 1DDB 1DDC 1DDD 1DDE 1DDF 1DE0 1DE1 1DE2 1DE3 1DE4 1DE5 1DE6 1DFE "
        "20D0 20D1 20D4 20D5 20D6 20D7 20DB 20DC 20E1 20E7 20E9 20F0 2CEF 2CF0 2CF1 2DE0 2DE1 2DE2 2DE3 2DE4 2DE5 2DE6 "
        "2DE7 2DE8 2DE9 2DEA 2DEB 2DEC 2DED 2DEE 2DEF 2DF0 2DF1 2DF2 2DF3 2DF4 2DF5 2DF6 2DF7 2DF8 2DF9 2DFA 2DFB 2DFC "
        "2DFD 2DFE 2DFF A66F A67C A67D A6F0 A6F1 A8E0 A8E1 A8E2 A8E3 A8E4 A8E5 A8E6 A8E7 A8E8 A8E9 A8EA A8EB A8EC A8ED "
        "A8EE A8EF A8F0 A8F1 AAB0 AAB2 AAB3 AAB7 AAB8 AABE AABF AAC1 FE20 FE21 FE22 FE23 FE24 FE25 FE26 10A0F 10A38 "
        "1D185 1D186 1D187 1D188 1D189 1D1AA 1D1AB 1D1AC 1D1AD 1D242 1D243 1D244 "
    ).split()
)
MAX_CELLS = len(DIACRITICS)  # a placement is at most this many columns and rows
# The most pixels sent for one picture; the terminal scales it to its cells.
MAX_SENT_PIXELS = 1_000_000
CHUNK = 4096
APC, ST = "\x1b_G", "\x1b\\"


def cells_for(size: tuple[int, int], box: tuple[int, int], cell: tuple[int, int]) -> tuple[int, int]:
    """The columns and rows, within ``box`` (in cells), that show a picture of ``size`` pixels with its aspect."""
    width, height = max(1, size[0]), max(1, size[1])
    columns, rows = max(1, min(box[0], MAX_CELLS)), max(1, min(box[1], MAX_CELLS))
    cell_width, cell_height = cell
    scale = min(columns * cell_width / width, rows * cell_height / height)
    return (
        max(1, min(columns, round(width * scale / cell_width))),
        max(1, min(rows, round(height * scale / cell_height))),
    )


def pixels_for(picture: Image.Image, cols: int, rows: int, cell: tuple[int, int]) -> Image.Image:
    """``picture`` resized to fill ``cols`` × ``rows`` cells, at most ``MAX_SENT_PIXELS``, as plain RGB pixels."""
    width, height = cols * cell[0], rows * cell[1]
    if width * height > MAX_SENT_PIXELS:
        factor = (MAX_SENT_PIXELS / (width * height)) ** 0.5
        width, height = max(1, int(width * factor)), max(1, int(height * factor))
    resized = picture.convert("RGB").resize((width, height), Image.Resampling.BILINEAR)
    # A new image from the bytes alone: nothing but pixels (no info, no ICC profile) can travel further.
    return Image.frombytes("RGB", resized.size, resized.tobytes())


def new_image_id() -> int:
    """A random image id in 24 bits (the foreground colour carries it; 0 is not an id)."""
    return 1 + secrets.randbelow(2**24 - 1)


def kitty_transmit(image_id: int, pixels: Image.Image, cols: int, rows: int) -> str:
    """The escape sequences that send ``pixels`` (RGB) and place them virtually over ``cols`` × ``rows`` cells."""
    if not 0 < image_id < 2**24:
        raise ValueError("image ids are 24 bits")
    if not (0 < cols <= MAX_CELLS and 0 < rows <= MAX_CELLS):
        raise ValueError("a placement is at most 297 cells each way")
    # Level 1: most of level 6's saving on pictures, in a third of the time.
    data = base64.standard_b64encode(zlib.compress(pixels.tobytes(), 1)).decode("ascii")
    first = f"a=T,U=1,f=24,o=z,s={pixels.width},v={pixels.height},i={image_id},c={cols},r={rows},q=2"
    chunks = [data[offset : offset + CHUNK] for offset in range(0, len(data), CHUNK)] or [""]
    out = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        keys = f"{first},m={more}" if index == 0 else f"m={more},q=2"
        out.append(f"{APC}{keys};{chunk}{ST}")
    return "".join(out)


def kitty_delete(image_id: int) -> str:
    """The escape sequence that deletes an image and its placements from the terminal (quietly)."""
    return f"{APC}a=d,d=I,i={image_id},q=2{ST}"


def kitty_style(image_id: int) -> Style:
    return Style(color=Color.from_rgb((image_id >> 16) & 255, (image_id >> 8) & 255, image_id & 255))


def kitty_row(image_id: int, row: int, start: int, end: int) -> Strip:
    """Placeholder cells ``start``..``end`` of one row of a placed image."""
    mark = DIACRITICS[row]
    text = "".join(PLACEHOLDER + mark + DIACRITICS[column] for column in range(start, end))
    return Strip([Segment(text, kitty_style(image_id))], end - start)


class _CellSized(Widget):
    """A picture widget exactly ``cols`` × ``rows`` cells, whatever its container offers."""

    cols: int
    rows: int

    @property
    def picture_size(self) -> Size:
        return Size(self.cols, self.rows)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.cols

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.rows


class KittyPicture(_CellSized):
    """A picture placed by kitty graphics: ``cols`` × ``rows`` placeholder cells for image ``image_id``."""

    DEFAULT_CSS = """
    KittyPicture {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, image_id: int, cols: int, rows: int, **kwargs):
        super().__init__(**kwargs)
        self.image_id, self.cols, self.rows = image_id, cols, rows

    def show(self, image_id: int, cols: int, rows: int) -> None:
        self.image_id, self.cols, self.rows = image_id, cols, rows
        self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        if 0 <= y < self.rows:
            return kitty_row(self.image_id, y, 0, min(self.cols, max(self.size.width, 0)))
        return Strip.blank(self.size.width)


# Sixel

SIXEL_COLOURS = 256


def sixel_encode(pixels: Image.Image, colours: int = SIXEL_COLOURS) -> str:
    """``pixels`` as one sixel image: at most ``colours`` colour registers, run-length encoded, unset bits clear."""
    colours = max(2, min(colours, 256))
    rgb = pixels.convert("RGB")
    # A palette for this picture, then the picture mapped onto it with error diffusion (no bands in gradients).
    # Octree is some twenty times faster than median cut here, and the dithering hides its coarser choice.
    palette_image = rgb.quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    quantised = rgb.quantize(palette=palette_image, dither=Image.Dither.FLOYDSTEINBERG)
    index = np.asarray(quantised, dtype=np.uint8)
    height, width = index.shape
    used = int(index.max()) + 1 if index.size else 1
    palette = (quantised.getpalette() or [])[: used * 3]
    palette += [0] * (used * 3 - len(palette))
    # P2=1: bits left at 0 keep what is under them, so the last band of rows never paints below the picture.
    out = [f'\x1bP0;1;0q"1;1;{width};{height}']
    out.extend(
        f"#{n};2;{palette[3 * n] * 100 // 255};{palette[3 * n + 1] * 100 // 255};{palette[3 * n + 2] * 100 // 255}"
        for n in range(used)
    )
    columns = np.arange(width)
    bits = np.zeros((used, width), dtype=np.uint8)
    for top in range(0, height, 6):
        band = index[top : top + 6]
        bits.fill(0)
        for k in range(band.shape[0]):
            bits[band[k], columns] |= np.uint8(1 << k)  # each column once per row: no index repeats
        parts = []
        for colour in np.unique(band):
            text = (bits[colour] + 63).tobytes().decode("ascii").rstrip("?")
            if text:
                parts.append(f"#{colour}" + _RUNS.sub(_run, text))
        out.append("$".join(parts) + "-")
    out.append("\x1b\\")
    return "".join(out)


_RUNS = re.compile(r"(.)\1{3,}")


def _run(match: re.Match) -> str:
    return f"!{len(match[0])}{match[1]}"


class SixelPicture(_CellSized):
    """A picture the terminal draws as sixel over ``cols`` × ``rows`` blank cells.

    The widget paints blank cells like any other; each time Textual paints them
    (``render_lines``, told which part is visible), the visible part of the
    picture is scaled to those cells, encoded (in a worker the first time, then
    kept) and written after that frame, at the cells' place on the screen.
    """

    DEFAULT_CSS = """
    SixelPicture {
        width: auto;
        height: auto;
    }
    """

    def __init__(
        self,
        picture: Image.Image,
        cols: int,
        rows: int,
        cell: tuple[int, int],
        colours: int,
        whole: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.cell, self.colours = cell, colours
        self._encoded: tuple[tuple, str] | None = None  # (what was encoded, the sixel image)
        self._wanted: tuple | None = None
        self.writes = 0  # sixel images written so far (tests wait on it)
        self.show(picture, cols, rows, whole)

    def show(self, picture: Image.Image, cols: int, rows: int, whole: str | None = None) -> None:
        """Show ``picture`` over ``cols`` × ``rows`` cells; ``whole``: it already encoded whole (``sixel_whole``)."""
        self.picture, self.cols, self.rows = picture, cols, rows
        self._encoded = ((id(picture), cols, rows, Region(0, 0, cols, rows)), whole) if whole else None
        self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width, self.rich_style)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if crop.width > 0 and crop.height > 0:
            self._wanted = (id(self.picture), self.cols, self.rows, crop)
            self.call_after_refresh(self._paint)
        return lines

    def _paint(self) -> None:
        """Write the visible part of the picture where its cells are (after the frame that painted them)."""
        wanted = self._wanted
        if wanted is None or not self.is_attached or not self.screen.is_active:
            return
        if self._encoded is not None and self._encoded[0] == wanted:
            self._write(wanted, self._encoded[1])
            return
        picture, cols, rows, cell, colours = self.picture, self.cols, self.rows, self.cell, self.colours
        crop = wanted[3]

        def encode() -> None:
            visible = _visible_pixels(picture, cols, rows, crop, cell)
            data = sixel_encode(visible, colours)
            self.app.call_from_thread(self._encoded_now, wanted, data)

        self.run_worker(encode, thread=True, group="sixel", exclusive=True)

    def _encoded_now(self, wanted: tuple, data: str) -> None:
        self._encoded = (wanted, data)
        if wanted == self._wanted:
            self._write(wanted, data)

    def _covered(self, region: Region) -> bool:
        """Whether a notice (toast) lies over ``region`` of the screen: a picture written now would hide it."""
        return any(toast.region.overlaps(region) for toast in self.screen.query("Toast"))

    def _write(self, wanted: tuple, data: str) -> None:
        if not self.is_attached or not self.screen.is_active:
            return
        crop: Region = wanted[3]
        origin = self.content_region.offset + crop.offset
        if self._covered(Region(origin.x, origin.y, crop.width, crop.height)):
            return  # when the notice goes, its cells are painted again, and so is the picture
        driver = getattr(self.app, "_driver", None)
        if driver is not None:
            # Save the cursor, go to the visible part's corner, draw, come back: Textual's cursor is untouched.
            driver.write(f"\x1b7\x1b[{origin.y + 1};{origin.x + 1}H{data}\x1b8")
            self.writes += 1


def sixel_whole(picture: Image.Image, cols: int, rows: int, cell: tuple[int, int], colours: int) -> str:
    """``picture`` over all its cells as one sixel image (a worker prepares it before the first frame)."""
    return sixel_encode(_visible_pixels(picture, cols, rows, Region(0, 0, cols, rows), cell), colours)


def _visible_pixels(picture: Image.Image, cols: int, rows: int, crop: Region, cell: tuple[int, int]) -> Image.Image:
    """The part of ``picture`` (stretched over ``cols`` × ``rows`` cells) under ``crop``, at the cells' pixels."""
    scale_x, scale_y = picture.width / cols, picture.height / rows
    box = (
        crop.x * scale_x,
        crop.y * scale_y,
        min(picture.width, crop.right * scale_x),
        min(picture.height, crop.bottom * scale_y),
    )
    # Exactly the cells' pixels (a terminal does not scale sixel); never more than the screen shows.
    size = (max(1, crop.width * cell[0]), max(1, crop.height * cell[1]))
    return picture.convert("RGB").resize(size, Image.Resampling.BILINEAR, box=box)
