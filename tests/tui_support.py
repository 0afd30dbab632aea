"""Helpers for the adviser app's pilot tests (real store, real database)."""

import pytest

from store.advisers import create_adviser

PASSWORD = "correct horse battery"

HOSTILE = (
    "[bold]loud[/bold] [/bold] unbalanced [ and ] [@click=app.quit]quit[/] "
    "[link=https://x.example]x[/link] \x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07osc\x1b]8;;\x07 "
    "\x9b31m c1\x85 \u202etxet desrever\u202c end"
)
# What must survive literally, and what must never reach the screen.
LITERAL_MARKUP = ("[bold]loud[/bold]", "[@click=app.quit]", "[link=https://x.example]x[/link]")
FORBIDDEN = ("\x1b", "\x9b", "\x85", "\u202e", "\u202c", "\x07")


@pytest.fixture
def ann(sqlite_db):
    return create_adviser("ann", PASSWORD, "Ann Adviser")


def screen_text(app):
    """The characters the screen paints, line by line, including toasts and modals."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def painted_segments(app):
    for strip in app.screen._compositor.render_strips():
        yield from strip


async def wait_for(pilot, predicate, timeout=5.0, what="condition"):
    """Pause in small steps until ``predicate()`` is true; fail after ``timeout`` seconds."""
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if predicate():
            return
        await pilot.pause(0.05)
    assert predicate(), f"timed out waiting for {what}"


def inbox_ready(app):
    from adviser_tui.inbox_screen import InboxScreen

    return isinstance(app.screen, InboxScreen) and app.screen._loaded_once


async def wait_inbox(pilot, rows=None):
    app = pilot.app
    await wait_for(pilot, lambda: inbox_ready(app) and (rows is None or len(app.screen.rows) == rows), what="inbox")


def case_ready(app):
    from adviser_tui.case_screen import CaseScreen

    return isinstance(app.screen, CaseScreen) and app.screen.view is not None


async def login(pilot, username="ann", password=PASSWORD, type_it=False):
    """Fill the form (typed key by key with ``type_it``) and press Enter."""
    if type_it:
        await pilot.press(*username, "tab", *password, "enter")
        return
    from textual.widgets import Input

    screen = pilot.app.screen
    if not screen.query_one("#username", Input).disabled:
        screen.query_one("#username", Input).value = username
    screen.query_one("#password", Input).value = password
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")


def notifications(app):
    return [n.message for n in app._notifications]
