"""``tellus demo``'s data shows every feature in a minute, on the adviser's screens.

The demo fills its database with ``store.sample_data.build(showcase=True)``: a
year of realistic cases, and on top of them a place named three times with
three spellings, a person named twice, a long conversation with notes, an
overdue case and a closure period coming up. These tests look at each of them
where a newcomer would (the inbox, the patterns screen, the closures screen)
at 80 and 100 columns, and at the reporter side's codes.
"""

import datetime as dt
import socket

import pytest

from adviser_tui.app import AdviserApp
from store import closures
from store.advisers import authenticate
from store.inbox import inbox, inbox_counts
from store.models import Message, Note, Report
from store.patterns import active_pattern_count, find_patterns
from store.reports import open_conversation_by_code
from store.sample_data import ADVISERS, build
from tellus.demo import start_site, stop_site

from .support import PASSWORD, SAMPLE_NOW, case_ready, screen_text, wait_for, wait_inbox

SIZES = [(80, 24), (100, 30)]


@pytest.fixture
def demo(config, sqlite_db):
    return build(config, now=SAMPLE_NOW, password=PASSWORD, codes=3, showcase=True)


def test_the_demo_data_holds_every_feature(config, demo):
    show = demo.showcase
    ann = demo.advisers[0]  # an admin, signed in: patterns are read with her keys
    groups = find_patterns(config, window=90, now=SAMPLE_NOW, adviser=ann)
    place = next(g for g in groups if g.kind == "location")
    assert set(place.references) == set(show.place) and len(place.variants) == 3 and place.is_pattern
    person = next(g for g in groups if g.kind == "person")
    assert set(person.references) == set(show.person) and len(person.variants) == 2
    assert not [g for g in groups if g.kind != "category" and g not in (place, person)]  # nothing drowns them out
    assert active_pattern_count(config, now=SAMPLE_NOW, adviser=ann) >= 1

    rows = {row.reference: row for row in inbox(config, limit=300, now=SAMPLE_NOW).rows}
    assert rows[show.overdue].overdue and inbox_counts(config, now=SAMPLE_NOW).overdue >= 1
    longest = Report.get(Report.reference == show.longest)
    assert Message.select().where(Message.report == longest).count() >= 50
    assert Note.select().where(Note.report == longest).count() >= 5

    today = SAMPLE_NOW.date()
    assert closures.state(show.closure, config, SAMPLE_NOW) == "coming"
    assert today + dt.timedelta(days=7) <= show.closure.start <= today + dt.timedelta(days=14)
    assert closures.current_closure(config, SAMPLE_NOW).id == show.closure.id  # the site's notice names it

    assert authenticate(ADVISERS[0][0], PASSWORD).is_admin
    assert len(demo.codes) == 3
    for reference, code in demo.codes.items():
        assert open_conversation_by_code(code).reference == reference


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "100x30"])
async def test_a_newcomer_sees_the_patterns_the_overdue_case_and_the_closure(config, sqlite_url, demo, size):
    show = demo.showcase
    app = AdviserApp(config, sqlite_url, signed_in=demo.advisers[0], clock=lambda: SAMPLE_NOW)
    async with app.run_test(size=size) as pilot:
        await wait_inbox(pilot)
        await wait_for(
            pilot,
            lambda: "patterns to act on in the last 90 days (p)" in screen_text(app),
            what="the pattern count in the header",
        )
        await pilot.press("p")
        await wait_for(pilot, lambda: "PATTERN" in screen_text(app), what="the patterns screen")
        groups = app.screen.groups
        app.screen.query_one("#pattern-groups").move_cursor(
            row=next(i for i, g in enumerate(groups) if g.kind == "location")
        )
        await wait_for(pilot, lambda: "Typed as:" in screen_text(app), what="the place's spellings")
        assert "Library, second floor" in screen_text(app) and "the libary" in screen_text(app)
        await pilot.press("escape")

        await wait_inbox(pilot)
        await pilot.press("slash", *show.overdue, "enter")
        await wait_inbox(pilot, rows=1)
        await wait_for(pilot, lambda: "OVERDUE" in screen_text(app), what="the overdue case's line")
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="the overdue case")
        assert "OVERDUE" in screen_text(app)
        await pilot.press("escape")

        await wait_inbox(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: "coming" in screen_text(app), what="the closure coming up")
        assert f"{show.closure.start:%a %d %b %Y}" in screen_text(app)


def test_a_busy_port_gets_a_free_one_and_says_so(sqlite_url, sqlite_db, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process, url, message = start_site(sqlite_url, port, str(tmp_path / "web.log"))
        try:
            assert process is not None and url != f"http://127.0.0.1:{port}/"
            assert message == f"Port {port} is in use, so the reporter site runs at {url} instead."
            with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1].strip("/"))), timeout=5):
                pass
        finally:
            stop_site(process)
    assert process.poll() is not None
