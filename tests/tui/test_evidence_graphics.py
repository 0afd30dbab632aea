"""Pictures drawn by the terminal (kitty graphics, sixel) in the evidence viewer, and the fall-back to half-blocks.

The pilot's driver writes nothing anywhere, so each test records what the app
hands the driver (``app._driver.write``): the escape sequences a real terminal
would receive, in order. Those are decoded here as a terminal would decode
them, and compared with the picture and with the file's own bytes.
"""

import base64
import dataclasses
import re
import zlib

import numpy as np
import pytest
from PIL import Image
from textual.app import App
from textual.widgets import Static

from adviser_tui.app import AdviserApp
from adviser_tui.modals.evidence_viewer import EvidenceItem, EvidenceViewer
from adviser_tui.screens.case import CaseScreen
from adviser_tui.terminal_graphics import Graphics, forced
from adviser_tui.widgets import graphics as terminal
from adviser_tui.widgets.evidence_preview import EvidencePreview
from store.conversation import post_reporter_message
from store.evidence import Kind, clean

from ..helpers import reporter_key, submit
from ..store.evidence_samples import phone_photo
from . import evidence_files as files
from .support import case_ready, painted_segments, screen_text, wait_for, wait_inbox

APC = re.compile(r"\x1b_G([^;\x1b]*)(?:;([^\x1b]*))?\x1b\\")


class ViewerApp(App):
    """A line standing for the case, with ``graphics`` as AdviserApp would have it; ``open()`` shows the viewer."""

    def __init__(self, item, graphics):
        super().__init__()
        self.item = item
        self.graphics = graphics

    def compose(self):
        yield Static("The case behind the viewer")

    def open(self):
        self.push_screen(EvidenceViewer(self.item))


def recorder(app):
    """Everything the app hands its driver from now on (a real driver would write it to the terminal)."""
    writes = []
    app._driver.write = writes.append
    return writes


def opened(app):
    written = recorder(app)
    app.open()
    return written


def item(name, kind, data, removed=("GPS position",)):
    return EvidenceItem(name, kind, len(data), list(removed), lambda: data)


def preview(app):
    return app.screen.query_one(EvidencePreview)


async def shown(pilot, renders=1, timeout=15.0):
    def ready():
        if not isinstance(pilot.app.screen, EvidenceViewer) or not pilot.app.screen.query(EvidencePreview):
            return False
        p = preview(pilot.app)
        return p.renders >= renders and "drawing" not in p.message

    await wait_for(pilot, ready, timeout=timeout, what="the picture")
    await pilot.pause()
    return preview(pilot.app)


def kitty_images(written):
    """The images a kitty terminal would have received: {id: (keys of the first chunk, RGB pixels)}; deleted ids."""
    images, deleted, pending = {}, [], None
    for keys, payload in APC.findall("".join(written)):
        fields = dict(pair.split("=", 1) for pair in keys.split(","))
        if fields.get("a") == "d":
            deleted.append(int(fields["i"]))
            continue
        if pending is None:
            pending = (fields, [])
        pending[1].append(payload)
        if fields.get("m") == "0":
            first, parts = pending
            raw = zlib.decompress(base64.standard_b64decode("".join(parts)))
            width, height = int(first["s"]), int(first["v"])
            assert first["f"] == "24" and first["o"] == "z" and len(raw) == width * height * 3
            pixels = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)
            images[int(first["i"])] = (first, pixels)
            pending = None
    assert pending is None, "a transmission was left unfinished"
    return images, deleted


def placeholder_cells(app):
    """(image id from the colour, row, column) of each placeholder cell painted on the screen."""
    cells = []
    for segment in painted_segments(app):
        text = segment.text
        for index in range(0, len(text), 3):
            if text[index] == terminal.PLACEHOLDER:
                triplet = segment.style.color.triplet
                image_id = (triplet.red << 16) | (triplet.green << 8) | triplet.blue
                row = terminal.DIACRITICS.index(text[index + 1])
                column = terminal.DIACRITICS.index(text[index + 2])
                cells.append((image_id, row, column))
    return cells


def left_red_right_blue(width=900, height=600):
    picture = Image.new("RGB", (width, height), (200, 30, 30))
    picture.paste((30, 30, 200), (width // 2, 0, width, height))
    import io

    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_kitty_mode_sends_the_decoded_pixels_and_draws_placeholders(size):
    data = left_red_right_blue()
    app = ViewerApp(item("two colours.png", Kind.PNG, data), Graphics("kitty", (10, 20)))
    async with app.run_test(size=size) as pilot:
        written = opened(app)
        p = await shown(pilot)
        assert "▀" not in screen_text(app)
        images, deleted = kitty_images(written)
        assert deleted == [] and len(images) == 1
        ((image_id, (keys, pixels)),) = images.items()
        cols, rows = int(keys["c"]), int(keys["r"])
        assert keys["a"] == "T" and keys["U"] == "1" and keys["q"] == "2"
        # The picture is 3:2 and cells are 1:2, so it takes about three columns for each row, fitted to the body.
        body = app.screen.query_one("#preview-body")
        assert cols <= body.size.width and rows <= body.size.height
        assert cols == body.size.width or rows == body.size.height
        assert abs(cols / rows - 3.0) < 0.25
        assert pixels.shape == (rows * 20, cols * 10, 3)
        # The pixels are the picture's: red on the left, blue on the right.
        assert tuple(pixels[pixels.shape[0] // 2, 5]) == (200, 30, 30)
        assert tuple(pixels[pixels.shape[0] // 2, -5]) == (30, 30, 200)
        # Every cell of the placement is painted once, in the image's colour, row and column by row and column.
        cells = placeholder_cells(app)
        assert sorted(cells) == [(image_id, r, c) for r in range(rows) for c in range(cols)]
        assert "fitted to the window" in p.message
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EvidenceViewer)
        assert kitty_images(written)[1] == [image_id]  # the terminal is told to forget the image


async def test_kitty_sends_pixels_never_the_files_bytes():
    photo = clean(phone_photo(), "IMG_0001.jpg").data  # a real JPEG as stored: cleaned, but a JPEG file
    original = phone_photo()  # with its GPS position and camera
    app = ViewerApp(item("IMG_0001.jpg", Kind.JPEG, photo), Graphics("kitty", (9, 18)))
    async with app.run_test(size=(100, 30)) as pilot:
        written = opened(app)
        await shown(pilot)
        images, _ = kitty_images(written)
        ((_, pixels),) = images.values()
        raw = pixels.tobytes()
        for source in (photo, original):
            for start in range(0, len(source) - 32, max(1, len(source) // 50)):
                assert source[start : start + 32] not in raw
        assert b"Exif" not in raw and b"JFIF" not in raw and b"\xff\xd8" not in raw[:2]
        # Nothing but the APC sequences of the image went to the terminal besides the frames.
        sent = "".join(written)
        assert "Exif" not in sent and "GPS" not in sent


async def test_kitty_zoom_replaces_the_image_and_pdf_pages_are_images_too():
    app = ViewerApp(item("letter.pdf", Kind.PDF, files.pdf(pages=2), removed=["author"]), Graphics("kitty", (10, 20)))
    async with app.run_test(size=(80, 24)) as pilot:
        written = opened(app)
        p = await shown(pilot)
        assert p.state == "pdf" and "Page 1 of 2" in screen_text(app)
        first, _ = kitty_images(written)
        (first_id,) = first
        await pilot.press("pagedown")
        await shown(pilot, renders=2)
        assert "Page 2 of 2" in screen_text(app)
        await pilot.press("plus")
        await shown(pilot, renders=3)
        images, deleted = kitty_images(written)
        assert len(images) == 3 and deleted == list(images)[:2]  # each image deleted when the next replaced it
        zoomed_id = list(images)[2]
        assert {cell[0] for cell in placeholder_cells(app)} == {zoomed_id}
        body = app.screen.query_one("#preview-body")
        keys = images[zoomed_id][0]
        assert int(keys["c"]) > body.size.width or int(keys["r"]) > body.size.height  # larger than the body: it scrolls
        assert first_id in deleted


async def test_auto_without_an_answer_and_halfblocks_draw_halfblocks_and_send_no_graphics():
    for graphics in (forced("auto"), forced("halfblocks"), None):
        app = ViewerApp(item("two colours.png", Kind.PNG, left_red_right_blue()), graphics)
        async with app.run_test(size=(80, 24)) as pilot:
            written = opened(app)
            await shown(pilot)
            assert "▀" in screen_text(app)
            assert terminal.PLACEHOLDER not in screen_text(app)
            assert "\x1b_G" not in "".join(written) and "\x1bP" not in "".join(written)


async def test_the_configuration_forces_kitty_in_the_adviser_app(config, sqlite_url, ann):
    report = submit(config).report
    post_reporter_message(
        report.id, "The photo", case_key=reporter_key(report.id), attachments=[clean(phone_photo(), "garden.jpg")]
    )
    app = AdviserApp(dataclasses.replace(config, evidence_graphics="kitty"), sqlite_url, signed_in=ann)
    assert app.graphics.mode == "kitty"
    async with app.run_test(size=(80, 24)) as pilot:
        written = recorder(app)
        await wait_inbox(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case screen")
        await pilot.press("f")
        await wait_for(pilot, lambda: not isinstance(app.screen, CaseScreen), what="the list of files")
        await pilot.press("home", "enter")
        await shown(pilot)
        images, _ = kitty_images(written)
        assert len(images) == 1 and placeholder_cells(app)
        assert "▀" not in screen_text(app)


# Sixel

SIXEL = re.compile(r"\x1b7\x1b\[(\d+);(\d+)H\x1bP0;1;0q\"1;1;(\d+);(\d+)(.*?)\x1b\\\x1b8", re.S)
SIXEL_TOKENS = re.compile(r"#(\d+);2;(\d+);(\d+);(\d+)|#(\d+)|!(\d+)([?-~])|([?-~])|(\$)|(-)")


def sixel_images(written):
    """Each sixel image written, decoded as a terminal would: ((row, column) of its corner, RGB pixels, set-mask)."""
    images = []
    for row, column, width, height, body in SIXEL.findall("".join(written)):
        width, height = int(width), int(height)
        pixels = np.zeros((height + 6, width, 3), dtype=np.uint8)
        painted = np.zeros((height + 6, width), dtype=bool)
        registers, colour, x, band = {}, None, 0, 0
        for define, r, g, b, select_, count, repeated, single, cr, nl in SIXEL_TOKENS.findall(body):
            if define:
                registers[int(define)] = tuple(round(int(v) * 255 / 100) for v in (r, g, b))
            elif select_:
                colour = registers[int(select_)]
            elif cr:
                x = 0
            elif nl:
                x, band = 0, band + 6
            else:
                char, times = (repeated, int(count)) if repeated else (single, 1)
                bits = ord(char) - 63
                for _ in range(times):
                    for k in range(6):
                        if bits >> k & 1:
                            pixels[band + k, x] = colour
                            painted[band + k, x] = True
                    x += 1
        images.append(((int(row) - 1, int(column) - 1), pixels[:height], painted[:height]))
    return images


def sixel_picture(app):
    return app.screen.query_one(terminal.SixelPicture)


async def sixel_written(pilot, count=1):
    await wait_for(
        pilot,
        lambda: pilot.app.screen.query(terminal.SixelPicture) and sixel_picture(pilot.app).writes >= count,
        timeout=15,
        what="a sixel image written",
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_sixel_mode_writes_the_picture_over_its_blank_cells(size):
    app = ViewerApp(item("two colours.png", Kind.PNG, left_red_right_blue()), Graphics("sixel", (10, 20), colours=256))
    async with app.run_test(size=size) as pilot:
        written = opened(app)
        p = await shown(pilot)
        await sixel_written(pilot)
        assert "▀" not in screen_text(app) and "fitted to the window" in p.message
        picture = sixel_picture(app)
        body = app.screen.query_one("#preview-body")
        assert body.region.contains_region(picture.region)
        assert picture.cols == body.size.width or picture.rows == body.size.height
        images = sixel_images(written)
        # Written again each time Textual repainted its cells (a layout change repaints the screen), the same each time.
        assert images and all(c == images[0][0] and (px == images[0][1]).all() for c, px, _ in images)
        corner, pixels, painted = images[-1]
        # Drawn at the picture's cells, exactly as many pixels as they hold, every pixel set.
        assert corner == (picture.region.y, picture.region.x)
        assert pixels.shape[:2] == (picture.rows * 20, picture.cols * 10)
        assert painted.all()
        middle = pixels.shape[0] // 2
        assert np.abs(pixels[middle, 5].astype(int) - (200, 30, 30)).max() <= 3
        assert np.abs(pixels[middle, -5].astype(int) - (30, 30, 200)).max() <= 3
        # The cursor is saved before and restored after, and nothing but the sequence's own bytes is in between.
        assert all(w.startswith("\x1b7") and w.endswith("\x1b8") for w in written if "\x1bP" in w)


async def test_sixel_zoomed_draws_only_what_the_body_shows_and_uses_the_registers_it_has():
    app = ViewerApp(
        item("IMG_2041.jpg", Kind.JPEG, files.photo_jpeg(1600, 1200)), Graphics("sixel", (8, 16), colours=16)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        written = opened(app)
        await shown(pilot)
        await sixel_written(pilot)
        await pilot.press("plus", "plus")
        await shown(pilot, renders=3)
        await wait_for(pilot, lambda: len(sixel_images(written)) >= 2 and sixel_picture(app).cols > 80, what="zoomed")
        await pilot.pause(0.3)
        body = app.screen.query_one("#preview-body")
        picture = sixel_picture(app)
        assert picture.cols > body.size.width  # larger than the body: it scrolls
        visible = body.scrollable_content_region
        corner, pixels, _ = sixel_images(written)[-1]
        # Only the part in the body: from its corner, as many pixels as its cells hold.
        assert corner == (visible.y, visible.x)
        assert pixels.shape[:2] == (visible.height * 16, visible.width * 8)
        assert len({tuple(c) for c in pixels.reshape(-1, 3)}) <= 16
        # Scrolling paints other cells: the part now visible is written there, another part of the picture.
        before = len(sixel_images(written))
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: len(sixel_images(written)) > before, what="the scrolled part")
        await pilot.pause(0.3)
        assert body.scroll_y > 0
        corner, scrolled, _ = sixel_images(written)[-1]
        assert corner == (visible.y, visible.x) and scrolled.shape == pixels.shape
        assert not (scrolled == pixels).all()


async def test_sixel_is_not_written_over_a_notice_and_comes_back_when_it_goes():
    app = ViewerApp(item("two colours.png", Kind.PNG, left_red_right_blue()), Graphics("sixel", (10, 20), colours=256))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        written = opened(app)
        await shown(pilot)
        await sixel_written(pilot)
        await pilot.pause(0.3)
        app.notify("A new message in TL-ABC123", timeout=1.0)
        await wait_for(pilot, lambda: app.screen.query("Toast"), what="the notice")
        picture = sixel_picture(app)
        toast = app.screen.query_one("Toast")
        assert toast.region.overlaps(picture.region)
        before = picture.writes
        written.clear()
        await pilot.pause(0.5)  # the notice is painted over the picture's cells; the picture is not written over it
        assert picture.writes == before and "\x1bP" not in "".join(written)
        assert "A new message" in screen_text(app)
        await wait_for(pilot, lambda: not app.screen.query("Toast"), timeout=5, what="the notice to go")
        await wait_for(pilot, lambda: picture.writes > before, what="the picture written again")
        assert sixel_images(written)


async def test_the_case_behind_the_viewer_does_not_make_it_resend_the_picture(config, sqlite_url, ann):
    report = submit(config).report
    post_reporter_message(
        report.id, "The photo", case_key=reporter_key(report.id), attachments=[clean(phone_photo(), "garden.jpg")]
    )
    app = AdviserApp(
        dataclasses.replace(config, evidence_graphics="sixel"), sqlite_url, signed_in=ann, poll_seconds=0.2
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_inbox(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case screen")
        await pilot.press("f")
        await wait_for(pilot, lambda: not isinstance(app.screen, CaseScreen), what="the list of files")
        await pilot.press("home", "enter")
        await sixel_written(pilot)
        await pilot.pause(0.5)
        picture = sixel_picture(app)
        before = picture.writes
        await pilot.pause(2.0)  # ten of the case screen's polling intervals
        assert picture.writes == before  # nothing on screen changed, so nothing was sent again
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen), what="back to the case")
        case = app.screen
        post_reporter_message(report.id, "And another thing", case_key=reporter_key(report.id))
        # Polling resumed: the new message is on the case. (Not "the fingerprint changed": the app then marks the
        # message read, which within the same minute gives the fingerprint it had before — a change that a
        # loaded machine sampling every 50 ms could miss altogether.)
        await wait_for(
            pilot,
            lambda: any(item.body == "And another thing" for item in case.view.items),
            what="the case polled again",
        )
