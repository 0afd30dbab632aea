"""Notifications against a real SMTP server (aiosmtpd) on localhost."""

import dataclasses
import datetime as dt
import email
import socket

import pytest

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from store import advisers, cases, closures
from store.config import ConfigError
from store.models import Notification
from store.notify import delivery_problem, record_events, run_once, smtp_settings
from store.reports import submit_report

T0 = dt.datetime(2026, 3, 2, 9, 0)  # a Monday, 09:00 UTC


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def smtp_config(config, port, **extra):
    settings = {"host": "127.0.0.1", "port": port, "from": "tellus@example.ac.uk", "to": ["advisers@example.ac.uk"]}
    settings.update(extra)
    return dataclasses.replace(config, smtp=settings)


def submit(config, when, description="SECRET description of what happened"):
    form = {
        "way": "anonymous",
        "role": "student",
        "category": "Harassment",
        "description": description,
        "location": "SECRET place",
    }
    return submit_report(form, config, now=when).report


def body(message):
    return message.get_payload(decode=True).decode()


def test_a_new_report_sends_one_content_free_email(db, config, smtp_server):
    config = smtp_config(config, smtp_server.port)
    record_events(config, now=T0)  # the worker's first run
    report = submit(config, T0 + dt.timedelta(minutes=1))
    result = run_once(config, now=T0 + dt.timedelta(minutes=2))
    assert (result.sent, result.emails, result.error) == (1, 1, "")
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["advisers@example.ac.uk"]
    assert "A new report is waiting in Tellus." in body(message)
    text = message.as_string()
    assert "SECRET" not in text and report.reference not in text and "Harassment" not in text


def test_the_same_event_is_never_sent_twice(db, config, smtp_server):
    config = smtp_config(config, smtp_server.port)
    record_events(config, now=T0)
    submit(config, T0 + dt.timedelta(minutes=1))
    for minutes in (2, 3, 4, 60):
        run_once(config, now=T0 + dt.timedelta(minutes=minutes))
    assert len(smtp_server.messages) == 1
    assert Notification.select().count() == 1


def test_reports_from_before_the_first_run_are_not_news_but_overdue_cases_are(db, config, smtp_server):
    config = smtp_config(config, smtp_server.port)
    submit(config, T0 - dt.timedelta(days=30))
    submit(config, T0 - dt.timedelta(days=1))  # not new to the worker, not overdue yet
    result = run_once(config, now=T0)
    assert result.sent == 1
    assert "A case has passed its due date unanswered." in body(smtp_server.messages[0][1])
    assert "new report" not in body(smtp_server.messages[0][1])


def test_a_case_read_before_the_mail_goes_out_is_dropped(db, config, smtp_server):
    config = smtp_config(config, smtp_server.port, digest="daily", digest_hour=8)
    alex = advisers.create_adviser("alex", "a long enough password")
    record_events(config, now=T0)
    report = submit(config, T0 + dt.timedelta(minutes=1))
    record_events(config, now=T0 + dt.timedelta(minutes=2))
    cases.open_case(report.id, alex, config)
    result = run_once(config, now=T0 + dt.timedelta(minutes=3))
    assert result.skipped == 1 and smtp_server.messages == []


def test_an_overdue_case_that_a_closure_makes_due_later_is_not_mailed_as_overdue(db, config, smtp_server):
    """The digest sends what is still overdue when it goes, by the same rule the inbox uses."""
    config = smtp_config(config, smtp_server.port, digest="daily", digest_hour=10)
    submit(config, T0 - dt.timedelta(days=8))  # Friday 20 February: due Friday 27 February
    assert record_events(config, now=T0) == 1  # overdue on Monday 2 March, waiting for 10:00
    closures.add_closure("2026-02-23", "2026-03-06", "Reading week", config=config)  # now due mid-March
    result = run_once(config, now=T0 + dt.timedelta(hours=1, minutes=1))
    assert (result.skipped, result.sent) == (1, 0) and smtp_server.messages == []


def test_a_daily_digest_waits_for_its_hour_and_goes_once_a_day(db, config, smtp_server):
    config = smtp_config(config, smtp_server.port, digest="daily", digest_hour=10)
    record_events(config, now=T0)
    submit(config, T0 + dt.timedelta(minutes=1))
    submit(config, T0 + dt.timedelta(minutes=2))
    early = run_once(config, now=T0 + dt.timedelta(minutes=5))  # 09:05 in London
    assert early.waiting_for_digest and smtp_server.messages == []
    digest = run_once(config, now=T0 + dt.timedelta(hours=1, minutes=1))  # 10:01
    assert digest.sent == 2 and "2 new reports are waiting in Tellus." in body(smtp_server.messages[0][1])
    submit(config, T0 + dt.timedelta(hours=2))
    assert run_once(config, now=T0 + dt.timedelta(hours=3)).waiting_for_digest
    assert run_once(config, now=T0 + dt.timedelta(days=1, hours=2)).sent == 1
    assert len(smtp_server.messages) == 2


def test_a_server_that_is_down_is_retried_with_backoff(db, config, smtp_server):
    down = smtp_config(config, free_port())  # nothing listens there
    record_events(down, now=T0)
    submit(down, T0 + dt.timedelta(minutes=1))
    failed = run_once(down, now=T0 + dt.timedelta(minutes=2))
    assert failed.error == "The mail server cannot be reached."
    assert (
        delivery_problem()
        == "E-mail notifications are failing: The mail server cannot be reached. Tellus keeps retrying."
    )
    row = Notification.get()
    assert row.attempts == 1 and row.next_attempt_at == T0 + dt.timedelta(minutes=3)
    # Too early for the next attempt: nothing is tried.
    assert run_once(down, now=T0 + dt.timedelta(minutes=2, seconds=30)).error == ""
    assert run_once(down, now=T0 + dt.timedelta(minutes=3)).error  # second failure: next in 2 minutes
    assert Notification.get().next_attempt_at == T0 + dt.timedelta(minutes=5)
    # The server is back (the configured one this time).
    up = smtp_config(config, smtp_server.port)
    assert run_once(up, now=T0 + dt.timedelta(minutes=5)).sent == 1
    assert delivery_problem() is None and len(smtp_server.messages) == 1


@pytest.fixture
def strict_smtp_server():
    inbox = Inbox()

    def reject_everyone(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=reject_everyone,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_rejected_login_is_reported_without_content_and_retried(db, config, strict_smtp_server, caplog):
    config = smtp_config(config, strict_smtp_server.port, username="tellus", password="wrong password")
    record_events(config, now=T0)
    submit(config, T0 + dt.timedelta(minutes=1))
    result = run_once(config, now=T0 + dt.timedelta(minutes=2))
    assert result.error == "The mail server rejected the login (535)."
    assert Notification.get().sent_at is None
    assert "wrong password" not in caplog.text and "SECRET" not in caplog.text
    assert strict_smtp_server.messages == []


@pytest.mark.parametrize(
    "smtp, message",
    [
        ({"host": "", "from": "a@b.c", "to": ["x@y.z"]}, "host"),
        ({"host": "h", "from": "a@b.c", "to": []}, "to must be a list"),
        ({"host": "h", "from": "a@b.c", "to": ["x@y.z"], "digest": "weekly"}, "digest"),
        ({"host": "h", "from": "a@b.c", "to": ["x@y.z"], "port": 70000}, "port"),
        ({"host": "h", "from": "a@b.c", "to": ["x@y.z"], "ssl": True, "starttls": True}, "choose one"),
        ({"host": "h", "from": "a@b.c", "to": ["x@y.z"], "colour": "red"}, "Unknown setting"),
    ],
)
def test_bad_smtp_settings_get_a_clear_answer(config, smtp, message):
    with pytest.raises(ConfigError, match=message):
        smtp_settings(dataclasses.replace(config, smtp=smtp))


def test_no_smtp_table_means_notifications_are_off(config):
    assert smtp_settings(config) is None
