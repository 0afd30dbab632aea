"""store.casewatch: the open case's fingerprint and audit-free refresh."""

import datetime as dt
import threading

import pytest

from store import NotFound, PermissionDenied
from store.advisers import create_adviser
from store.audit import events
from store.cases import assign, open_case
from store.casewatch import case_fingerprint, mark_seen, refresh_case
from store.conversation import add_note
from store.models import Message, Report, database
from tests.helpers import submit

from ..helpers import reporter_message
from .pg_race import contender_waits_for_holder

NOW = dt.datetime(2026, 3, 2, 9, 15)


@pytest.fixture
def adviser(sqlite_db):
    return create_adviser("ann", "correct horse battery", "Ann")


def test_fingerprint_changes_with_messages_notes_and_assignment(sqlite_db, config, adviser):
    report = submit(config).report
    first = case_fingerprint(report.id)
    assert case_fingerprint(report.id) == first
    reporter_message(report.id, "One more thing")
    second = case_fingerprint(report.id)
    assert second != first
    add_note(report.id, adviser, "Call security")
    third = case_fingerprint(report.id)
    assert third != second
    assign(report.id, adviser, "ann", config)
    assert case_fingerprint(report.id) != third


def test_refresh_shows_new_messages_without_marking_them_read_or_a_new_view_event(sqlite_db, config, adviser):
    report = submit(config).report
    open_case(report.id, adviser, config)
    reporter_message(report.id, "Are you there?")
    view = refresh_case(report.id, adviser, config)
    assert [i.body for i in view.items][-1] == "Are you there?"
    assert view.items[-1].read_at is None  # fetched is not read: the screen may be covered (casewatch.mark_seen)
    assert Report.get_by_id(report.id).unread_count == 1
    assert len(events(report_id=report.id, action="case_viewed")) == 1


def test_refresh_and_fingerprint_say_when_the_case_is_gone(sqlite_db, config, adviser):
    report = submit(config).report
    Report.delete_by_id(report.id)
    with pytest.raises(NotFound):
        case_fingerprint(report.id)
    with pytest.raises(NotFound):
        refresh_case(report.id, adviser, config)


def test_refresh_refuses_a_case_assigned_to_someone_else(sqlite_db, config, adviser):
    other = create_adviser("bob", "another good password", "Bob")
    report = submit(config).report
    assign(report.id, other, "bob", config)
    with pytest.raises(PermissionDenied):
        refresh_case(report.id, adviser, config)


def test_opening_for_the_screen_does_not_mark_read_until_seen(db, config):
    adviser = create_adviser("ann", "correct horse battery", "Ann")
    report = submit(config).report
    first = reporter_message(report.id, "First")
    view = open_case(report.id, adviser, config, mark_read=False)
    assert view.report.adviser_read_at is None and Report.get_by_id(report.id).unread_count == 2
    assert len(events(report_id=report.id, action="case_viewed")) == 1  # opening is still a view
    assert mark_seen(report.id, adviser, config, up_to=first.id, now=NOW) == 1
    report = Report.get_by_id(report.id)
    assert (report.unread_count, report.unread_since, report.adviser_read_at) == (0, None, NOW)
    assert Message.get_by_id(first.id).read_at == NOW


def test_mark_seen_marks_only_what_was_shown(db, config):
    adviser = create_adviser("ann", "correct horse battery", "Ann")
    report = submit(config).report
    shown = reporter_message(report.id, "Shown on the screen")
    view = refresh_case(report.id, adviser, config)
    later = reporter_message(report.id, "Arrived after the screen was drawn")  # not on screen yet
    up_to = max(i.id for i in view.items if i.kind == "message")
    assert mark_seen(report.id, adviser, config, up_to=up_to, now=NOW) == 1
    assert Message.get_by_id(shown.id).read_at == NOW and Message.get_by_id(later.id).read_at is None
    report = Report.get_by_id(report.id)
    assert report.unread_count == 1 and report.unread_since == Message.get_by_id(later.id).created_at
    assert mark_seen(report.id, adviser, config, up_to=later.id, now=NOW) == 1
    assert Report.get_by_id(report.id).unread_count == 0
    assert mark_seen(report.id, adviser, config, up_to=later.id) == 0  # nothing left: nothing changes


def test_mark_seen_needs_a_case_the_adviser_may_see(db, config):
    adviser = create_adviser("ann", "correct horse battery", "Ann")
    other = create_adviser("bob", "another good password", "Bob")
    report = submit(config).report
    message = reporter_message(report.id, "For Bob only")
    assign(report.id, other, "bob", config)
    with pytest.raises(PermissionDenied):
        mark_seen(report.id, adviser, config, up_to=message.id)
    assert Message.get_by_id(message.id).read_at is None
    Report.delete_by_id(report.id)
    with pytest.raises(NotFound):
        mark_seen(report.id, other, config, up_to=message.id)


def test_mark_seen_and_new_messages_in_parallel_lose_no_unread_count(db, config):
    """Messages posted while a screen marks the case seen over and over: the count always ends right."""
    adviser = create_adviser("ann", "correct horse battery", "Ann")
    report = submit(config).report
    stop = threading.Event()
    errors = []

    def reporter():
        try:
            with database.connection_context():
                for n in range(80):
                    reporter_message(report.id, f"Message {n}")
        except Exception as exc:  # shown below
            errors.append(exc)
        finally:
            stop.set()

    def watcher():
        try:
            with database.connection_context():
                while not stop.is_set():
                    shown = refresh_case(report.id, adviser, config)
                    ids = [i.id for i in shown.items if i.kind == "message"]
                    mark_seen(report.id, adviser, config, up_to=max(ids, default=0))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reporter), threading.Thread(target=watcher)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    unread = Message.select().where((Message.report == report.id) & Message.read_at.is_null()).count()
    assert Report.get_by_id(report.id).unread_count == unread


def test_mark_seen_waits_for_a_reporter_message_being_written(postgres_url, config):
    """PostgreSQL: a message committing while mark_seen runs is still counted unread afterwards.

    The reporter's transaction is held open until mark_seen is seen waiting on a lock, then committed: the
    interleaving that loses an unread count when the report row is not locked first.
    """
    from store import open_database

    database_ = open_database(postgres_url)
    adviser = create_adviser("ann", "correct horse battery", "Ann")
    report = submit(config).report
    shown = refresh_case(report.id, adviser, config)
    up_to = max([i.id for i in shown.items if i.kind == "message"], default=0)
    contender_waits_for_holder(
        postgres_url,
        holder=lambda: reporter_message(report.id, "Written while the adviser's screen marks the case seen"),
        contender=lambda: mark_seen(report.id, adviser, config, up_to=up_to),
        what="mark_seen",
    )
    message = Message.select().where(Message.author == "reporter").order_by(Message.id.desc()).get()
    assert message.read_at is None
    assert Report.get_by_id(report.id).unread_count == 1
    database_.close()
