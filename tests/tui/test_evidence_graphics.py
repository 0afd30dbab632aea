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
