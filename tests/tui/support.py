"""Helpers for the adviser app's pilot tests (real store, real database); the fixtures are in conftest.py."""

import datetime as dt

from textual import events

PASSWORD = "correct horse battery"

HOSTILE = (
    "[bold]loud[/bold] [/bold] unbalanced [ and ] [@click=app.quit]quit[/] "
    "[link=https://x.example]x[/link] \x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07osc\x1b]8;;\x07 "
    "\x1b]0;pwned title\x07 \x9d0;c1 title\x9c \x1b[2J\x1b "
    "\x9b31m c1\x85 \u202etxet desrever\u202c \u2066iso\u2069 end"
)
# What must survive literally, and what must never reach the screen.
LITERAL_MARKUP = ("[bold]loud[/bold]", "[@click=app.quit]", "[link=https://x.example]x[/link]")
FORBIDDEN = ("\x1b", "\x9b", "\x9c", "\x9d", "\x85", "\u202e", "\u202c", "\u2066", "\u2069", "\x07")
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_in(text):
    """Characters that could drive the terminal or reorder text: C0 (bar the line breaks), DEL, C1, bidi."""
    return sorted(
        {ch for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F or ch in BIDI_CONTROLS}
    )


# The moment the realistic sample data ends; a clock fixed here keeps dates and ages still.
SAMPLE_NOW = dt.datetime(2026, 3, 2, 9, 15)


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
    from adviser_tui.screens.inbox import InboxScreen

    return isinstance(app.screen, InboxScreen) and app.screen._loaded_once


async def wait_inbox(pilot, rows=None):
    app = pilot.app
    await wait_for(pilot, lambda: inbox_ready(app) and (rows is None or len(app.screen.rows) == rows), what="inbox")


def case_ready(app):
    """The case screen is current and shows its latest load (wrapped and laid out)."""
    from adviser_tui.screens.case import CaseScreen
    from adviser_tui.widgets.thread_view import ThreadView

    screen = app.screen
    return isinstance(screen, CaseScreen) and screen.view is not None and screen.query_one(ThreadView).ready


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


async def wheel(pilot, x, y, down=True, turns=1):
    """Turns of the mouse wheel at screen cell (x, y), posted to the app as the terminal driver posts them."""
    kind = events.MouseScrollDown if down else events.MouseScrollUp
    for _ in range(turns):
        pilot.app.post_message(kind(None, x, y, 0, 1 if down else -1, 0, False, False, False, screen_x=x, screen_y=y))
    await pilot.pause()
