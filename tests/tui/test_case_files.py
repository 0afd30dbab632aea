"""A case's files in the adviser app: shown in their place in the thread, opened in the viewer, audited."""

from adviser_tui.app import AdviserApp
from adviser_tui.modals.choice import ChoiceModal
from adviser_tui.modals.evidence_viewer import EvidenceViewer
from adviser_tui.screens.case import CaseScreen
from adviser_tui.widgets.thread_view import ThreadView
from store.audit import events
from store.conversation import post_reporter_message
from store.evidence import clean

from ..helpers import reporter_key, submit
from ..store.evidence_samples import phone_photo
from .support import case_ready, screen_text, wait_for, wait_inbox

HOSTILE_NAME = "\x1b]0;pwned\x07[b]evil[b] \x1b[2J\u202e.jpg"  # markup, escapes, an override


def thread_text(screen):
    return "\n".join(block.content.plain for block in screen.query_one(ThreadView).blocks)


async def test_files_show_in_the_thread_and_open_in_the_viewer_at_80x24(config, sqlite_url, ann):
    report = submit(
        config, attachments=[clean(phone_photo(), "garden.jpg"), clean(b"Dates and times\n", "notes.txt")]
    ).report
    post_reporter_message(
        report.id,
        "And the photo again",
        case_key=reporter_key(report.id),
        attachments=[clean(phone_photo(), HOSTILE_NAME)],
    )
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_inbox(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case screen")
        screen = app.screen
        text = thread_text(screen)
        assert "Files sent with the report" in text and "File: garden.jpg · picture" in text and "notes.txt" in text
        assert "GPS" in text  # what was removed, in words
        assert "[b]evil[b]" in text and "\x1b" not in text and "\u202e" not in text  # a hostile name, literal and inert
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal), what="the list of files")
        listed = screen_text(app)
        assert "garden.jpg · picture" in listed and "[b]evil[b].jpg" in listed and "\x1b" not in listed
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EvidenceViewer), what="the viewer")
        await wait_for(pilot, lambda: "▀" in screen_text(app), timeout=15, what="the picture in half-blocks")
        assert "garden.jpg" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen), what="back to the case")
    assert [e.detail for e in events(report_id=report.id, action="file_viewed")] == [f"file {1}"]


async def test_a_case_without_files_says_so(config, sqlite_url, ann):
    submit(config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_inbox(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case screen")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert "This case has no files." in "".join(n.message for n in app._notifications)
