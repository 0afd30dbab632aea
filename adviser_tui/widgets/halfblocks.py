"""Pictures drawn with Unicode half-blocks: each cell is "▀" with the upper pixel as its colour and the lower
pixel as its background, so a cell shows two square-ish pixels.

This works in every terminal with 24-bit colour (and degrades through
Textual's colour reduction elsewhere), over SSH and in tmux, and it is made of
ordinary cells, so it scrolls, clips and sits under a modal like any text.
Terminals that draw kitty graphics get those instead (``graphics.py``;
``terminal_graphics.py`` says when).
"""

import numpy as np
from PIL import Image
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

UPPER_HALF = "▀"


def halfblock_strips(image: Image.Image) -> list[Strip]:
    """One Strip per pair of pixel rows of an RGB ``image`` (width in cells = width in pixels)."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
    height, width = pixels.shape[0], pixels.shape[1]
    styles: dict[tuple, Style] = {}
    strips = []
    for top in range(0, height, 2):
        upper = [tuple(pixel) for pixel in pixels[top].tolist()]
        lower = [tuple(pixel) for pixel in pixels[top + 1].tolist()] if top + 1 < height else None
        segments = []
        run_style, run_length = None, 0
        for x in range(width):
            key = (upper[x], lower[x] if lower is not None else None)
            style = styles.get(key)
            if style is None:
                style = Style(
                    color=Color.from_rgb(*upper[x]),
                    bgcolor=Color.from_rgb(*lower[x]) if lower is not None else None,
                )
                styles[key] = style
            # Neighbouring cells of one colour (flat screenshots) become one segment.
            if style is run_style:
                run_length += 1
                continue
            if run_style is not None:
                segments.append(Segment(UPPER_HALF * run_length, run_style))
            run_style, run_length = style, 1
        if run_style is not None:
            segments.append(Segment(UPPER_HALF * run_length, run_style))
        strips.append(Strip(segments, width))
    return strips


class HalfBlockPicture(Widget):
    """A picture already scaled to its cells (``halfblock_strips``); its size is the picture's."""

    DEFAULT_CSS = """
    HalfBlockPicture {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, strips: list[Strip], **kwargs):
        super().__init__(**kwargs)
        self._strips = strips
        self._width = max((strip.cell_length for strip in strips), default=0)

    def set_strips(self, strips: list[Strip]) -> None:
        self._strips = strips
        self._width = max((strip.cell_length for strip in strips), default=0)
        self.refresh(layout=True)

    @property
    def picture_size(self) -> Size:
        return Size(self._width, len(self._strips))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = y + scroll_y
        if 0 <= row < len(self._strips):
            return self._strips[row].crop(scroll_x, scroll_x + self.size.width)
        return Strip.blank(self.size.width)
