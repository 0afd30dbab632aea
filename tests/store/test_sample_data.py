"""store.sample_data: a year of realistic cases, deterministic, and consistent with what the services write."""

import datetime as dt
import re
import unicodedata

import peewee as pw
import pytest

from store import casetext
from store.advisers import authenticate, sign_in
from store.conversation import thread
from store.deadlines import due_date, today
from store.inbox import inbox, inbox_counts
from store.models import Adviser, AuditEvent, Message, Note, Report
from store.reports import MESSAGE_LIMIT
from store.sample_data import build
from store.sanitize import clean_text, one_line

NOW = dt.datetime(2026, 3, 2, 9, 15)


@pytest.fixture
def sample(db, config):
    return build(config, now=NOW, password="correct horse battery")


def _rows():
    """Every row of the tables the builder fills, without ids that differ between engines' sequences, with
    the sealed texts opened (keys are random, so the sealed bytes differ run to run; what they hold must not)."""
    ring = sign_in("ann", "correct horse battery").keyring

    def plain(row, report_id):
        return tuple(
            v for k, v in row.items() if k not in ("id", "code_hash", "code_key") and not k.startswith("sealed_")
        )

    reports = []
    for row in Report.select().order_by(Report.id).dicts():
        text = casetext.open_report(Report.get_by_id(row["id"]), ring.case_key(row["id"]))
        reports.append((plain(row, row["id"]), text))
    return (
        reports,
        [(plain(r, r["report"]), b) for r, b in zip(Message.select().order_by(Message.id).dicts(), _bodies(ring))],
        [
            tuple(v for k, v in r.items() if k not in ("id", "sealed_body"))
            for r in Note.select().order_by(Note.id).dicts()
        ],
    )


def _bodies(ring):
    """Every message's text, in id order."""
    return [
        casetext.open_body(
            r.reference, ring.case_key(r.id), "message", m.id, m.author, m.sealed_body, adviser_id=m.adviser_id
        )
        for m in Message.select().order_by(Message.id)
        for r in [Report.get_by_id(m.report_id)]
    ]


def _texts(ring):
    """Per report: (ReportText, messages with their text, notes' texts), opened with ann's keys."""
    out = []
    for report in Report.select().order_by(Report.id):
        key = ring.case_key(report.id)
        items = thread(report.id, include_notes=True, key=key)
        out.append((report, casetext.open_report(report, key), items))
    return out


def test_same_seed_same_rows_other_seed_other_rows(tmp_path, config):
    from store import open_database

    seen = []
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        database = open_database(str(tmp_path / f"{name}.db"))
        build(config, now=NOW, seed=seed, password="correct horse battery")
        seen.append(_rows())
        database.close()
    assert seen[0] == seen[1]
    assert seen[0] != seen[2]


def test_a_year_of_varied_cases(sample, config):
    reports = list(Report.select())
    assert len(reports) == 200
    assert all(NOW - dt.timedelta(days=366) <= r.created_at < NOW for r in reports)
    assert min(r.created_at for r in reports) < NOW - dt.timedelta(days=200)  # spread over the year
    sizes = [Message.select().where(Message.report == r.id).count() for r in reports]
    assert max(sizes) == 50 and sizes[[r.id for r in reports].index(sample.longest)] == 50
    assert sum(1 for n in sizes if n >= 10) >= 5 and sum(1 for n in sizes if n == 0) >= 20
    assert Note.select().where(Note.report == sample.longest).count() >= 5
    statuses = {r.status for r in reports}
    assert statuses == {"new", "open", "waiting", "closed"}
    counts = inbox_counts(config, now=NOW)
    assert counts.overdue >= 3 and counts.unread >= 5 and counts.new >= 5
    assert {r.way for r in reports} == {"anonymous", "named"} and not all(r.two_way for r in reports)
    assert len({r.category for r in reports}) == len(config.categories)


def test_the_texts_people_really_write(sample):
    opened = _texts(sign_in("ann", "correct horse battery").keyring)
    bodies = [i.body for _r, _t, items in opened for i in items if i.kind == "message"]
    bodies += [t.description for _r, t, _i in opened]
    assert sum(1 for b in bodies if len(b) == MESSAGE_LIMIT) >= 5
    unbroken = [w for b in bodies for w in re.split(r"\s", b) if len(w) >= 300]
    assert any(w.startswith("https://") for w in unbroken) and any(w.startswith("Heee") for w in unbroken)
    text = "\n".join(bodies)
    for needle in ("yn Gymraeg", "ŵ" if "ŵ" in text else "ô", "ż", "ł", "ę", "ą"):
        assert needle in text, needle
    assert any(unicodedata.bidirectional(ch) == "AL" for ch in text)  # Arabic letters
    assert "\u200d" in text  # emoji ZWJ sequences
    assert re.search("[\U0001f1e6-\U0001f1ff]{2}", text)  # flags
    assert re.search("[\U0001f3fb-\U0001f3ff]", text)  # skin tones


def test_rows_hold_what_the_services_would_have_written(sample, config):
    ring = sign_in("ann", "correct horse battery").keyring
    for report, text, items in _texts(ring):
        messages = list(Message.select().where(Message.report == report.id).order_by(Message.id))
        body_of = {i.id: i.body for i in items if i.kind == "message"}
        texts = [text.description, text.location, text.people, text.occurred, text.contact_name]
        texts += [i.body for i in items]
        assert not text.unreadable and casetext.UNREADABLE not in texts
        for written in texts:
            assert clean_text(written) == written  # cleaned on the way in, as the services clean
        assert [m.created_at for m in messages] == sorted(m.created_at for m in messages)  # ids follow time
        unread = [m for m in messages if m.author == "reporter" and m.read_at is None]
        assert report.unread_count == len(unread) + (report.adviser_read_at is None)
        waiting = [m.created_at for m in unread] + ([report.created_at] if report.adviser_read_at is None else [])
        assert report.unread_since == (min(waiting) if waiting else None)
        reporter_texts = [text.description] + [body_of[m.id] for m in messages if m.author == "reporter"]
        key = ring.case_key(report.id)
        assert casetext.open_preview(report.reference, key, report.sealed_preview) == one_line(reporter_texts[-1], 120)
        assert report.last_activity_at == max([report.created_at] + [m.created_at for m in messages])
        replies = [m for m in messages if m.author == "adviser"]
        if replies:
            assert report.first_response_at == replies[0].created_at
            assert report.status != "new"
        else:
            assert report.two_way is False or report.first_response_at is None
        assert report.due_on == due_date(report.created_at, config)
        assert (report.status == "closed") == (report.closed_at is not None)
        assert all(m.read_at is None or m.read_at >= m.created_at for m in messages)
        # Reporter-side times no finer than the minute.
        reporter_side = (
            [report.created_at, report.reporter_last_seen_at]
            + [m.created_at for m in messages if m.author == "reporter"]
            + [m.read_at for m in replies]
        )
        assert all(t is None or (t.second, t.microsecond) == (0, 0) for t in reporter_side)
        if not report.two_way:
            assert not messages


def test_cases_change_hands_and_overdue_ones_are_unanswered(sample, config):
    handovers = [
        e for e in AuditEvent.select().where(AuditEvent.action == "assign") if not e.detail.startswith("nobody")
    ]
    assert len(handovers) >= 5
    writers = Message.select(Message.adviser).where(Message.author == "adviser").distinct()
    assert len({m.adviser_id for m in writers}) >= 4
    longest = thread(sample.longest, include_notes=True)
    assert len({i.adviser_name for i in longest if i.kind == "message" and i.author == "adviser"}) == 2
    overdue = Report.select().where(
        Report.first_response_at.is_null() & (Report.status != "closed") & (Report.due_on < today(config, NOW))
    )
    assert overdue.count() >= 3 and all(r.status == "new" for r in overdue)
    page = inbox(config, now=NOW, limit=5).rows
    assert page[0].overdue  # the most urgent first, as advisers would see it


def test_sample_advisers_sign_in_with_the_one_password(sample):
    assert [a.username for a in sample.advisers] == ["ann", "bryn", "zofia", "layla", "sam"]
    assert authenticate("zofia", "correct horse battery").display_name == "Zofia Wiśniewska"
    assert Adviser.get(Adviser.username == "ann").is_admin


def test_real_codes_only_when_asked(sqlite_db, config):
    from store.reports import open_conversation_by_code

    sample = build(config, now=NOW, cases=30, codes=2)
    assert len(sample.codes) == 2
    for reference, code in sample.codes.items():
        assert open_conversation_by_code(code).reference == reference
    assert (
        Report.select().where(Report.code_hash.is_null(False)).count() == Report.select().where(Report.two_way).count()
    )
    with pytest.raises(pw.IntegrityError):  # the unique index is real: no two cases share a code hash
        Report.update(code_hash=Report.get(Report.reference == reference).code_hash).where(
            Report.reference != reference, Report.two_way
        ).execute()


def test_a_case_of_a_thousand_messages(sqlite_db, config):
    sample = build(config, now=NOW, cases=1, longest_thread=1000)
    assert Message.select().where(Message.report == sample.longest).count() == 1000
