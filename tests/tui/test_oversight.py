"""Adviser app: the patterns, audit and admin screens, and who may reach them."""

import datetime as dt

import pytest
from textual.widgets import DataTable

from adviser_tui.app import AdviserApp
from adviser_tui.screens.inbox import InboxScreen
from adviser_tui.screens.patterns import PatternsScreen
from adviser_tui.widgets.oversight_bar import OversightBar
from store.advisers import confirm, create_adviser
from store.cases import assign

from ..helpers import submit
from .support import (
    FORBIDDEN,
    HOSTILE,
    PASSWORD,
    case_ready,
    notifications,
    screen_text,
    wait_for,
    wait_inbox,
)


def recent(days):
    return dt.datetime.utcnow() - dt.timedelta(days=days)


async def open_patterns(pilot):
    await wait_inbox(pilot)
    await pilot.press("p")
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, PatternsScreen) and pilot.app.screen.groups,
        what="patterns screen with groups",
    )
    return pilot.app.screen


async def test_patterns_screen_groups_marks_patterns_and_opens_a_case(config, sqlite_url, ann):
    places = ["Library 2nd floor", "library, second floor", "the libary", "Sports hall"]
    reports = [submit(config, location=place, people="", now=recent(n)).report for n, place in enumerate(places, 1)]
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(OversightBar).count is not None, what="pattern count")
        assert "patterns to act on" in screen_text(app) or "pattern to act on" in screen_text(app)
        screen = await open_patterns(pilot)
        library = next(g for g in screen.groups if g.kind == "location")
        assert library.is_pattern and set(library.report_ids) == {r.id for r in reports[:3]}
        screen.query_one("#pattern-groups", DataTable).move_cursor(row=screen.groups.index(library))
        await wait_for(pilot, lambda: "PATTERN TO ACT ON · place: " in screen_text(app), what="the group's details")
        text = screen_text(app)
        assert "3 reports" in text and "library, second floor" in text and "Library 2nd floor" in text
        # Enter on the group moves to its cases; Enter on a case opens it.
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one("#pattern-cases", DataTable).has_focus, what="cases list")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: case_ready(app), what="case opened from the pattern")
        assert app.screen.report_id == library.report_ids[1]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="back to patterns")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="back to the inbox")


async def test_patterns_window_can_be_changed(config, sqlite_url, ann):
    for days in (5, 6, 200):
        submit(config, location="Chemistry labs", people="", now=recent(days))
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_patterns(pilot)
        assert next(g for g in screen.groups if g.kind == "location").count == 2  # 90 days by default
        screen.query_one("#window-select").value = "365"
        await wait_for(
            pilot,
            lambda: (
                not screen.busy
                and screen.window == "365"
                and next(g for g in screen.groups if g.kind == "location").count == 3
            ),
            what="365-day window",
        )


async def test_hostile_place_and_person_strings_render_literally_in_patterns(config, sqlite_url, ann):
    for n in (1, 2, 3):
        submit(config, location=HOSTILE, people=HOSTILE, now=recent(n))
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_patterns(pilot)
        assert app.is_running  # [@click=app.quit] did not quit
        hostile = next(g for g in screen.groups if g.kind == "location")
        screen.query_one("#pattern-groups", DataTable).move_cursor(row=screen.groups.index(hostile))
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]loud[/bold]" in text
        assert "[@click=app.quit]quit[/]" in text  # the details line shows the start of it literally
        for bad in FORBIDDEN:
            assert bad not in text
        await pilot.press("x")  # still alive and responsive
        assert app.is_running


async def test_an_adviser_sees_patterns_only_over_cases_they_may_see(config, sqlite_url, ann):
    bob = create_adviser("bob", "another long password", "Bob")
    admin = create_adviser("ada", "another long password", "Ada", is_admin=True)
    confirm(["ann", "bob"], admin, config)  # made before any admin: on the roster once the admin confirms them
    ids = [submit(config, location="Refectory", people="", now=recent(n)).report.id for n in (1, 2, 3)]
    assign(ids[0], admin, "bob", config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_patterns(pilot)
        refectory = next(g for g in screen.groups if g.kind == "location")
        assert set(refectory.report_ids) == set(ids[1:]) and not refectory.is_pattern
    assert bob  # bob's case stayed out of ann's view


# Admin screens -------------------------------------------------------------------


async def test_an_adviser_cannot_reach_any_admin_screen(config, sqlite_url, ann):
    from adviser_tui.screens.advisers import AdvisersScreen

    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_inbox(pilot)
        inbox = app.screen
        for key, what in (
            ("u", "browse the audit trail"),
            ("m", "manage adviser accounts"),
            ("c", "manage closure periods"),
            ("t", "see statistics"),
            ("x", "manage adviser accounts"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is inbox, key
            assert f"Only administrators can {what}." in notifications(app)
        # Even a screen pushed without the key check gets nothing from the store, and closes.
        app.push_screen(AdvisersScreen())
        await wait_for(pilot, lambda: app.screen is inbox, what="admin screen refused and closed")
        assert "Only administrators can manage adviser accounts." in notifications(app)
        assert "ann" not in [row for row in screen_text(app).splitlines() if "Username" in row]


def _admin(config):
    return create_adviser("ada", PASSWORD, "Ada Admin", is_admin=True)


async def _admin_screen(pilot, key, screen_type):
    await wait_inbox(pilot)
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type) and pilot.app.screen.loaded_once,
        what=screen_type.__name__,
    )
    return pilot.app.screen


async def test_admin_browses_filters_and_pages_the_audit_trail(config, sqlite_url, sqlite_db):
    from adviser_tui.screens.audit import AuditScreen
    from store import audit
    from store.models import database

    admin = _admin(config)
    report = submit(config).report
    with database.atomic():
        for _ in range(130):
            audit.record("login", admin)
        audit.record("case_viewed", admin, report)
        audit.record("login_failed", detail="unknown username", adviser_name=HOSTILE[:64])
    app = AdviserApp(config, sqlite_url, signed_in=admin)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _admin_screen(pilot, "u", AuditScreen)
        assert len(screen.page.events) == 100 and screen.page.more
        assert "[bold]loud[/bold]" in screen_text(app)  # a typed login name, shown literally
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.start == 100 and not screen.page.more, what="second page")
        assert len(screen.page.events) == 33 and "Entries 101–133" in screen_text(app)  # +1: the account creation
        # Filter by case reference: only that case's entries.
        screen.query_one("#filter-reference").value = report.reference
        screen.query_one("#filter-reference").focus()
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: screen.start == 0 and [e.action for e in screen.page.events] == ["case_viewed"],
            what="filtered by case",
        )
        # By action and date (today, local): the 130 logins.
        screen.query_one("#filter-reference").value = ""
        today = dt.date.today().isoformat()
        screen.query_one("#filter-since").value = (dt.date.today() - dt.timedelta(days=1)).isoformat()
        screen.query_one("#filter-until").value = today
        screen.query_one("#filter-action").value = "login"
        await wait_for(
            pilot,
            lambda: screen.page.events and {e.action for e in screen.page.events} == {"login"} and screen.page.more,
            what="filtered by action",
        )
        # What the admin typed goes to the store, which answers a bad date with the same sentence as `tellus audit`.
        screen.query_one("#filter-since").value = "yesterday"
        screen.query_one("#filter-since").focus()
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: "Since date must look like 2026-12-19 (year-month-day)." in notifications(app),
            what="the date's sentence",
        )
        # Read-only: no key of the screen writes anything.
        assert {b.action for b in AuditScreen.BINDINGS} == {"reload", "back", "filters", "next_page", "previous_page"}


async def test_admin_creates_disables_resets_and_promotes_accounts(config, sqlite_url, sqlite_db):
    from adviser_tui.modals.form import FormModal
    from adviser_tui.screens.advisers import AdvisersScreen
    from store.advisers import authenticate, get_adviser

    admin = _admin(config)
    app = AdviserApp(config, sqlite_url, signed_in=admin)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _admin_screen(pilot, "m", AdvisersScreen)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal), what="new account form")
        form = app.screen
        form.query_one("#field-username").value = "bob"
        form.query_one("#field-name").value = "Bob [b]Builder[/b]"
        form.query_one("#field-password").value = "a long new password"
        form.query_one("#field-again").value = "a different password"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not the same" in screen_text(app), what="mismatch refused")
        form.query_one("#field-again").value = "a long new password"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: app.screen is screen and any(a.username == "bob" for a in screen.accounts),
            what="account created",
        )
        assert "Bob [b]Builder[/b]" in screen_text(app)
        assert authenticate("bob", "a long new password").display_name == "Bob [b]Builder[/b]"
        row = next(i for i, a in enumerate(screen.accounts) if a.username == "bob")
        screen.query_one("#accounts").move_cursor(row=row)
        await pilot.press("d")
        await pilot.press("y")
        await wait_for(pilot, lambda: not get_adviser("bob").active and "DISABLED" in screen_text(app), what="disabled")
        await pilot.press("a", "y")
        await wait_for(pilot, lambda: get_adviser("bob").is_admin, what="made admin")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal), what="password form")
        app.screen.query_one("#field-password").value = "yet another password"
        app.screen.query_one("#field-again").value = "yet another password"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="password reset")
        # An admin cannot disable their own account from here.
        me = next(i for i, a in enumerate(screen.accounts) if a.username == "ada")
        screen.query_one("#accounts").move_cursor(row=me)
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: any("your own account" in n for n in notifications(app)), what="refused")
    assert get_adviser("ada").active
    from store.advisers import set_active

    set_active("bob", True)
    assert authenticate("bob", "yet another password").username == "bob"


async def test_admin_adds_and_removes_a_closure_and_due_dates_move(config, sqlite_url, sqlite_db):
    from adviser_tui.modals.form import FormModal
    from adviser_tui.screens.closures import ClosuresScreen
    from store.closures import list_closures
    from store.models import Report

    admin = _admin(config)
    report = submit(config).report
    before = Report.get_by_id(report.id).due_on
    app = AdviserApp(config, sqlite_url, signed_in=admin)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _admin_screen(pilot, "c", ClosuresScreen)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal), what="closure form")
        start = report.created_at.date()
        app.screen.query_one("#field-start").value = "tomorrow"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "must look like 2026-12-19" in screen_text(app), what="bad date refused")
        app.screen.query_one("#field-start").value = start.isoformat()
        app.screen.query_one("#field-end").value = (start + dt.timedelta(days=14)).isoformat()
        app.screen.query_one("#field-note").value = "[red]Winter[/red] break"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and len(screen.closures) == 1, what="closure added")
        assert "[red]Winter[/red] break" in screen_text(app)
        assert Report.get_by_id(report.id).due_on > before  # re-computed
        await pilot.press("d", "y")
        await wait_for(pilot, lambda: not screen.closures, what="closure removed")
    assert list_closures() == []
    assert Report.get_by_id(report.id).due_on == before


async def test_admin_statistics_screen_suppresses_small_counts(config, sqlite_url, sqlite_db):
    from adviser_tui.screens.stats import StatsScreen

    admin = _admin(config)
    for category, n in (("Harassment", 6), ("Bullying", 7), ("Wellbeing concern", 3), ("Assault", 2)):
        for _ in range(n):
            submit(config, category=category)
    app = AdviserApp(config, sqlite_url, signed_in=admin)
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_inbox(pilot)
        await pilot.press("x")  # the admin menu reaches the same screens
        await wait_for(pilot, lambda: "Administration" in screen_text(app), what="admin menu")
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.loaded_once, what="stats")
        text = screen_text(app)
        assert "By category" in text and "<5" in text
        harassment = next(line for line in text.splitlines() if "Harassment" in line)
        assert harassment.split()[-1] == "6"
        assert next(line for line in text.splitlines() if "Assault" in line).split()[-1] == "<5"


async def test_admins_see_e_mail_delivery_problems_in_the_inbox_header(config, sqlite_url, sqlite_db):
    from store.models import Notification

    admin = _admin(config)
    Notification.create(
        event="new:1",
        kind="new",
        report_id=None,
        created_at=recent(0),
        attempts=2,
        next_attempt_at=recent(0),
        last_error="The mail server refused the login.",
    )
    app = AdviserApp(config, sqlite_url, signed_in=admin)
    async with app.run_test(size=(160, 36)) as pilot:
        await wait_inbox(pilot)
        await wait_for(pilot, lambda: "E-mail notifications are failing" in screen_text(app), what="mail problem")
    adviser = create_adviser("bea", PASSWORD, "Bea")
    app = AdviserApp(config, sqlite_url, signed_in=adviser)
    async with app.run_test(size=(160, 36)) as pilot:
        await wait_inbox(pilot)
        await wait_for(pilot, lambda: app.screen.query_one(OversightBar).count is not None, what="count")
        assert "E-mail" not in screen_text(app)


async def test_a_case_says_when_retention_will_delete_it(config, sqlite_url, ann):
    from store.cases import set_status
    from store.models import Report

    report = submit(config).report
    set_status(report.id, ann, "closed", config, now=dt.datetime(2026, 1, 10, 12, 0))
    assert Report.get_by_id(report.id).closed_at == dt.datetime(2026, 1, 10, 12, 0)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_inbox(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case")
        text = screen_text(app)
        assert "Deletion" in text and "Sun 10 Jan 2027 under the retention policy (after closing)" in text


async def test_the_pattern_count_is_not_recomputed_on_every_poll(config, sqlite_url, ann, monkeypatch):
    from adviser_tui import gateway

    calls, polls = [], []
    real_count, real_poll = gateway.pattern_count, gateway.inbox_fingerprint

    def counting(*args):
        calls.append(args)
        return real_count(*args)

    def polling(*args):
        polls.append(args)
        return real_poll(*args)

    monkeypatch.setattr(gateway, "pattern_count", counting)
    monkeypatch.setattr(gateway, "inbox_fingerprint", polling)
    submit(config)
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.05)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_inbox(pilot)
        await wait_for(pilot, lambda: app.screen.query_one(OversightBar).count is not None, what="first count")
        submit(config)  # the poll sees it and reloads the inbox …
        await wait_inbox(pilot, rows=2)
        seen = len(polls)
        await wait_for(pilot, lambda: len(polls) >= seen + 10, what="ten more polls")
        assert len(calls) == 1  # … but through a reload and ten polls the patterns were not grouped again
        app.screen.query_one(OversightBar).refresh_now()  # on demand
        await wait_for(pilot, lambda: len(calls) == 2, what="count on demand")


@pytest.mark.parametrize(
    "now,state",
    [
        (dt.datetime(2026, 6, 30, 22, 30), "NOW"),  # 23:30 in London, its last day
        (dt.datetime(2026, 6, 30, 23, 30), "past"),
    ],  # 00:30 on 1 July in London
    ids=["last-evening", "after-midnight"],
)
async def test_a_closure_ends_at_the_organisations_midnight_not_utcs(config, sqlite_url, sqlite_db, now, state):
    from adviser_tui.screens.closures import ClosuresScreen
    from store.closures import add_closure

    admin = _admin(config)
    add_closure("2026-06-20", "2026-06-30", "Summer shutdown")
    app = AdviserApp(config, sqlite_url, signed_in=admin, clock=lambda: now)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await _admin_screen(pilot, "c", ClosuresScreen)
        row = screen.query_one("#closures").get_row_at(0)
        assert str(row[3]) == state


async def test_an_admin_is_told_of_unconfirmed_accounts_and_confirms_one_at_80x24(config, sqlite_url, sqlite_db):
    """An account made on the command line without an admin's password gets no case key until an admin
    confirms it; the admin hears so at sign-in and confirms it on the accounts screen."""
    from adviser_tui.modals.confirm import ConfirmModal
    from adviser_tui.screens.advisers import AdvisersScreen
    from store import roster
    from store.models import Adviser, CaseKey

    from .support import login

    _admin(config)
    create_adviser("bob", PASSWORD, "Bob [b]Builder[/b]")  # the CLI, without --granted-by
    report = submit(config).report
    bob = Adviser.get(Adviser.username == "bob")
    assert not CaseKey.select().where(CaseKey.adviser == bob.id).exists()
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "ada", PASSWORD)
        await wait_for(pilot, lambda: any("wait" in n and "confirm" in n for n in notifications(app)), what="notice")
        screen = await _admin_screen(pilot, "m", AdvisersScreen)
        await wait_for(pilot, lambda: "unconfirmed" in screen_text(app), what="status shown")
        row = next(i for i, a in enumerate(screen.accounts) if a.username == "bob")
        screen.query_one("#accounts").move_cursor(row=row)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirmation asked")
        assert "Bob [b]Builder[/b]" in screen_text(app)  # the name as typed, inert
        # The key it would sign, as the command that made the account printed it (tellus advisers add).
        assert roster.fingerprint(bob.public_key) in screen_text(app).replace("\n", "")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen and "unconfirmed" not in screen_text(app), what="confirmed")
    assert roster.unconfirmed([Adviser.get_by_id(bob.id)]) == []
    assert CaseKey.select().where((CaseKey.adviser == bob.id) & (CaseKey.report == report.id)).exists()


async def test_confirming_an_account_that_changed_after_it_was_shown_signs_nothing(config, sqlite_url, sqlite_db):
    """Roster review (tests/store/test_roster_attacks.py): the modal shows the account as listed; a row writer
    who makes it an admin with their own key while the question is on screen gets nothing signed. Before the
    fix the screen passed the username and the row as it then stood was signed, roster key and all."""
    from adviser_tui.modals.confirm import ConfirmModal
    from adviser_tui.screens.advisers import AdvisersScreen
    from store import roster, sealing
    from store.models import Adviser

    from .support import login

    _admin(config)
    create_adviser("bob", PASSWORD, "Bob")  # the CLI, without --granted-by: unconfirmed
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "ada", PASSWORD)
        screen = await _admin_screen(pilot, "m", AdvisersScreen)
        await wait_for(pilot, lambda: "unconfirmed" in screen_text(app), what="status shown")
        row = next(i for i, a in enumerate(screen.accounts) if a.username == "bob")
        screen.query_one("#accounts").move_cursor(row=row)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirmation asked")
        attacker = sealing.KeyPair.generate()
        Adviser.update(public_key=attacker.public, is_admin=True).where(Adviser.username == "bob").execute()
        await pilot.press("y")
        await wait_for(pilot, lambda: any("changed" in n for n in notifications(app)), what="refusal shown")
    bob = Adviser.get(Adviser.username == "bob")
    assert roster.unconfirmed([bob]) == [bob] and bob.sealed_roster_key is None


async def test_an_admin_is_told_at_sign_in_when_the_roster_cannot_be_checked(config, sqlite_url, sqlite_db):
    """Roster review: with the pin file gone (or replaced by another account's), the web process refuses every
    report; before the fix the admin's app swallowed the same error at sign-in and said nothing."""
    import os

    from store import roster

    from .support import login

    _admin(config)
    os.rename(roster.pin_path(), roster.pin_path() + ".moved")
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "ada", PASSWORD)
        await wait_for(pilot, lambda: any("roster key file" in n for n in notifications(app)), what="roster trouble")


def _painted(app):
    return " ".join(screen_text(app).replace("▌", " ").split())


@pytest.mark.parametrize("state", ["broken", "unchecked"])
async def test_an_admin_is_told_at_sign_in_when_new_reports_miss_the_recovery_key_at_80x24(
    config, sqlite_url, sqlite_db, state
):
    """Roster review: a recovery key whose signature broke (one changed byte), or an upgraded install's that nobody
    has proved yet, silently received nothing new. The admin hears so at sign-in, with what to do; an adviser
    who is not an admin is not told (they can do nothing about it)."""
    import os

    from store import roster
    from store.advisers import sign_in
    from store.models import Adviser, Setting

    from .support import login

    ada = _admin(config)
    create_adviser("bob", PASSWORD, "Bob", by=ada, keyring=ada.keyring)
    if state == "broken":
        Setting.update(value="00" * 64).where(Setting.key == roster.RECOVERY_SIGNATURE).execute()
        expected = roster.RECOVERY_BROKEN
    else:  # as the previous release left it, then the roster made by tellus migrate --admin ada
        Setting.delete().where(Setting.key.in_([roster.ROSTER_SETTING, roster.RECOVERY_SIGNATURE])).execute()
        Adviser.update(roster_signature=None, sealed_roster_key=None).execute()
        os.unlink(roster.pin_path())
        confirm([], sign_in("ada", PASSWORD), config)
        expected = roster.RECOVERY_UNCHECKED
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "bob", PASSWORD)
        await wait_inbox(pilot)
        await pilot.pause(0.3)
        assert not any("recovery" in n.lower() for n in notifications(app))
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await login(pilot, "ada", PASSWORD)
        await wait_for(pilot, lambda: expected in notifications(app), what="recovery notice")
        # Painted whole at 80×24, over the inbox: what is wrong and the command to run (toast borders dropped).
        await wait_for(pilot, lambda: _painted(app).count(" ".join(expected.split())) == 1, what="the notice painted")
