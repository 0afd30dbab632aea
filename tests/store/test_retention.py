import dataclasses
import datetime as dt
import pathlib

import pytest

from store import advisers, cases, conversation, sessions
from store.errors import ValidationError
from store.models import AuditEvent, FormToken, Message, Note, Report, ReporterSession
from store.reports import submit_report
from store.retention import candidates, purge, purge_date

from ..helpers import remember_key, reporter_message

NOW = dt.datetime(2026, 6, 1, 12, 0)


def ago(days):
    return NOW - dt.timedelta(days=days)


def submit(config, description, two_way=True, days_ago=0):
    form = {
        "way": "anonymous",
        "role": "student",
        "category": "Harassment",
        "description": description,
        "location": "Library",
        "two_way": "on" if two_way else "",
    }
    return remember_key(submit_report(form, config, now=ago(days_ago))).report


@pytest.fixture
def adviser(db):
    return advisers.create_adviser("alex", "a long enough password")


@pytest.fixture
def world(db, config, adviser):
    """One case for each rule of the policy, named by what should happen to it."""
    r = {}
    r["closed_long_ago"] = submit(config, "GONE-closed-description", days_ago=500)
    reporter_message(r["closed_long_ago"].id, "GONE-closed-message", now=ago(499))
    conversation.post_adviser_reply(r["closed_long_ago"].id, adviser, "GONE-closed-reply", now=ago(498))
    conversation.add_note(r["closed_long_ago"].id, adviser, "GONE-closed-note", now=ago(498))
    sessions.create_session(r["closed_long_ago"], now=ago(497))
    cases.set_status(r["closed_long_ago"].id, adviser, "closed", now=ago(400))

    r["closed_recently"] = submit(config, "KEPT-closed-recently", days_ago=200)
    cases.set_status(r["closed_recently"].id, adviser, "closed", now=ago(100))

    r["abandoned"] = submit(config, "GONE-abandoned-description", days_ago=300)
    conversation.post_adviser_reply(r["abandoned"].id, adviser, "GONE-abandoned-reply", now=ago(200))

    r["unanswered_old"] = submit(config, "KEPT-unanswered", days_ago=900)
    r["reporter_wrote"] = submit(config, "KEPT-reporter-wrote", days_ago=300)
    reporter_message(r["reporter_wrote"].id, "still here", now=ago(290))
    conversation.post_adviser_reply(r["reporter_wrote"].id, adviser, "ok", now=ago(200))

    r["reporter_read"] = submit(config, "KEPT-reporter-read", days_ago=300)
    conversation.post_adviser_reply(r["reporter_read"].id, adviser, "ok", now=ago(200))
    conversation.mark_read_by_reporter(r["reporter_read"].id, now=ago(199))

    r["one_way_open"] = submit(config, "KEPT-one-way", two_way=False, days_ago=900)
    conversation.record_first_response(r["one_way_open"].id, adviser, now=ago(800))
    return {name: Report.get_by_id(report.id) for name, report in r.items()}


def test_purge_deletes_exactly_what_the_policy_says(db, config, world):
    result = purge(config, now=NOW)
    gone = {c.reference for c in result.cases}
    assert gone == {world["closed_long_ago"].reference, world["abandoned"].reference}
    remaining = {r.id for r in Report.select()}
    assert remaining == {world[name].id for name in world if name not in ("closed_long_ago", "abandoned")}
    for model in (Message, Note, ReporterSession):
        assert not model.select().where(model.report.in_([world["closed_long_ago"].id, world["abandoned"].id])).exists()
    assert Message.select().count() == 3  # the two kept conversations are untouched
    assert (result.messages, result.notes, result.sessions) == (3, 1, 1)


def test_a_dry_run_lists_and_changes_nothing(db, config, world):
    before = (Report.select().count(), Message.select().count(), AuditEvent.select().count())
    result = purge(config, dry_run=True, now=NOW)
    assert [c.reason for c in result.cases] == ["closed", "abandoned"]
    assert (Report.select().count(), Message.select().count(), AuditEvent.select().count()) == before


def test_each_purge_is_audited_with_counts_only(db, config, world):
    purge(config, now=NOW)
    event = AuditEvent.get(AuditEvent.action == "purge")
    assert event.detail.startswith("cases=2 (closed 1, abandoned 1), messages=3, notes=1")
    assert "GONE" not in event.detail and event.reference == ""


def test_purge_dates_for_the_case_screen(db, config, world):
    assert purge_date(world["closed_recently"], config) == world["closed_recently"].closed_at + dt.timedelta(days=365)
    assert purge_date(world["abandoned"], config) == world["abandoned"].first_response_at + dt.timedelta(days=180)
    for name in ("unanswered_old", "reporter_wrote", "reporter_read", "one_way_open"):
        assert purge_date(world[name], config) is None, name


def test_old_audit_entries_go_only_when_their_case_is_gone(db, config, world):
    config = dataclasses.replace(config, audit_retention_days=30)
    kept_case = world["unanswered_old"]
    AuditEvent.create(at=ago(3000), action="case_viewed", report_id=kept_case.id, reference=kept_case.reference)
    AuditEvent.create(at=ago(3000), action="login")
    AuditEvent.create(at=ago(10), action="login")
    purge(config, now=NOW)
    assert AuditEvent.select().where(AuditEvent.report_id == kept_case.id).exists()
    assert not AuditEvent.select().where(AuditEvent.at == ago(3000), AuditEvent.report_id.is_null()).exists()
    assert AuditEvent.select().where(AuditEvent.at == ago(10)).exists()
    # The purged cases' own trail is young here, so it stays until it is old.
    assert AuditEvent.select().where(AuditEvent.report_id == world["abandoned"].id).exists()


def test_old_form_tokens_and_expired_sessions_go(db, config, world):
    FormToken.create(token_hash=b"old", created_at=ago(3))
    FormToken.create(token_hash=b"new", created_at=NOW)
    sessions.create_session(world["reporter_read"], now=ago(1))
    live = sessions.create_session(world["reporter_wrote"], now=NOW)
    purge(config, now=NOW)
    assert [t.token_hash for t in FormToken.select()] == [b"new"]
    assert sessions.check_session(live, now=NOW) == world["reporter_wrote"].id
    assert ReporterSession.select().count() == 1


@pytest.mark.parametrize("days", [0, -1])
def test_a_retention_of_zero_or_less_is_refused(db, config, days):
    bad = dataclasses.replace(config)
    object.__setattr__(bad, "retention_days", days)  # Config itself refuses it; the service must too
    with pytest.raises(ValidationError, match="at least 1 day"):
        purge(bad, now=NOW)
    with pytest.raises(ValidationError):
        candidates(bad, now=NOW)


def test_deleting_a_report_cascades_in_the_database(db, config, adviser):
    report = submit(config, "cascade")
    reporter_message(report.id, "hello")
    conversation.add_note(report.id, adviser, "note")
    sessions.create_session(report)
    Report.delete().where(Report.id == report.id).execute()  # no explicit child deletes
    assert Message.select().count() == Note.select().count() == ReporterSession.select().count() == 0


def test_purged_content_is_gone_from_the_sqlite_file_bytes(sqlite_db, sqlite_url, config):
    alex = advisers.create_adviser("sam", "a long enough password")
    world_ = {}
    world_["gone"] = submit(config, "SECRETGONE description text", days_ago=500)
    reporter_message(world_["gone"].id, "SECRETGONE message body", now=ago(499))
    conversation.add_note(world_["gone"].id, alex, "SECRETGONE note body", now=ago(499))
    cases.set_status(world_["gone"].id, alex, "closed", now=ago(400))
    kept = submit(config, "SECRETKEPT description text", days_ago=10)
    # The words are sealed, so what must leave the file is the sealed bytes (the audit trail keeps the
    # reference, which says nothing of the content).
    gone = Report.get_by_id(world_["gone"].id)
    gone_bytes = [bytes(gone.sealed_description), bytes(gone.sealed_details)]
    gone_bytes += [bytes(m.sealed_body) for m in Message.select().where(Message.report == gone.id)]
    gone_bytes += [bytes(n.sealed_body) for n in Note.select().where(Note.report == gone.id)]
    kept_bytes = bytes(Report.get_by_id(kept.id).sealed_description)

    def file_bytes():
        data = b""
        for suffix in ("", "-wal"):
            path = pathlib.Path(sqlite_url + suffix)
            if path.exists():
                data += path.read_bytes()
        return data

    before = file_bytes()
    assert all(b in before for b in gone_bytes) and b"SECRETGONE" not in before
    result = purge(config, now=NOW)
    assert result.space_reclaimed
    data = file_bytes()
    assert [b for b in gone_bytes if b in data] == []
    assert kept_bytes in data
