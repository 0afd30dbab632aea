"""One rule for "overdue": the inbox rows and their order, the header count, the notifications and the case agree.

A case is overdue when it is still waiting for its first response (not answered, not closed) and its due
date is before the organisation's local today. Each place that shows or acts on it must say the same at the
boundaries: due today (not yet), due yesterday (overdue), answered or closed (never), and near midnight,
where the local date and the UTC date differ.
"""

import datetime as dt

import pytest

from store import advisers, cases, conversation, notify
from store.deadlines import is_overdue, overdue_clause, today
from store.inbox import inbox, inbox_counts
from store.models import Notification, Report

from ..helpers import reporter_message, submit

# 23:30 UTC on Tuesday 30 June is 00:30 on Wednesday 1 July in London (summer time): the local
# date is a day ahead of the UTC date, so a case due on 30 June is overdue there already.
NEAR_MIDNIGHT = dt.datetime(2026, 6, 30, 23, 30)
MIDDAY = dt.datetime(2026, 11, 23, 12, 0)


def case_due(config, alex, due_on, created, answered=False, closed=False):
    report = submit(config, now=created).report
    Report.update(due_on=due_on).where(Report.id == report.id).execute()
    if answered:
        conversation.post_adviser_reply(report.id, alex, "We have your report.", now=created)
        # A reply leaves the case unread by no one; a new message puts it back in the unread part.
        reporter_message(report.id, "Thank you.", now=created)
    if closed:
        cases.set_status(report.id, alex, "closed", now=created)
    return report.id


@pytest.mark.parametrize("now", [MIDDAY, NEAR_MIDNIGHT], ids=["midday", "local-date-ahead-of-utc"])
def test_every_place_agrees_on_which_cases_are_overdue(db, config, now):
    alex = advisers.create_adviser("alex", "a long enough password")
    local_today = today(config, now)
    assert local_today == now.date() + dt.timedelta(days=now.hour == 23)
    created = now - dt.timedelta(days=20)
    yesterday = local_today - dt.timedelta(days=1)
    ids = {
        "due today": case_due(config, alex, local_today, created),
        "due yesterday": case_due(config, alex, yesterday, created),
        "due long ago": case_due(config, alex, local_today - dt.timedelta(days=9), created),
        "answered, due yesterday": case_due(config, alex, yesterday, created, answered=True),
        "closed unanswered, due yesterday": case_due(config, alex, yesterday, created, closed=True),
    }
    overdue = {ids["due yesterday"], ids["due long ago"]}

    rows = inbox(config, now=now).rows
    assert {row.id for row in rows if row.overdue} == overdue
    # Overdue unread cases lead the inbox, before unread cases that are not overdue.
    unread = [row for row in rows if row.unread_count]
    assert {row.id for row in unread[:2]} == overdue and not any(row.overdue for row in unread[2:])
    assert inbox_counts(config, now=now).overdue == len(overdue)

    notify.record_events(config, now=now)
    notified = {n.report_id for n in Notification.select().where(Notification.kind == "overdue")}
    assert notified == overdue

    in_sql = {r.id for r in Report.select(Report.id).where(overdue_clause(local_today))}
    assert in_sql == overdue
    on_the_case = {
        rid for rid in ids.values() if is_overdue(cases.open_case(rid, alex, config, now=now).report, local_today)
    }
    assert on_the_case == overdue


def test_a_case_due_today_becomes_overdue_tomorrow_everywhere(db, config):
    alex = advisers.create_adviser("alex", "a long enough password")
    rid = case_due(config, alex, MIDDAY.date(), MIDDAY - dt.timedelta(days=8))
    tomorrow = MIDDAY + dt.timedelta(days=1)
    for now, expected in ((MIDDAY, False), (tomorrow, True)):
        [row] = inbox(config, now=now).rows
        assert row.overdue is expected
        assert inbox_counts(config, now=now).overdue == int(expected)
        assert is_overdue(Report.get_by_id(rid), today(config, now)) is expected
