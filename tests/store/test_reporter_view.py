"""What the reporter is shown, as data: read state, whose turn it is, when a reply is due, closures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from store import Config, advisers, cases, conversation
from store.closures import add_closure
from store.deadlines import due_date
from store.errors import NotFound
from store.models import Report
from store.reporter_view import AdviserRead, ReplyDue, closure_notice, conversation_view, mark_seen

from ..helpers import case_text, reporter_key, reporter_message, submit

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 11, 23, 10, 0)  # due five working days later: Monday 30 November


@pytest.fixture
def ann(db):
    return advisers.create_adviser("ann", "a long enough passphrase 1", "Ann")


def days(n, hours=0):
    return MONDAY + dt.timedelta(days=n, hours=hours)


def test_a_new_report_waits_for_its_first_reply_and_nobody_has_read_it(db, config):
    report = submit(config, now=MONDAY).report
    view = conversation_view(report.id, config, now=days(1), key=reporter_key(report.id))
    assert view.messages == () and not view.has_new and not view.closed
    assert view.read == AdviserRead(what="report", at=None)
    assert view.reply_due == ReplyDue(by=dt.date(2026, 11, 30), late=False)
    assert view.sent_at == dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    assert view.today == dt.date(2026, 11, 24)
    assert view.report.id == report.id and view.text.description == case_text(report.id).description != ""


def test_the_reply_is_late_only_after_the_day_it_was_due(db, config):
    report = submit(config, now=MONDAY).report
    assert (
        conversation_view(report.id, config, now=days(7, hours=13), key=reporter_key(report.id)).reply_due.late is False
    )  # 23:00 on the 30th
    late = conversation_view(
        report.id, config, now=days(7, hours=14), key=reporter_key(report.id)
    )  # midnight in London: 1 December
    assert late.reply_due == ReplyDue(by=dt.date(2026, 11, 30), late=True)
    assert late.today == dt.date(2026, 12, 1)


def test_after_an_adviser_answers_it_is_the_reporters_turn(db, config, ann):
    report = submit(config, now=MONDAY).report
    conversation.post_adviser_reply(report.id, ann, "We are here.", now=days(1))
    view = conversation_view(report.id, config, now=days(2), key=reporter_key(report.id))
    assert view.reply_due is None
    assert view.read == AdviserRead(what="report", at=dt.datetime(2026, 11, 24, 10, 0, tzinfo=LONDON))
    (reply,) = view.messages
    assert not reply.mine and reply.new and reply.body == "We are here." and view.has_new
    conversation.mark_read_by_reporter(report.id)
    assert not conversation_view(report.id, config, now=days(2), key=reporter_key(report.id)).has_new


def test_a_reporters_follow_up_is_due_working_days_after_it_was_written(db, config, ann):
    report = submit(config, now=MONDAY).report
    conversation.post_adviser_reply(report.id, ann, "We are here.", now=days(1))
    reporter_message(report.id, "It happened again.", now=days(4))  # Friday 27th
    view = conversation_view(report.id, config, now=days(5), key=reporter_key(report.id))
    assert view.read == AdviserRead(what="message", at=None)
    assert view.reply_due == ReplyDue(by=due_date(days(4), config), late=False) == ReplyDue(dt.date(2026, 12, 4), False)
    assert [m.mine for m in view.messages] == [False, True]
    conversation.mark_read_by_adviser(report.id, now=days(5, hours=1))
    view = conversation_view(report.id, config, now=days(5), key=reporter_key(report.id))
    assert view.read == AdviserRead(what="message", at=dt.datetime(2026, 11, 28, 11, 0, tzinfo=LONDON))
    assert conversation_view(report.id, config, now=days(12), key=reporter_key(report.id)).reply_due.late is True


def test_a_closed_conversation_awaits_no_reply(db, config, ann):
    report = submit(config, now=MONDAY).report
    reporter_message(report.id, "Hello?", now=days(1))
    cases.set_status(report.id, ann, "closed", config=config)
    view = conversation_view(report.id, config, now=days(30), key=reporter_key(report.id))
    assert view.closed and view.reply_due is None


def test_times_are_the_organisations_local_time_near_midnight_and_abroad(db):
    auckland = Config(timezone="Pacific/Auckland", holiday_region="NZ")
    summer_night = dt.datetime(2026, 6, 30, 23, 30)  # UTC; already 1 July in London, midday in Auckland
    report = submit(auckland, now=summer_night).report
    reporter_message(report.id, "Later", now=summer_night + dt.timedelta(hours=1))
    view = conversation_view(report.id, auckland, now=summer_night)
    assert view.sent_at == dt.datetime(2026, 7, 1, 11, 30, tzinfo=ZoneInfo("Pacific/Auckland"))
    assert view.messages[0].written_at.hour == 12 and view.today == dt.date(2026, 7, 1)
    london = conversation_view(report.id, Config(), now=summer_night)
    assert london.sent_at == dt.datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)
    assert london.sent_at.utcoffset() == dt.timedelta(hours=1)


def test_a_long_thread_in_many_scripts_keeps_its_order_and_every_character(db, config, ann):
    report = submit(config, now=MONDAY).report
    bodies = []
    for n in range(150):
        mine = f"Neges {n}: dydd Gwener, źdźbło, مرحبا 🙂 " + "x" * (19_950 if n == 0 else n)
        bodies.append(mine)
        reporter_message(report.id, mine, now=MONDAY)  # all in one minute: order is the id
        theirs = f"Reply {n}"
        bodies.append(theirs)
        conversation.post_adviser_reply(report.id, ann, theirs, now=MONDAY + dt.timedelta(seconds=n % 60))
    view = conversation_view(report.id, config, now=days(1), key=reporter_key(report.id))
    assert [m.body for m in view.messages] == bodies
    assert [m.mine for m in view.messages] == [True, False] * 150
    assert sum(m.new for m in view.messages) == 150 and len(view.messages[0].body) > 19_950
    assert view.reply_due is None  # the adviser spoke last


def test_a_report_that_is_gone_is_not_found(db, config):
    with pytest.raises(NotFound):
        conversation_view(12345, config)


def test_a_closure_is_announced_from_two_weeks_ahead_and_while_it_lasts(db, config):
    add_closure("2026-12-19", "2027-01-03", note="Winter break", config=config)
    assert closure_notice(config, now=dt.datetime(2026, 12, 4, 12)) is None  # 15 days ahead
    soon = closure_notice(config, now=dt.datetime(2026, 12, 5, 12))
    assert (soon.start, soon.end, soon.note, soon.in_force) == (
        dt.date(2026, 12, 19),
        dt.date(2027, 1, 3),
        "Winter break",
        False,
    )
    assert soon.today == dt.date(2026, 12, 5)
    assert closure_notice(config, now=dt.datetime(2026, 12, 19, 0, 1)).in_force is True
    assert closure_notice(config, now=dt.datetime(2027, 1, 3, 23, 59)).in_force is True
    assert closure_notice(config, now=dt.datetime(2027, 1, 4, 0, 0)) is None


def test_a_closure_starts_at_local_midnight_not_utc(db):
    auckland = Config(timezone="Pacific/Auckland", holiday_region="NZ")
    add_closure("2026-12-19", "2027-01-03", config=auckland)
    # 12:30 UTC on the 18th is already 01:30 on the 19th in Auckland.
    assert closure_notice(auckland, now=dt.datetime(2026, 12, 18, 12, 30)).in_force is True
    assert closure_notice(Config(), now=dt.datetime(2026, 12, 18, 12, 30)).in_force is False


def test_marking_a_view_seen_leaves_a_reply_written_after_it_new(db, config, ann):
    report = submit(config, now=MONDAY).report
    conversation.post_adviser_reply(report.id, ann, "First", now=days(1))
    view = conversation_view(report.id, config, now=days(2), key=reporter_key(report.id))
    conversation.post_adviser_reply(report.id, ann, "Written while the page was being made", now=days(2))
    assert mark_seen(view, now=days(2)) == 1
    assert [m.new for m in conversation_view(report.id, config, now=days(2), key=reporter_key(report.id)).messages] == [
        False,
        True,
    ]
    assert mark_seen(conversation_view(report.id, config), now=days(3)) == 1
    assert mark_seen(conversation_view(report.id, config), now=days(4)) == 0  # nothing new: nothing written
    assert Report.get_by_id(report.id).reporter_last_seen_at == days(3)
