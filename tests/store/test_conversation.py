import pytest

from store import advisers, cases, conversation, sealing
from store.conversation import post_reporter_message
from store.errors import CaseClosed, NotFound, ValidationError
from store.models import AuditEvent, Message, Report

from ..helpers import preview, reporter_message, submit
from .pg_race import contender_waits_for_holder


@pytest.fixture
def adviser(db):
    return advisers.create_adviser("alex", "a long enough password", display_name="Alex Adviser")


def test_reporter_messages_raise_the_unread_count(db, config):
    report = submit(config).report
    reporter_message(report.id, "More detail")
    reporter_message(report.id, "And more")
    fresh = Report.get_by_id(report.id)
    assert fresh.unread_count == 3  # the report itself and two messages
    assert preview(report.id) == "And more"


def test_an_adviser_reply_answers_the_case_and_reads_it(db, config, adviser):
    report = submit(config).report
    reporter_message(report.id, "Hello?")
    conversation.post_adviser_reply(report.id, adviser, "We are here.")
    fresh = Report.get_by_id(report.id)
    assert fresh.first_response_at is not None
    assert fresh.status == "open"
    assert fresh.unread_count == 0 and fresh.unread_since is None
    assert Message.get(Message.author == "reporter").read_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "reply").count() == 1


def test_read_state_is_kept_per_side(db, config, adviser):
    report = submit(config).report
    conversation.post_adviser_reply(report.id, adviser, "First reply")
    assert conversation.unread_for_reporter(report.id) == 1
    assert conversation.mark_read_by_reporter(report.id) == 1
    assert conversation.unread_for_reporter(report.id) == 0
    reporter_message(report.id, "Thanks")
    items = conversation.thread(report.id)
    assert [i.author for i in items] == ["adviser", "reporter"]
    assert items[0].read_at is not None  # reporter read the reply
    assert items[1].read_at is None  # adviser has not read the answer yet


def test_internal_notes_never_touch_the_reporters_side(db, config, adviser):
    report = submit(config).report
    conversation.post_adviser_reply(report.id, adviser, "Reply")
    before = Report.get_by_id(report.id)
    conversation.add_note(report.id, adviser, "Possibly linked to TL-OTHER")
    after = Report.get_by_id(report.id)
    assert conversation.unread_for_reporter(report.id) == 1
    assert after.last_activity_at == before.last_activity_at
    assert [i.kind for i in conversation.thread(report.id)] == ["message"]
    assert [i.kind for i in conversation.thread(report.id, include_notes=True)] == ["message", "note"]
    assert conversation.thread(report.id, include_notes=True)[1].adviser_name == "Alex Adviser"


def test_a_closed_case_takes_no_new_messages(db, config, adviser):
    report = submit(config).report
    cases.set_status(report.id, adviser, "closed")
    with pytest.raises(CaseClosed):
        reporter_message(report.id, "Anyone?")
    with pytest.raises(CaseClosed):
        conversation.post_adviser_reply(report.id, adviser, "Late reply")
    assert Message.select().count() == 0


def test_messages_to_a_missing_case_are_refused(db, config, adviser):
    with pytest.raises(NotFound):
        post_reporter_message(999, "Hello", case_key=sealing.new_key())
    with pytest.raises(NotFound):
        conversation.post_adviser_reply(999, adviser, "Hello")


@pytest.mark.parametrize("body", ["", "   \n\t ", "\x1b[0m\x00", "x" * 20001])
def test_empty_or_oversized_messages_are_refused(db, config, adviser, body):
    report = submit(config).report
    with pytest.raises(ValidationError) as info:
        reporter_message(report.id, body)
    assert "body" in info.value.errors
    with pytest.raises(ValidationError):
        conversation.add_note(report.id, adviser, body)
    assert Message.select().count() == 0


def test_no_replies_to_one_way_reports(db, config, adviser):
    report = submit(config, two_way=None).report
    with pytest.raises(ValidationError):
        conversation.post_adviser_reply(report.id, adviser, "Hello")


def test_a_reporter_answer_reopens_a_waiting_case(db, config, adviser):
    report = submit(config).report
    cases.set_status(report.id, adviser, "waiting")
    reporter_message(report.id, "Here is what you asked")
    assert Report.get_by_id(report.id).status == "open"


def test_opening_a_case_marks_it_read_and_audits(db, config, adviser):
    report = submit(config).report
    reporter_message(report.id, "Hello")
    view = cases.open_case(report.id, adviser, config)
    assert view.report.unread_count == 0
    assert [e.action for e in AuditEvent.select().where(AuditEvent.report_id == report.id)] == ["case_viewed"]


def test_status_and_assignment(db, config, adviser):
    other = advisers.create_adviser("bea", "another long password")
    report = submit(config).report
    cases.assign(report.id, adviser, "bea")
    cases.assign(report.id, other, "alex")  # last write wins
    assert Report.get_by_id(report.id).assignee_id == adviser.id
    closed = cases.set_status(report.id, adviser, "closed")
    assert closed.closed_at is not None
    reopened = cases.set_status(report.id, adviser, "open")
    assert reopened.closed_at is None
    with pytest.raises(ValidationError):
        cases.set_status(report.id, adviser, "archived")
    with pytest.raises(NotFound):
        cases.assign(report.id, adviser, "nobody-called-this")
    details = [e.detail for e in AuditEvent.select().where(AuditEvent.action == "assign").order_by(AuditEvent.id)]
    assert details == ["nobody → bea", "bea → alex"]


def test_advisers_only_see_their_own_and_unassigned_cases(db, config, adviser):
    from store.errors import PermissionDenied

    other = advisers.create_adviser("bea", "another long password")
    report = submit(config).report
    cases.assign(report.id, other, "bea")
    with pytest.raises(PermissionDenied):
        cases.open_case(report.id, adviser, config)


def test_a_reply_waits_for_a_reporter_message_being_written(postgres_url, config):
    """PostgreSQL: a reply committing while a reporter's message is being written leaves the
    unread count matching the messages (it was overwritten with 0, leaving one unread uncounted)."""
    from store import open_database
    from store.advisers import create_adviser
    from store.conversation import post_adviser_reply
    from store.models import Message, Report

    database_ = open_database(postgres_url)
    adviser = create_adviser("ann", "correct horse battery", "Ann")
    report = submit(config).report
    contender_waits_for_holder(
        postgres_url,
        holder=lambda: reporter_message(report.id, "Written while the adviser replies"),
        contender=lambda: post_adviser_reply(report.id, adviser, "Thank you for telling us."),
        what="the reply",
    )
    unread = (
        Message.select()
        .where((Message.report == report.id) & (Message.author == "reporter") & Message.read_at.is_null())
        .count()
    )
    assert Report.get_by_id(report.id).unread_count == unread
    database_.close()
