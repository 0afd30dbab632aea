import csv
import datetime as dt
import io

import pytest

from store import Config, advisers, audit, cases, closures, conversation, retention, stats
from store.errors import AuthenticationFailed, PermissionDenied, ValidationError
from store.models import AuditEvent, Report

from ..helpers import submit


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def trail(db):
    AuditEvent.create(at=dt.datetime(2026, 1, 5, 10), adviser_name="alex", action="login")
    AuditEvent.create(
        at=dt.datetime(2026, 1, 6, 23, 59),
        adviser_name="alex",
        action="case_viewed",
        report_id=7,
        reference="TL-AAAAAA",
    )
    AuditEvent.create(
        at=dt.datetime(2026, 1, 7, 0, 1), adviser_name="sam", action="reply", report_id=7, reference="TL-AAAAAA"
    )
    AuditEvent.create(
        at=dt.datetime(2026, 1, 8), adviser_name="=cmd|' /C calc'!A0", action="login_failed", detail="unknown username"
    )


def test_the_trail_is_exported_oldest_first_and_the_export_is_audited(trail):
    out = io.StringIO()
    assert audit.export_csv(out) == 4
    rows = rows_of(out.getvalue())
    assert [r["action"] for r in rows] == ["login", "case_viewed", "reply", "login_failed"]
    assert rows[1]["reference"] == "TL-AAAAAA" and rows[1]["at_utc"] == "2026-01-06 23:59:00"
    assert rows[3]["adviser"].startswith("'=")  # a typed "username" cannot become a formula
    export = AuditEvent.select().where(AuditEvent.action == "export").get()
    assert export.detail == "audit trail, 4 entries" and export.adviser_name == "cli"


def test_filters(trail):
    out = io.StringIO()
    audit.export_csv(
        out, since=dt.date(2026, 1, 6), until=dt.date(2026, 1, 6), config=Config()
    )  # London: UTC in January
    assert [r["action"] for r in rows_of(out.getvalue())] == ["case_viewed"]
    out = io.StringIO()
    audit.export_csv(out, adviser_name="ALEX", action="login")
    assert [r["action"] for r in rows_of(out.getvalue())] == ["login"]
    assert (
        "action=login"
        in AuditEvent.select().where(AuditEvent.action == "export").order_by(AuditEvent.id.desc()).get().detail
    )


def test_bad_filters_and_non_admins_are_refused(trail):
    with pytest.raises(ValidationError, match="Unknown action"):
        audit.export_csv(io.StringIO(), action="delete")
    with pytest.raises(ValidationError, match="before the start"):
        audit.export_csv(io.StringIO(), since=dt.date(2026, 2, 1), until=dt.date(2026, 1, 1), config=Config())
    alex = advisers.create_adviser("alex", "a long enough password")
    with pytest.raises(PermissionDenied):
        audit.export_csv(io.StringIO(), by=alex)


def test_a_failed_login_never_records_what_was_typed_as_the_username(db):
    """People type their password into the username field; the trail must not keep it."""
    advisers.create_adviser("alex", "a long enough password")
    typed = ["my secret passphrase 42", "Alex's-Password!", '=HYPERLINK("x")', "x" * 300]
    for name in typed:
        with pytest.raises(AuthenticationFailed):
            advisers.authenticate(name, "whatever was in the password box")
    failed = list(AuditEvent.select().where(AuditEvent.action == "login_failed"))
    assert len(failed) == len(typed)
    for event in failed:
        assert (event.adviser_id, event.adviser_name, event.detail) == (None, "", "unknown username")
    out = io.StringIO()
    audit.export_csv(out)
    for name in typed:
        assert name[:20].lower() not in out.getvalue().lower()


def _entries():
    return [
        (e.id, e.at, e.adviser_id, e.adviser_name, e.action, e.report_id, e.reference, e.detail)
        for e in AuditEvent.select().order_by(AuditEvent.id)
    ]


def test_no_action_changes_or_removes_an_entry_written_before_it(db, config):
    """Append-only: every service that writes to the trail only adds to its end."""
    ada = advisers.create_adviser("ada", "a long enough password", is_admin=True)
    advisers.create_adviser("bob", "a long enough password")
    report = submit(config).report
    old_closed = submit(config, now=dt.datetime(2020, 1, 6)).report
    cases.set_status(old_closed.id, ada, "closed", config, now=dt.datetime(2020, 2, 1))

    def failed_login():
        with pytest.raises(AuthenticationFailed):
            advisers.authenticate("bob", "wrong password")

    work = [
        lambda: advisers.authenticate("ada", "a long enough password"),
        failed_login,
        lambda: cases.open_case(report.id, ada, config),
        lambda: conversation.post_adviser_reply(report.id, ada, "We have read your report.", config=config),
        lambda: conversation.add_note(report.id, ada, "Called security.", config=config),
        lambda: cases.assign(report.id, ada, "bob", config),
        lambda: cases.set_status(report.id, ada, "waiting", config),
        lambda: conversation.record_first_response(report.id, ada, config=config),
        lambda: closures.add_closure("2026-12-20", "2027-01-02", config=config, by=ada),
        lambda: closures.remove_closure(closures.list_closures()[0].id, config=config, by=ada),
        lambda: advisers.set_active("bob", False, by=ada),
        lambda: advisers.set_admin("bob", True, by=ada),
        lambda: advisers.change_password("bob", "another long password", by=ada),
        lambda: audit.export_csv(io.StringIO(), by=ada),
        lambda: stats.export_statistics(config, io.StringIO(), by=ada),
        lambda: retention.purge(config, by=ada, reclaim=False),  # deletes a case; its young trail stays
    ]
    for step in work:
        before = _entries()
        step()
        after = _entries()
        assert after[: len(before)] == before, "an earlier entry was changed or removed"
        assert len(after) > len(before) and min(e[0] for e in after[len(before) :]) > before[-1][0]
    assert Report.get_or_none(Report.id == old_closed.id) is None  # the purge did run
