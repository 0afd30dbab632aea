"""Every screen that lists or scrolls reaches its last row at 80×24, on a year of realistic data.

The data: store.sample_data (200 cases, the longest thread 50 messages, five advisers, the
audit trail of it all), seen through a clock fixed at the moment the data ends.
"""

import datetime as dt

from adviser_tui.app import AdviserApp
from adviser_tui.formatting import when
from adviser_tui.screens.advisers import AdvisersScreen
from adviser_tui.screens.audit import AuditScreen
from adviser_tui.screens.case import CaseScreen
from adviser_tui.screens.closures import ClosuresScreen
from adviser_tui.screens.help import HelpScreen
from adviser_tui.screens.inbox import InboxScreen
from adviser_tui.screens.patterns import PatternsScreen
from adviser_tui.screens.stats import StatsScreen
from adviser_tui.widgets.inbox_list import InboxList
from adviser_tui.widgets.thread_view import ThreadView
from store.closures import add_closure
from store.models import Report
from store.sanitize import one_line

from .support import SAMPLE_NOW, case_ready, screen_text, wait_for, wait_inbox

SIZE = (80, 24)


def make_app(config, sqlite_url, sample, **options):
    return AdviserApp(
        config, sqlite_url, signed_in=sample.advisers[0], clock=lambda: SAMPLE_NOW, poll_seconds=60, **options
    )


async def open_screen(pilot, key, screen_type):
    await wait_inbox(pilot)
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type) and pilot.app.screen.loaded_once,
        what=screen_type.__name__,
    )
    return pilot.app.screen


async def test_inbox_pages_reach_their_last_case(config, sqlite_url, sample):
    app = make_app(config, sqlite_url, sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_inbox(pilot, rows=100)
        screen = app.screen
        assert screen.rows[-1].reference not in screen_text(app)
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.rows[-1].reference in screen_text(app), what="last case of page 1")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: "Cases 101–200 of 200" in screen_text(app), what="page 2")
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.rows[-1].reference in screen_text(app), what="last case of all")
        assert screen.query_one(InboxList).cursor_row == 99
        await pilot.press("home")
        await wait_for(pilot, lambda: screen.rows[0].reference in screen_text(app), what="first case of page 2")


async def test_the_longest_case_reaches_its_end(config, sqlite_url, sample):
    longest = Report.get_by_id(sample.longest)
    app = make_app(config, sqlite_url, sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_inbox(pilot)
        app.push_screen(CaseScreen(longest.id, longest.reference))
        await wait_for(pilot, lambda: case_ready(app), what="case")
        await pilot.press("end")
        blocks = app.screen.query_one(ThreadView).blocks
        state, last_message = blocks[-1].content.plain, blocks[-2].content.plain
        marker = last_message.splitlines()[-1]
        await wait_for(pilot, lambda: state in screen_text(app) and marker in screen_text(app), what="the end")
        await pilot.press("home")
        await wait_for(pilot, lambda: "Category" in screen_text(app), what="the start")


async def test_patterns_reach_their_last_group_and_case(config, sqlite_url, sample):
    app = make_app(config, sqlite_url, sample)
    async with app.run_test(size=SIZE) as pilot:
        await wait_inbox(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PatternsScreen) and app.screen.groups, what="patterns")
        screen = app.screen
        screen.query_one("#window-select").value = "365"
        await wait_for(
            pilot,
            lambda: screen.window == "365" and not screen.busy and len(screen.groups) > 20,
            what="a year of groups",
        )
        screen.query_one("#pattern-groups").focus()
        last = one_line(screen.groups[-1].label)[:20]
        await pilot.press("end")
        await wait_for(
            pilot,
            lambda: screen.current_group() is screen.groups[-1] and last in screen_text(app),
            what="the last group",
        )
        biggest = max(screen.groups, key=lambda g: g.count)
        screen.query_one("#pattern-groups").move_cursor(row=screen.groups.index(biggest))
        await wait_for(pilot, lambda: screen.current_group() is biggest, what="the biggest group")
        await pilot.press("tab", "end")
        await wait_for(pilot, lambda: biggest.references[-1] in screen_text(app), what="its last case")


async def test_the_audit_trail_reaches_its_last_entry(config, sqlite_url, sample):
    app = make_app(config, sqlite_url, sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "u", AuditScreen)
        assert len(screen.page.events) == 100 and screen.page.more
        last = when(screen.page.events[-1].at, config)
        await pilot.press("end")
        await wait_for(pilot, lambda: last in screen_text(app), what="the last entry of the page")
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.start == 100, what="the next page")
        await pilot.press("end")
        last = when(screen.page.events[-1].at, config)
        await wait_for(pilot, lambda: last in screen_text(app), what="the last entry of page 2")


async def test_accounts_and_closures_reach_their_last_row(config, sqlite_url, sample):
    start = SAMPLE_NOW.date()
    for n in range(30):  # more than a screenful
        day = start + dt.timedelta(days=14 * n)
        add_closure(day, day + dt.timedelta(days=1), f"Closure number {n:02d}", config=config)
    app = make_app(config, sqlite_url, sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_screen(pilot, "m", AdvisersScreen)
        await pilot.press("end")
        await wait_for(pilot, lambda: screen.accounts[-1].username in screen_text(app), what="the last account")
        await pilot.press("escape")
        screen = await open_screen(pilot, "c", ClosuresScreen)
        assert "Closure number 29" not in screen_text(app)
        await pilot.press("end")
        await wait_for(pilot, lambda: "Closure number 29" in screen_text(app), what="the last closure")
        await pilot.press("home")
        await wait_for(pilot, lambda: "Closure number 00" in screen_text(app), what="the first closure")


async def test_statistics_and_the_key_list_scroll_to_their_last_line(config, sqlite_url, sample):
    app = make_app(config, sqlite_url, sample)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, "t", StatsScreen)
        text = str(app.screen.query_one("#stats-text").render())
        last = text.rstrip().splitlines()[-1]
        assert last not in screen_text(app)
        await pilot.press("end")
        await wait_for(pilot, lambda: last in screen_text(app), what="the last line of the statistics")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="inbox")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert "Escape closes this list." not in screen_text(app)
        await pilot.press("end")
        await wait_for(pilot, lambda: "Escape closes this list." in screen_text(app), what="the end of the key list")
