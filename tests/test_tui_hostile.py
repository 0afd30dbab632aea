"""Reporter text reaches the adviser's terminal inert, everywhere it is shown.

The store strips controls on the way in, so these tests also write hostile
strings straight into the tables with peewee (bypassing the services) to
prove the second layer: the app's own rendering.
"""


from adviser_tui import safe
from adviser_tui.app import AdviserApp
from adviser_tui.inbox_list import InboxList
from store import conversation
from store.clock import utcnow
from store.models import Message, Report

from .helpers import submit
from .tui_support import (  # noqa: F401
    FORBIDDEN, HOSTILE, LITERAL_MARKUP, ann, case_ready, notifications, screen_text, wait_for, wait_inbox,
)


def assert_inert(text):
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} reached the screen"


def assert_literal(text):
    for markup in LITERAL_MARKUP:
        assert markup in text, f"{markup!r} was not shown literally"


def test_safe_helpers_strip_controls_and_keep_markup_literal():
    for render in (safe.content(HOSTILE), safe.line_content(HOSTILE), safe.cell(HOSTILE)):
        text = render.plain
        assert_inert(text)
        assert_literal(text)
        assert not getattr(render, "spans", [])  # no style came from the text


def hostile_report(config, **extra):
    """A named report whose every field is hostile, written raw (no sanitising)."""
    report = submit(config, way="named", email="x@example.org").report
    Report.update(
        description=HOSTILE, location=HOSTILE, people=HOSTILE, occurred=HOSTILE[:200], preview=HOSTILE[:120],
        contact_name=HOSTILE[:200], contact_email=HOSTILE[:200], contact_phone="\x1b[2J+44\u202e", **extra,
    ).where(Report.id == report.id).execute()
    Message.create(report=report.id, author="reporter", body=HOSTILE, created_at=utcnow())
    return report


async def test_inbox_rows_detail_and_case_screen_show_hostile_text_literally(config, sqlite_url, ann):
    hostile_report(config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(250, 70)) as pilot:
        await wait_inbox(pilot, rows=1)
        preview = app.screen.query_one(InboxList).cells(0)[10]
        assert_inert(preview.plain)
        assert not preview.spans
        assert preview.plain.startswith("[bold]loud[/bold]")
        text = screen_text(app)
        assert_inert(text)
        assert "[bold]loud[/bold] [/bold] unbalanced [ and ] [@click=app.quit]quit[/]" in text  # detail line
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case")
        text = screen_text(app)
        assert_inert(text)
        assert_literal(text)
        assert text.count("[@click=app.quit]") >= 5  # description, where, people, contact, message
        assert "+44" in text
        await pilot.click("#case-body")  # clicking the text triggers nothing
        await pilot.pause()
        assert app.is_running


async def test_notification_of_a_hostile_arrival_is_literal(config, sqlite_url, ann):
    report = submit(config).report
    conversation.post_adviser_reply(report.id, ann, "Hello")
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.2)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await wait_inbox(pilot, rows=1)
        # A reporter message written raw, as an old or buggy writer might have.
        Message.create(report=report.id, author="reporter", body=HOSTILE, created_at=utcnow())
        Report.update(unread_count=1, unread_since=utcnow(), last_activity_at=utcnow(),
                      preview=HOSTILE[:120]).where(Report.id == report.id).execute()
        await wait_for(pilot, lambda: any("[bold]loud" in n for n in notifications(app)), what="notification")
        message = notifications(app)[-1]
        assert_inert(message)
        assert "[bold]loud[/bold]" in message
        await pilot.pause(0.2)
        text = screen_text(app)
        assert_inert(text)
        assert "[bold]loud[/bold]" in text
        assert app.is_running


async def test_hostile_text_through_the_store_is_also_shown_literally(config, sqlite_url, ann):
    report = submit(config, description=HOSTILE, location="[red]here[/red]", people="[/]").report
    conversation.post_reporter_message(report.id, HOSTILE)
    conversation.add_note(report.id, ann, "[@click=app.quit]note[/]")
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_inbox(pilot, rows=1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case")
        text = screen_text(app)
        assert_inert(text)
        assert_literal(text)
        assert "[red]here[/red]" in text and "[@click=app.quit]note[/]" in text
