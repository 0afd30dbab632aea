"""Reporter text reaches the adviser's terminal inert, everywhere it is shown.

The store strips controls on the way in, so these tests also write hostile
strings straight into the tables with peewee (bypassing the services) to
prove the second layer: the app's own rendering.
"""

import peewee as pw

from adviser_tui import inert
from adviser_tui.app import AdviserApp
from adviser_tui.widgets.inbox_list import InboxList
from store import casetext, conversation, sealing
from store.clock import utcnow
from store.models import Message, Report

from ..helpers import reporter_key, reporter_message, submit
from .support import (
    FORBIDDEN,
    HOSTILE,
    LITERAL_MARKUP,
    case_ready,
    notifications,
    screen_text,
    wait_for,
    wait_inbox,
)


def assert_inert(text):
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} reached the screen"


def assert_literal(text):
    for markup in LITERAL_MARKUP:
        assert markup in text, f"{markup!r} was not shown literally"


def test_safe_helpers_strip_controls_and_keep_markup_literal():
    for render in (inert.content(HOSTILE), inert.line_content(HOSTILE), inert.cell(HOSTILE)):
        text = render.plain
        assert_inert(text)
        assert_literal(text)
        assert not getattr(render, "spans", [])  # no style came from the text


def seal_raw(report, key, texts, preview, message=None):
    """Seal hostile texts into ``report`` as written, with no cleaning: what someone holding its key
    (a compromised web process, say) could store. ``message``: a reporter message to add, sealed alike."""
    sealed = casetext.seal_report(report.reference, key, texts)
    sealed["sealed_preview"] = sealing.seal(key, preview, f"{report.reference}|preview")
    Report.update(**sealed).where(Report.id == report.id).execute()
    if message is not None:
        row = Message.create(report=report.id, author="reporter", created_at=utcnow())
        blob = casetext.seal_body(report.reference, key, "message", row.id, "reporter", message, adviser_id=None)
        Message.update(sealed_body=blob).where(Message.id == row.id).execute()


def hostile_report(config, **extra):
    """A named report whose every field is hostile, written raw (no sanitising)."""
    report = submit(config, way="named", email="x@example.org").report
    if extra:
        Report.update(**extra).where(Report.id == report.id).execute()
    texts = {
        "description": HOSTILE,
        "location": HOSTILE,
        "people": HOSTILE,
        "occurred": HOSTILE[:200],
        "contact_name": HOSTILE[:200],
        "contact_email": HOSTILE[:200],
        "contact_phone": "\x1b[2J+44\u202e",
    }
    seal_raw(report, reporter_key(report.id), texts, HOSTILE[:120], message=HOSTILE)
    return report


async def test_inbox_rows_detail_and_case_screen_show_hostile_text_literally(config, sqlite_url, ann):
    hostile_report(config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(250, 70)) as pilot:
        await wait_inbox(pilot, rows=1)
        preview = app.screen.query_one(InboxList).cells(0)[-1]  # the last column
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
        # A reporter message written raw, as an old or buggy writer holding the case key might have.
        key = reporter_key(report.id)
        row = Message.create(report=report.id, author="reporter", created_at=utcnow())
        blob = casetext.seal_body(report.reference, key, "message", row.id, "reporter", HOSTILE, adviser_id=None)
        Message.update(sealed_body=blob).where(Message.id == row.id).execute()
        preview = sealing.seal(key, HOSTILE[:120], f"{report.reference}|preview")
        Report.update(unread_count=1, unread_since=utcnow(), last_activity_at=utcnow(), sealed_preview=preview).where(
            Report.id == report.id
        ).execute()
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
    reporter_message(report.id, HOSTILE)
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


# A database edited by hand ---------------------------------------------------------------------------

# Left alone: what the install and the signed-in adviser need to work at all.
KEPT = {("tellus_setting", "key"), ("tellus_setting", "value"), ("adviser", "password_hash"), ("adviser", "key_params")}
UNIQUE = {("report", "reference"), ("adviser", "username"), ("notification", "event")}
# Controls first, so that even a column cut to a few cells would paint them if they got through.
POISON = "\x1b]0;pwned\x07\x9d0;t\x9c\u202e\x85\x1b[2J" + HOSTILE


def poison_every_text_column(keep_username_of):
    """POISON in every text column of every table, by raw SQL, as someone with the database file could.

    Unique columns get the row id appended; the signed-in adviser keeps their username so that
    unlocking still works (their display name is poisoned like everything else).
    """
    from store.models import ALL_MODELS, database

    param = database.param
    written = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        for field in model._meta.sorted_fields:
            column = field.column_name
            if not isinstance(field, (pw.CharField, pw.TextField)) or (table, column) in KEPT:
                continue
            value = f"{param} || id" if (table, column) in UNIQUE else param
            where = f" WHERE id <> {int(keep_username_of)}" if (table, column) == ("adviser", "username") else ""
            database.execute_sql(f'UPDATE "{table}" SET "{column}" = {value}{where}', (POISON,))
            written.append(f"{table}.{column}")
    return written


def poison_every_sealed_text(case_keys):
    """POISON sealed into every report's texts, messages and notes, with each case's key, bound to its
    (poisoned) reference: what someone holding the keys could write. Returns the columns written."""
    from store.models import Note

    for report in Report.select():
        key = case_keys[report.id]
        texts = dict.fromkeys(("description", "occurred", "location", "people", "contact_name"), POISON)
        seal_raw(report, key, texts, POISON)
        for first, row in enumerate(Message.select().where(Message.report == report.id).order_by(Message.id)):
            if first == 0:
                # An author Tellus does not write never opens (casetext.author_tag): sealed naming the
                # poisoned author as such a writer would, it shows as an item that cannot be opened.
                blob = sealing.seal(key, POISON, f"{report.reference}|message|{row.id}|{row.author}")
            else:  # the others get their side back, so that their poisoned bodies reach the screen
                author = "adviser" if row.adviser_id is not None else "reporter"
                Message.update(author=author).where(Message.id == row.id).execute()
                blob = casetext.seal_body(
                    report.reference, key, "message", row.id, author, POISON, adviser_id=row.adviser_id
                )
            Message.update(sealed_body=blob).where(Message.id == row.id).execute()
        for row in Note.select().where(Note.report == report.id):
            blob = casetext.seal_body(
                report.reference, key, "note", row.id, "adviser", POISON, adviser_id=row.adviser_id
            )
            Note.update(sealed_body=blob).where(Note.id == row.id).execute()
    return ["report.sealed_description", "report.sealed_preview", "message.sealed_body", "note.sealed_body"]


def check_screen(app, where, literal=("[bold]loud[/bold]",)):
    """Nothing that drives the terminal is painted, no markup became a link or an action, and ``literal`` shows."""
    from .support import forbidden_in, painted_segments

    text = screen_text(app)
    assert not forbidden_in(text), f"{where}: {forbidden_in(text)!r} painted"
    for segment in painted_segments(app):
        style = segment.style
        if style is not None:
            assert not style.link, f"{where}: a link was made of {segment.text!r}"
            assert "@click" not in (style.meta or {}), f"{where}: an action was made of {segment.text!r}"
    for markup in literal:
        assert markup in text, f"{where}: {markup!r} is not shown literally"
    return text


async def test_a_hand_edited_database_is_shown_inertly_on_every_screen(sqlite_url, sqlite_db):
    """Every text column of every table holds escape sequences, bidi overrides and markup; walk every screen."""
    import datetime as dt

    from adviser_tui.modals.choice import ChoiceModal
    from adviser_tui.modals.composer import Composer
    from adviser_tui.modals.confirm import ConfirmModal
    from adviser_tui.modals.form import FormModal
    from adviser_tui.screens.advisers import AdvisersScreen
    from adviser_tui.screens.audit import AuditScreen
    from adviser_tui.screens.closures import ClosuresScreen
    from adviser_tui.screens.help import HelpScreen
    from adviser_tui.screens.inbox import InboxScreen
    from adviser_tui.screens.login import LoginScreen
    from adviser_tui.screens.patterns import PatternsScreen
    from adviser_tui.screens.stats import StatsScreen
    from store import Config
    from store.closures import add_closure
    from store.models import Adviser, Notification, database
    from store.sample_data import build

    from .support import PASSWORD, SAMPLE_NOW, login

    config = Config(organisation=POISON, categories=(POISON, "Bullying"), locations=(POISON,))
    sample = build(config, now=SAMPLE_NOW, cases=40, password=PASSWORD)
    ann = sample.advisers[0]
    add_closure(SAMPLE_NOW.date() + dt.timedelta(days=3), SAMPLE_NOW.date() + dt.timedelta(days=5), "Winter")
    Notification.create(
        event="new:1",
        kind="new",
        report_id=1,
        created_at=SAMPLE_NOW,
        attempts=3,
        next_attempt_at=SAMPLE_NOW,
        last_error="refused",
    )
    case_keys = ann.keyring.case_keys(sample.report_ids)  # before the references change (they bind each text)
    written = poison_every_text_column(keep_username_of=ann.id)
    written += poison_every_sealed_text(case_keys)
    assert {
        "report.reference",
        "report.way",
        "report.role",
        "report.category",
        "report.status",
        "report.sealed_preview",
        "report.sealed_description",
        "adviser.display_name",
        "audit_event.action",
        "audit_event.detail",
        "closure.note",
        "message.sealed_body",
        "note.sealed_body",
        "notification.last_error",
    } <= set(written)
    keyring, ann = ann.keyring, Adviser.get_by_id(ann.id)
    ann.keyring = keyring  # signed in: the keys opened before the edit

    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.2, clock=lambda: SAMPLE_NOW)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_inbox(pilot)
        await wait_for(pilot, lambda: "E-mail notifications are failing" in screen_text(app), what="mail line")
        check_screen(app, "inbox")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        check_screen(app, "help", literal=())
        await pilot.press("escape")

        # A case, its dialogs and its toasts.
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), what="case")
        await pilot.press("home")
        check_screen(app, "case", literal=LITERAL_MARKUP)
        await pilot.press("end")
        check_screen(app, "case, end", literal=())
        case = app.screen
        for key, modal in (("s", ChoiceModal), ("a", ChoiceModal), ("r", Composer), ("n", Composer)):
            await pilot.press(key)
            await wait_for(pilot, lambda modal=modal: isinstance(app.screen, modal), what=f"{key} dialog")
            # Shown is not yet painted: wait for the dialog's text before looking at it.
            await wait_for(pilot, lambda: "[bold]loud[/bold]" in screen_text(app), what=f"the {key} dialog's text")
            check_screen(app, f"{key} dialog")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is case, what="back to the case")
        other = sample.advisers[1]
        database.execute_sql(f"UPDATE report SET assignee_id = {other.id} WHERE id = {case.report_id}")
        await wait_for(pilot, lambda: any("now assigned to" in n for n in notifications(app)), what="toast")
        check_screen(app, "assignment toast")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="inbox")

        # A reporter message written raw: the inbox's arrival toast quotes the hostile preview.
        first = Report.get_by_id(app.screen.rows[0].id)
        seal_raw(first, case_keys[first.id], {"description": POISON}, POISON[:120], message=POISON)
        first = first.id
        database.execute_sql(
            f"UPDATE report SET unread_count = unread_count + 1, last_activity_at = ? WHERE id = {first}",
            (SAMPLE_NOW + dt.timedelta(minutes=1),),
        )
        await wait_for(pilot, lambda: any("[bold]loud" in n for n in notifications(app)), what="arrival toast")
        check_screen(app, "arrival toast")

        # The lock screen names the organisation and the adviser.
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="lock")
        await wait_for(pilot, lambda: "[bold]loud[/bold]" in screen_text(app), what="the lock screen's text")
        check_screen(app, "lock screen")
        await login(pilot, "ann", PASSWORD)
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="unlocked")

        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PatternsScreen) and app.screen.groups, what="patterns")
        check_screen(app, "patterns")
        await pilot.press("tab")
        check_screen(app, "patterns, cases list")
        await pilot.press("escape")

        for key, screen_type, literal in (
            ("u", AuditScreen, ("[bold]loud[/bold]",)),
            ("m", AdvisersScreen, ("[bold]loud[/bold]",)),
            ("c", ClosuresScreen, ("[bold]loud[/bold]",)),
            ("t", StatsScreen, ("[bold]loud[/bold]",)),
        ):
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="inbox")
            await pilot.press(key)
            await wait_for(
                pilot,
                lambda screen_type=screen_type: isinstance(app.screen, screen_type) and app.screen.loaded_once,
                what=screen_type.__name__,
            )
            if screen_type is StatsScreen:  # the configured names are in the tables below the first screenful
                await pilot.press("end")
            # Loaded is not yet painted: wait for the rows (a long statistics text is laid out a moment later).
            await wait_for(
                pilot,
                lambda literal=literal: all(markup in screen_text(app) for markup in literal),
                what=f"the rows of {screen_type.__name__}",
                timeout=20,  # a long statistics text on a loaded machine
            )
            check_screen(app, screen_type.__name__, literal=literal)
            if screen_type is AdvisersScreen:  # dialogs that name an account
                for action, modal in (("d", ConfirmModal), ("a", ConfirmModal), ("r", FormModal)):
                    app.screen.query_one("#accounts").move_cursor(row=1)
                    await pilot.press(action)
                    await wait_for(pilot, lambda modal=modal: isinstance(app.screen, modal), what=f"{action} dialog")
                    # Shown is not yet painted: wait for the dialog's text before looking at it.
                    await wait_for(pilot, lambda: "[bold]loud[/bold]" in screen_text(app), what="the dialog's text")
                    check_screen(app, f"accounts {action} dialog")
                    await pilot.press("escape")
                    await wait_for(pilot, lambda: isinstance(app.screen, AdvisersScreen), what="accounts")
            if screen_type is ClosuresScreen:
                await pilot.press("d")
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="remove closure dialog")
                check_screen(app, "remove closure dialog", literal=())
                await pilot.press("escape")
            await pilot.press("escape")
        assert app.is_running
