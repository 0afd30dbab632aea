import datetime as dt

import pytest

from store import advisers, cases, conversation
from store.inbox import inbox, inbox_counts

from ..helpers import reporter_message, submit

NOW = dt.datetime(2026, 11, 23, 12, 0)  # a Monday


def at(days_ago, hours=0):
    return NOW - dt.timedelta(days=days_ago, hours=hours)


@pytest.fixture
def alex(db):
    return advisers.create_adviser("alex", "a long enough password")


def refs(page):
    return [row.reference for row in page.rows]


def test_unread_first_most_urgent_first_then_by_latest_activity(db, config, alex):
    answered_old = submit(config, now=at(20)).report
    answered_recent = submit(config, now=at(10)).report
    for r in (answered_old, answered_recent):
        conversation.post_adviser_reply(r.id, alex, "Hello", now=at(9))
    conversation.post_adviser_reply(answered_recent.id, alex, "Anything else?", now=at(1))  # latest activity
    fresh_unread = submit(config, now=at(0, 2)).report
    overdue_unread = submit(config, now=at(12)).report  # never answered, past due
    waiting_long = submit(config, now=at(30)).report
    conversation.post_adviser_reply(waiting_long.id, alex, "Hi", now=at(29))
    reporter_message(waiting_long.id, "Still there?", now=at(3))

    page = inbox(config, now=NOW)
    assert refs(page) == [
        overdue_unread.reference,  # unread and overdue: most urgent
        waiting_long.reference,  # unread for 3 days
        fresh_unread.reference,  # unread for 2 hours
        answered_recent.reference,  # read: by latest activity
        answered_old.reference,
    ]
    assert page.total == 5
    row = page.rows[0]
    assert row.overdue and not row.answered and row.unread_count == 1
    assert not page.rows[1].overdue


def test_paging_walks_across_the_unread_and_read_parts(db, config, alex):
    made = [submit(config, two_way=None, now=at(i)).report for i in range(7)]
    for r in made[:4]:
        conversation.mark_read_by_adviser(r.id)
    seen = []
    for offset in range(0, 7, 3):
        seen += refs(inbox(config, offset=offset, limit=3, now=NOW))
    assert len(seen) == 7 and len(set(seen)) == 7
    assert seen[:3] == [made[6].reference, made[5].reference, made[4].reference]  # unread, oldest first


def test_filters(db, config, alex):
    bea = advisers.create_adviser("bea", "another long password")
    a = submit(config, category="Bullying").report
    b = submit(config, category="Assault").report
    c = submit(config, category="Assault", location="Sports centre car park").report
    cases.assign(a.id, alex, "alex")
    cases.assign(b.id, alex, "bea")
    cases.set_status(c.id, alex, "closed")
    assert refs(inbox(config, category="Assault", status="closed")) == [c.reference]
    assert set(refs(inbox(config, status="active"))) == {a.reference, b.reference}
    assert refs(inbox(config, adviser=alex, assignee="mine")) == [a.reference]
    assert refs(inbox(config, adviser=alex, assignee="unassigned")) == [c.reference]
    assert set(refs(inbox(config, adviser=bea, assignee=None))) == {b.reference, c.reference}  # visibility
    assert refs(inbox(config, adviser=alex, search="car park")) == [c.reference]  # opened with alex's keys
    assert refs(inbox(config, search=a.reference.lower())) == [a.reference]
    assert refs(inbox(config, search="100%_\\")) == []


def test_counts(db, config, alex):
    overdue = submit(config, now=at(12)).report
    mine = submit(config, now=at(1)).report
    cases.assign(mine.id, alex, "alex")
    conversation.post_adviser_reply(mine.id, alex, "Hello", now=at(0, 1))
    counts = inbox_counts(config, alex, now=NOW)
    assert (counts.unread, counts.overdue, counts.new, counts.mine, counts.total) == (1, 1, 1, 1, 2)
    assert overdue.status == "new"


def test_a_closure_moves_due_dates_and_clears_overdue(db, config, alex):
    from store.closures import add_closure

    report = submit(config, now=dt.datetime(2026, 12, 17, 9)).report  # Thursday
    assert report.due_on == dt.date(2026, 12, 24)
    add_closure("2026-12-19", "2027-01-03", "Winter break", config=config)
    assert inbox(config, now=NOW).rows[0].due_on == dt.date(2027, 1, 7)


def test_rows_name_the_assignee(db, config, alex):
    report = submit(config, now=at(1)).report
    cases.assign(report.id, alex, "alex", config)
    assert [row.assignee for row in inbox(config, now=NOW).rows] == ["alex"]
