"""Adviser app: the language a report was written in, and categories by label, in the inbox and the case."""

from adviser_tui.app import AdviserApp
from adviser_tui.widgets.inbox_list import InboxList
from store.reports import submit_report

from ..helpers import report_form
from .support import screen_text, wait_for, wait_inbox
from .test_case import open_first_case


async def test_the_inbox_and_the_case_say_a_report_was_written_in_welsh(config, sqlite_url, ann):
    submit_report(report_form(description="Digwyddodd eto yn y llyfrgell.", category="bullying"), config, language="cy")
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_inbox(pilot, rows=1)
        table = app.screen.query_one(InboxList)
        cells = [cell.plain.strip() for cell in table.cells(0)]
        assert "cy" in cells and "Bullying" in cells  # the language, and the category's label (not its key)
        assert "written in Welsh" in screen_text(app)  # the line under the table, in words
        await open_first_case(pilot)
        await wait_for(pilot, lambda: "Written in" in screen_text(app), what="the case's details")
        text = screen_text(app)
        assert "Written in Welsh" in text and "reply in Welsh" in text
        assert "Bullying" in text and "bullying" not in text


async def test_an_english_report_says_english(config, sqlite_url, ann):
    submit_report(report_form(), config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_inbox(pilot, rows=1)
        assert "en" in [cell.plain.strip() for cell in app.screen.query_one(InboxList).cells(0)]
        await open_first_case(pilot)
        await wait_for(pilot, lambda: "Written in" in screen_text(app), what="the case's details")
        assert "Written in English" in screen_text(app) and "Harassment" in screen_text(app)
