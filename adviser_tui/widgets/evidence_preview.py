"""One attachment shown in the terminal: a picture, a PDF page by page, a text file, or an Office file's facts.

``EvidencePreview(kind, load)`` calls ``load()`` (the attachment's bytes) in a
thread worker, then decodes and scales in another, so neither a slow database
nor a large photo holds up the app. Whatever goes wrong — the load fails, the
file does not decode, a PDF is malformed — the preview shows one sentence in
its status line, never a traceback.

Pictures and PDF pages are drawn with half-blocks (``halfblocks.py``), or by
the terminal itself (kitty graphics or sixel, ``graphics.py``) when the app's
``graphics`` says the terminal draws them (``terminal_graphics.py``), scaled
to fit the space the preview has; ``zoom_in``/``zoom_out`` make them larger
than that (then the body scrolls) and ``zoom_fit`` brings them back. Text is
inert (``adviser_tui.inert``): reporter text never reaches the terminal as
markup or an escape sequence. Office files are not previewed: the preview says
what the file is and to open the exported copy.
"""

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Static
from textual.worker import get_current_worker

from store.errors import TellusError
from store.evidence import Kind

from .. import inert
from ..terminal_graphics import HALFBLOCKS, Graphics
from . import evidence_decode as decode
from . import graphics as terminal
from .halfblocks import HalfBlockPicture, halfblock_strips

ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0)


class EvidencePreview(Vertical):
    """The preview of one file; ``state`` says what it shows (loading, picture, pdf, text, office, error)."""

    DEFAULT_CSS = """
    EvidencePreview {
        height: 1fr;
    }
    EvidencePreview #preview-status {
        height: 1;
        color: $text-muted;
    }
    EvidencePreview #preview-status.error {
        color: $error;
        text-style: bold;
    }
    EvidencePreview #preview-body {
        height: 1fr;
        align: center middle;
        overflow: auto auto;
    }
    EvidencePreview #preview-text {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, kind, load: Callable[[], bytes], name_shown: str = "", **kwargs):
        super().__init__(**kwargs)
        self.kind = decode.kind_of(kind)
        self._load = load
        self.name_shown = name_shown
        self.state = "loading"
        self.message = "Opening the file…"
        self.zoom_index = 0
        self.page_index = 0
        self.page_count = 0
        self.size_bytes = 0
        self._picture = None  # the decoded picture, at most decode.WORKING_BOX
        self._pdf: decode.PdfPages | None = None
        self._drawn_for = None  # (box, zoom, page) of the picture on screen
        self.renders = 0  # pictures drawn so far (tests and the bench wait on it)
        self._kitty_id: int | None = None  # the image the terminal holds for this preview (kitty)

    def compose(self) -> ComposeResult:
        yield Static(self.message, id="preview-status", markup=False)
        yield ScrollableContainer(id="preview-body", can_focus=True)

    def on_mount(self) -> None:
        self.run_worker(self._load_and_open, thread=True, group="evidence-load", exclusive=True)

    @property
    def graphics(self) -> Graphics:
        """How pictures are drawn: the app's ``graphics`` (AdviserApp asks the terminal), else half-blocks."""
        graphics = getattr(self.app, "graphics", None)
        return graphics if isinstance(graphics, Graphics) else HALFBLOCKS

    def _write(self, data: str) -> None:
        """Send escape sequences to the terminal through the driver, in order with the frames."""
        driver = getattr(self.app, "_driver", None)
        if driver is not None and data:
            driver.write(data)

    def on_unmount(self) -> None:
        if self._kitty_id is not None:
            image_id, self._kitty_id = self._kitty_id, None
            self._write(terminal.kitty_delete(image_id))
        if self._pdf is not None:
            pdf, self._pdf = self._pdf, None
            pdf.close()

    # Loading and opening (worker threads)

    def _load_and_open(self) -> None:
        try:
            data = self._load()
        except TellusError as exc:
            self._post(self._fail, inert.line(str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - a bug in a loader must not end the adviser's work
            self._post(self._fail, f"The file could not be loaded ({type(exc).__name__}).")
            return
        if not isinstance(data, bytes | bytearray | memoryview):
            self._post(self._fail, "The file could not be loaded: no bytes came back.")
            return
        data = bytes(data)
        self.size_bytes = len(data)
        try:
            opened = self._open(data)
        except decode.PreviewError as exc:
            self._post(self._fail, str(exc))
            return
        self._post(self._opened, opened)

    def _open(self, data: bytes):
        kind = self.kind
        if kind is None:
            raise decode.PreviewError("This kind of file is not previewed here; open the exported file.")
        if kind.is_image:
            return ("picture", decode.open_picture(data))
        if kind is Kind.PDF:
            return ("pdf", decode.PdfPages(data))
        if kind is Kind.TEXT:
            return ("text", decode.read_text(data))
        return ("office", None)

    def _post(self, callback, *args) -> None:
        if not get_current_worker().is_cancelled:
            self.call_later(callback, *args)

    # Showing (event loop)

    def _fail(self, sentence: str) -> None:
        self.state = "error"
        self._say(sentence, error=True)

    def _say(self, sentence: str, error: bool = False) -> None:
        self.message = sentence
        status = self.query_one("#preview-status", Static)
        status.update(inert.line_content(sentence))
        status.set_class(error, "error")

    def _opened(self, opened) -> None:
        what, value = opened
        if not self.is_attached:
            if what == "pdf":
                value.close()
            return
        body = self.query_one("#preview-body", ScrollableContainer)
        if what == "picture":
            self._picture = value
            self.state = "picture"
            self._say("Picture · drawing…")
            self._draw()
        elif what == "pdf":
            self._pdf = value
            self.page_count = value.count
            self.state = "pdf"
            self._say(self._page_words())
            self._draw()
        elif what == "text":
            self.state = "text"
            text = value.text if value.text.strip() else "(This text file is empty.)"
            body.mount(Static(inert.content(text), id="preview-text"))
            note = "Text, shown as plain characters"
            if value.cut:
                note += f" · the first {decode.MAX_TEXT_CHARS:,} characters only: open the exported file for the rest"
            self._say(note)
        else:
            self.state = "office"
            noun = self.kind.noun if self.kind else "file"
            lines = [
                f"{self.name_shown or 'This file'}",
                f"{noun.capitalize()} · {self.kind.media_type if self.kind else 'unknown type'}",
                f"{decode.human_size(self.size_bytes)}",
                "",
                f"A {noun} is not previewed here: open the exported file to read it.",
            ]
            body.mount(Static(inert.content("\n".join(lines)), id="preview-text"))
            self._say(f"{noun.capitalize()}: no preview")

    def on_resize(self) -> None:
        self._draw()

    def _box(self) -> tuple[int, int]:
        """The pixels the picture may take at the current zoom (a cell is one pixel wide, two high)."""
        columns, rows = self._cell_box()
        return (columns, rows * 2)

    def _cell_box(self) -> tuple[int, int]:
        """The cells the picture may take at the current zoom."""
        body = self.query_one("#preview-body", ScrollableContainer)
        zoom = ZOOMS[self.zoom_index]
        columns, rows = max(1, body.size.width), max(1, body.size.height)
        return (max(1, int(columns * zoom)), max(1, int(rows * zoom)))

    def _draw(self) -> None:
        if self.state not in ("picture", "pdf"):
            return
        box = self._box()
        key = (box, self.page_index)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        graphics = self.graphics
        if graphics.mode in ("kitty", "sixel"):
            job = self._terminal_job(graphics.mode, self._cell_box(), graphics.cell, graphics.colours)
        elif self.state == "picture":
            picture = self._picture

            def job():
                return halfblock_strips(decode.fit(picture, box))

        else:
            pdf, index = self._pdf, self.page_index

            def job():
                return halfblock_strips(pdf.render(index, box))

        self.run_worker(lambda: self._render_job(job, key), thread=True, group="evidence-render", exclusive=True)

    def _terminal_job(self, mode: str, cells: tuple[int, int], cell: tuple[int, int], colours: int = 256):
        """A job for a worker: the picture or page sized to cells for the terminal to draw (kitty: sent now)."""
        pdf, index, picture = self._pdf, self.page_index, self._picture
        is_pdf = self.state == "pdf"
        fitted = self.zoom_index == 0

        def job():
            if is_pdf:
                source = pdf.render(index, (cells[0] * cell[0], cells[1] * cell[1]))
            else:
                source = picture
            cols, rows = terminal.cells_for(source.size, cells, cell)
            if mode == "sixel":
                # A fitted picture is all visible, so the first frame needs it whole: encoded now, in this worker.
                # Zoomed, only the part in view is ever encoded (SixelPicture does it when it is painted).
                whole = terminal.sixel_whole(source, cols, rows, cell, colours) if fitted else None
                return ("sixel", source, cols, rows, whole)
            pixels = terminal.pixels_for(source, cols, rows, cell)
            image_id = terminal.new_image_id()
            return ("kitty", image_id, cols, rows, terminal.kitty_transmit(image_id, pixels, cols, rows))

        return job

    def _render_job(self, job, key) -> None:
        try:
            strips = job()
        except decode.PreviewError as exc:
            self._post(self._fail, str(exc))
            return
        self._post(self._show_strips, strips, key)

    def _show_strips(self, strips, key) -> None:
        if key != self._drawn_for or not self.is_attached:
            return  # a newer size or page is on its way
        body = self.query_one("#preview-body", ScrollableContainer)
        if isinstance(strips, tuple) and strips[0] == "kitty":
            self._show_kitty(body, *strips[1:])
        elif isinstance(strips, tuple) and strips[0] == "sixel":
            self._show_sixel(body, *strips[1:])
        else:
            pictures = body.query(HalfBlockPicture)
            if pictures:
                pictures.first().set_strips(strips)
            else:
                body.mount(HalfBlockPicture(strips, id="preview-picture"))
        self.renders += 1
        if self.state == "pdf":
            self._say(self._page_words())
        elif self.state == "picture":
            zoom = ZOOMS[self.zoom_index]
            fitted = "fitted to the window" if zoom == 1 else f"zoom {zoom:g}×"
            self._say(f"Picture · {fitted}")

    def _show_kitty(self, body, image_id: int, cols: int, rows: int, transmit: str) -> None:
        old, self._kitty_id = self._kitty_id, image_id
        self._write((terminal.kitty_delete(old) if old is not None else "") + transmit)
        pictures = body.query(terminal.KittyPicture)
        if pictures:
            pictures.first().show(image_id, cols, rows)
        else:
            body.mount(terminal.KittyPicture(image_id, cols, rows, id="preview-picture"))

    def _show_sixel(self, body, picture, cols: int, rows: int, whole: str | None) -> None:
        pictures = body.query(terminal.SixelPicture)
        if pictures:
            pictures.first().show(picture, cols, rows, whole)
        else:
            graphics = self.graphics
            body.mount(
                terminal.SixelPicture(picture, cols, rows, graphics.cell, graphics.colours, whole, id="preview-picture")
            )

    def _page_words(self) -> str:
        zoom = ZOOMS[self.zoom_index]
        fitted = "" if zoom == 1 else f" · zoom {zoom:g}×"
        return f"Page {self.page_index + 1} of {self.page_count}{fitted}"

    # What the viewer's keys do

    def page(self, delta: int) -> None:
        """PgUp/PgDn: the previous or next PDF page; elsewhere a screenful of scrolling."""
        if self.state == "pdf":
            index = min(max(self.page_index + delta, 0), self.page_count - 1)
            if index != self.page_index:
                self.page_index = index
                self._say(self._page_words() + " · drawing…")
                self.query_one("#preview-body", ScrollableContainer).scroll_home(animate=False)
                self._draw()
            return
        body = self.query_one("#preview-body", ScrollableContainer)
        if delta < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)

    def zoom_in(self) -> None:
        self._set_zoom(min(self.zoom_index + 1, len(ZOOMS) - 1))

    def zoom_out(self) -> None:
        self._set_zoom(max(self.zoom_index - 1, 0))

    def zoom_fit(self) -> None:
        self._set_zoom(0)

    @property
    def zoom(self) -> float:
        return ZOOMS[self.zoom_index]

    def _set_zoom(self, index: int) -> None:
        if index != self.zoom_index and self.state in ("picture", "pdf"):
            self.zoom_index = index
            self._draw()
