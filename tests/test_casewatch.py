"""store.casewatch: the open case's fingerprint and audit-free refresh."""

import pytest

from store import NotFound, PermissionDenied
from store.advisers import create_adviser
from store.audit import events
from store.casewatch import case_fingerprint, refresh_case
from store.cases import assign, open_case
from store.conversation import add_note, post_reporter_message
from store.models import Report
from tests.helpers import submit


@pytest.fixture
def adviser(sqlite_db):
    return create_adviser("ann", "correct horse battery", "Ann")


def test_fingerprint_changes_with_messages_notes_and_assignment(sqlite_db, config, adviser):
    report = submit(config).report
    first = case_fingerprint(report.id)
    assert case_fingerprint(report.id) == first
    post_reporter_message(report.id, "One more thing")
    second = case_fingerprint(report.id)
    assert second != first
    add_note(report.id, adviser, "Call security")
    third = case_fingerprint(report.id)
    assert third != second
    assign(report.id, adviser, "ann", config)
    assert case_fingerprint(report.id) != third


def test_refresh_marks_new_messages_read_without_a_new_view_event(sqlite_db, config, adviser):
    report = submit(config).report
    open_case(report.id, adviser, config)
    post_reporter_message(report.id, "Are you there?")
    view = refresh_case(report.id, adviser, config)
    assert [i.body for i in view.items][-1] == "Are you there?"
    assert view.items[-1].read_at is not None
    assert Report.get_by_id(report.id).unread_count == 0
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
