"""Read only while someone looks: reporter messages count as read by advisers only while a case screen is on view.

The case screen keeps polling underneath the lock screen, the help screen and its own
dialogs (so it is current when the adviser comes back), but whatever arrives meanwhile
stays unread until the case is the screen on view again. No toast is painted over the
lock screen; what was held back is said after unlocking.
"""

import pytest

from adviser_tui.app import AdviserApp
from adviser_tui.modals.choice import ChoiceModal
from adviser_tui.modals.composer import Composer
from adviser_tui.screens.case import CaseScreen
from adviser_tui.screens.help import HelpScreen
from adviser_tui.screens.login import LoginScreen
from adviser_tui.widgets.thread_view import ThreadView
from store import conversation
from store.models import Message, Report

from ..helpers import reporter_message, submit
from .support import (
    PASSWORD,
    case_ready,
    login,
    notifications,
    screen_text,
    wait_for,
    wait_inbox,
)

COVERS = {
    "ctrl+l lock": LoginScreen,
    "idle lock": LoginScreen,
    "help screen": HelpScreen,
    "reply composer": Composer,
    "status choice": ChoiceModal,
}
ARRIVED = "The reporter sent a new message."


async def cover(pilot, how):
    app = pilot.app
    if how == "idle lock":
        app.idle_seconds = 0  # the idle check (every 5 s at the default) locks at its next round
    else:
        await pilot.press(
            {"ctrl+l lock": "ctrl+l", "help screen": "question_mark", "reply composer": "r", "status choice": "s"}[how]
        )
    await wait_for(pilot, lambda: isinstance(app.screen, COVERS[how]), timeout=10, what=how)


async def uncover(pilot, how, case):
    app = pilot.app
    if COVERS[how] is LoginScreen:
        app.idle_seconds = 600
        await login(pilot, "ann", PASSWORD)
    else:
        await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is case, what="the case on view again")


def unread_state(report_id, message_id):
    return Message.get_by_id(message_id).read_at, Report.get_by_id(report_id).unread_count


@pytest.mark.parametrize("how", list(COVERS))
async def test_messages_arriving_under_a_cover_stay_unread_until_the_case_is_on_view(config, sqlite_url, ann, how):
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.1, idle_seconds=600)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_inbox(pilot, rows=1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case")
        case = app.screen
        await wait_for(pilot, lambda: Report.get_by_id(report.id).unread_count == 0, what="the report read on view")
        await cover(pilot, how)
        message = reporter_message(report.id, "Are you still there?")
        await wait_for(pilot, lambda: any(i.id == message.id for i in case.view.items), what="the case refreshed below")
        # More refreshes go by under the cover: a note arrives and is fetched too.
        conversation.add_note(report.id, ann, "A colleague's note, written meanwhile.", config=config)
        await wait_for(pilot, lambda: any(i.kind == "note" for i in case.view.items), what="a later refresh")
        assert unread_state(report.id, message.id) == (None, 1)
        assert isinstance(app.screen, COVERS[how])
        if COVERS[how] is LoginScreen:
            text = screen_text(app)
            assert ARRIVED not in text and "Are you still there?" not in text
            assert notifications(app) == []  # nothing is painted over the lock screen
        await uncover(pilot, how, case)
        await wait_for(pilot, lambda: unread_state(report.id, message.id)[1] == 0, what="read once on view")
        assert unread_state(report.id, message.id)[0] is not None
        await pilot.press("end")
        await wait_for(
            pilot,
            lambda: (
                "Are you still there?" in screen_text(app)
                and "✓ read by advisers" in screen_text(app).split("Are you still there?")[1]
            ),
            what="marker",
        )
        if COVERS[how] is LoginScreen:
            await wait_for(pilot, lambda: ARRIVED in notifications(app), what="the held-back news after unlocking")


async def test_a_case_opened_and_locked_at_once_marks_nothing_read(config, sqlite_url, ann):
    report = submit(config).report
    reporter_message(report.id, "Before anyone looked")
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_inbox(pilot, rows=1)
        case = CaseScreen(report.id, report.reference)
        app.push_screen(case)
        app.action_lock()  # in the same turn: the case is never on view
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="lock")
        await wait_for(
            pilot,
            lambda: case.view is not None and case.query_one(ThreadView).ready,
            what="the case loaded and drawn underneath",
        )
        report = Report.get_by_id(report.id)
        assert (report.unread_count, report.adviser_read_at) == (2, None)
        await login(pilot, "ann", PASSWORD)
        await wait_for(pilot, lambda: Report.get_by_id(report.id).unread_count == 0, what="read after unlocking")


async def test_no_toast_is_painted_over_the_lock_screen(config, sqlite_url, ann):
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_inbox(pilot)
        app.notify("TL-AAAA01: following me", timeout=30)
        await wait_for(pilot, lambda: "following me" in screen_text(app), what="toast")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="lock")
        app.notify("TL-BBBB02: a new report", timeout=30)
        await pilot.pause()
        text = screen_text(app)
        assert "following me" not in text and "a new report" not in text
        assert notifications(app) == []
        await login(pilot, "ann", PASSWORD)
        await wait_for(pilot, lambda: "a new report" in screen_text(app), what="held news said after unlock")
        assert "TL-AAAA01: following me" in notifications(app)  # still unexpired: shown again
