"""The evidence viewer at 80×24 and 120×36: pictures, PDF pages, text, Office files and broken files.

A tiny app stands in for the case screen: it shows a line of its own and
opens the viewer over it, as the case screen will with ``push_screen``.
"""

import threading
import time

import pytest
from textual.app import App
from textual.widgets import Static

from adviser_tui.modals.evidence_viewer import EvidenceItem, EvidenceViewer, title_line
from adviser_tui.widgets.evidence_preview import EvidencePreview
from adviser_tui.widgets.halfblocks import HalfBlockPicture
from store.errors import TellusError
from store.evidence import Kind

from . import evidence_files as files
from .support import forbidden_in, screen_text, wait_for

SIZES = [(80, 24), (120, 36)]
BEHIND = "The case behind the viewer"


class ViewerApp(App):
    def __init__(self, item):
        super().__init__()
        self.item = item

    def compose(self):
        yield Static(BEHIND, id="behind")

    def on_mount(self):
        self.push_screen(EvidenceViewer(self.item))


def item(name, kind, data, removed=("GPS position", "camera make and model")):
    return EvidenceItem(name, kind, len(data), list(removed), lambda: data)


def preview(app) -> EvidencePreview:
    return app.screen.query_one(EvidencePreview)


async def shown(pilot, timeout=10.0):
    """Wait until the preview has opened its file and, for pictures and pages, drawn it."""

    def ready():
        if not isinstance(pilot.app.screen, EvidenceViewer):
            return False
        p = preview(pilot.app)
        if p.state in ("picture", "pdf"):
            return p.renders > 0 and "drawing" not in p.message
        return p.state != "loading"

    await wait_for(pilot, ready, timeout=timeout, what="the preview")
    await pilot.pause()
    return preview(pilot.app)


def words(app):
    """The screen's text with line breaks and runs of spaces as single spaces (the title line wraps at 80)."""
    return " ".join(screen_text(app).split())


def assert_fits(app):
    """The picture lies inside the preview's body: nothing cut off, no scrolling needed."""
    body = app.screen.query_one("#preview-body")
    picture = app.screen.query_one(HalfBlockPicture)
    assert picture.picture_size.width <= body.size.width
    assert picture.picture_size.height <= body.size.height
    # Fitted means as large as the space allows in one direction.
    assert picture.picture_size.width == body.size.width or picture.picture_size.height == body.size.height
    assert body.region.contains_region(picture.region)


async def close_returns(pilot):
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(pilot.app.screen, EvidenceViewer)
    assert BEHIND in screen_text(pilot.app)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("name", "kind", "make"),
    [
        ("IMG_2041.jpg", Kind.JPEG, lambda: files.photo_jpeg(1600, 1200)),
        ("screenshot.png", "image/png", files.stripes_png),
        ("sticker.webp", "WEBP", files.webp),
    ],
)
async def test_picture_fits_and_closes(size, name, kind, make):
    app = ViewerApp(item(name, kind, make()))
    async with app.run_test(size=size) as pilot:
        p = await shown(pilot)
        assert p.state == "picture"
        assert name in words(app) and "removed: GPS position, camera make and model" in words(app)
        assert "▀" in screen_text(app)
        assert "fitted to the window" in p.message
        assert_fits(app)
        await close_returns(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_zoom_in_scrolls_and_f_fits_again(size):
    app = ViewerApp(item("IMG_2041.jpg", Kind.JPEG, files.photo_jpeg(1600, 1200)))
    async with app.run_test(size=size) as pilot:
        p = await shown(pilot)
        body = app.screen.query_one("#preview-body")
        fitted = app.screen.query_one(HalfBlockPicture).picture_size
        await pilot.press("plus", "plus")
        await wait_for(pilot, lambda: p.renders >= 2 and "zoom 2×" in p.message, what="zoomed picture")
        await pilot.pause()
        zoomed = app.screen.query_one(HalfBlockPicture).picture_size
        assert zoomed.width > body.size.width or zoomed.height > body.size.height
        assert zoomed.width >= fitted.width * 1.9
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0  # PgDn scrolls a picture larger than the screen
        await pilot.press("minus")
        await wait_for(pilot, lambda: "zoom 1.5×" in p.message, what="zoomed out")
        await pilot.press("f")
        await wait_for(pilot, lambda: "fitted" in p.message, what="fitted")
        await pilot.pause()
        assert_fits(app)
        await close_returns(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_pdf_pages_turn(size):
    app = ViewerApp(item("letter from the department.pdf", Kind.PDF, files.pdf(pages=3), removed=["author"]))
    async with app.run_test(size=size) as pilot:
        p = await shown(pilot)
        assert p.state == "pdf"
        assert "Page 1 of 3" in screen_text(app)
        assert_fits(app)
        first = [strip.text for strip in app.screen.query_one(HalfBlockPicture)._strips]
        for expected in ("Page 2 of 3", "Page 3 of 3", "Page 3 of 3"):
            await pilot.press("pagedown")
            await wait_for(pilot, lambda e=expected: p.message == e, what=expected)
        await pilot.press("pageup")
        await wait_for(pilot, lambda: p.message == "Page 2 of 3", what="back to page 2")
        await pilot.press("pageup", "pageup")
        await wait_for(pilot, lambda: p.message == "Page 1 of 3" and p.page_index == 0, what="page 1")
        await pilot.pause()
        assert "▀" in screen_text(app)
        assert [strip.text for strip in app.screen.query_one(HalfBlockPicture)._strips] == first
        await close_returns(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_text_is_inert_and_scrolls(size):
    data = files.HOSTILE_TEXT.encode()
    app = ViewerApp(item("\u202etxt.exe [bold]notes[/bold]\x1b[31m.txt", Kind.TEXT, data, removed=[]))
    async with app.run_test(size=size) as pilot:
        p = await shown(pilot)
        assert p.state == "text"
        text = screen_text(app)
        assert forbidden_in(text) == []
        assert "[bold]not bold[/bold]" in text and "[@click=app.quit]quit[/]" in text
        assert "Cymraeg: Mae’r neges hon yn bwysig iawn." in text
        assert "هذه رسالة مهمة جدا" in text
        assert "txt.exe [bold]notes[/bold]" in words(app)  # the name, literal and without its override
        assert "nothing needed removing" in words(app)
        body = app.screen.query_one("#preview-body")
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        assert forbidden_in(screen_text(app)) == []
        await close_returns(pilot)


async def test_long_text_is_cut_with_a_note():
    data = ("Line of a very long log file\n" * 20_000).encode()
    app = ViewerApp(item("log.txt", Kind.TEXT, data, removed=[]))
    async with app.run_test(size=(80, 24)) as pilot:
        p = await shown(pilot)
        assert "the first 200,000 characters only" in p.message


@pytest.mark.parametrize("size", SIZES)
async def test_office_file_says_to_open_the_export(size):
    data = b"PK\x03\x04" + b"\x00" * 40_000
    app = ViewerApp(item("minutes.docx", Kind.DOCX, data, removed=["author", "company"]))
    async with app.run_test(size=size) as pilot:
        p = await shown(pilot)
        assert p.state == "office"
        text = words(app)
        assert "minutes.docx" in text and "40.0 KB" in text
        assert "open the exported file" in text
        assert "wordprocessingml" in text
        await close_returns(pilot)


def _raise(exc):
    def load():
        raise exc

    return load


HOSTILE = [
    ("bomb.png", Kind.PNG, lambda: files.decompression_bomb_png(rows=2000), "too large to preview safely"),
    ("strip.png", Kind.PNG, lambda: files.png_declaring(19_999, 19_999), "too large to preview safely"),
    ("wide.png", Kind.PNG, lambda: files.png_declaring(50_000, 1), "too large to preview safely"),
    ("cut.jpg", Kind.JPEG, lambda: files.photo_jpeg(800, 600)[:3000], "could not be decoded"),
    ("notapicture.jpg", Kind.JPEG, lambda: b"\xff\xd8\xff" + b"<html>" * 100, "could not be decoded"),
    ("broken.pdf", Kind.PDF, files.malformed_pdf, "could not be opened"),
    ("empty.pdf", Kind.PDF, lambda: b"%PDF-1.7\n%%EOF", "could not be opened"),
    ("unknown.bin", "application/x-msdownload", lambda: b"MZ" * 100, "not previewed here"),
    ("empty.txt", Kind.TEXT, lambda: b"", "Text"),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "kind", "make", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
async def test_hostile_files_give_one_sentence_in_bounded_time(size, name, kind, make, words):
    data = make()
    app = ViewerApp(item(name, kind, data))
    async with app.run_test(size=size) as pilot:
        started = time.monotonic()
        p = await shown(pilot)
        assert time.monotonic() - started < 5
        assert words in p.message
        assert "\n" not in p.message
        text = screen_text(app)
        assert "Traceback" not in text and words in text.replace("\n", " ")
        await close_returns(pilot)


LOADERS = [
    (_raise(TellusError("This attachment was purged with its case.")), "This attachment was purged with its case."),
    (_raise(RuntimeError("secret internals")), "could not be loaded (RuntimeError)"),
    (lambda: None, "no bytes came back"),
]


@pytest.mark.parametrize(("load", "words"), LOADERS)
async def test_a_failing_load_is_one_sentence(load, words):
    app = ViewerApp(EvidenceItem("x.jpg", Kind.JPEG, 10, [], load))
    async with app.run_test(size=(80, 24)) as pilot:
        p = await shown(pilot)
        assert p.state == "error" and words in p.message
        assert "secret internals" not in screen_text(app)


async def test_a_slow_load_never_blocks_the_app():
    release = threading.Event()

    def slow():
        release.wait(10)
        return files.stripes_png()

    app = ViewerApp(EvidenceItem("slow.png", Kind.PNG, 100, [], slow))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Opening the file" in screen_text(app)
            started = time.monotonic()
            await close_returns(pilot)  # Esc is handled while load() still waits
            assert time.monotonic() - started < 1
    finally:
        release.set()


def test_title_line_is_one_inert_line():
    line = title_line(
        EvidenceItem("\x1b]0;pwned\x07name\u202e.jpg\n[red]x", "image/jpeg", 3_100_000, ["GPS\x1b[2J position", ""])
    )
    assert forbidden_in(line) == [] and "\n" not in line
    assert line.startswith("name.jpg [red]x · Picture · 3.1 MB · removed: GPS position")


def test_snapshot_of_a_halfblock_picture(snap_compare):
    """Four bands — red, green, blue, white — drawn in half-blocks at 80×24."""

    async def run_before(pilot):
        await shown(pilot)

    app = ViewerApp(item("bands.png", Kind.PNG, files.stripes_png(), removed=[]))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
