import datetime as dt

from store import sessions
from store.models import ReporterSession

from ..helpers import submit

T0 = dt.datetime(2026, 11, 23, 9, 0)


def minutes(n):
    return T0 + dt.timedelta(minutes=n)


def test_a_session_lives_while_used_and_ends_on_logout(db, config):
    report = submit(config).report
    token = sessions.create_session(report, now=T0)
    assert sessions.check_session(token, now=minutes(5)) == report.id
    sessions.end_session(token)
    assert sessions.check_session(token, now=minutes(6)) is None


def test_only_a_hash_of_the_token_is_stored(db, config):
    token = sessions.create_session(submit(config).report, now=T0)
    row = ReporterSession.get()
    assert token.encode() not in bytes(row.token_hash) and len(bytes(row.token_hash)) == 32


def test_idle_expiry_after_twenty_minutes(db, config):
    report = submit(config).report
    token = sessions.create_session(report, now=T0)
    assert sessions.check_session(token, now=minutes(19)) == report.id
    assert sessions.check_session(token, now=minutes(38)) == report.id  # refreshed at 19
    assert sessions.check_session(token, now=minutes(59)) is None
    assert ReporterSession.select().count() == 0


def test_absolute_expiry_after_two_hours_even_when_active(db, config):
    report = submit(config).report
    token = sessions.create_session(report, now=T0)
    for m in range(10, 120, 10):
        assert sessions.check_session(token, now=minutes(m)) == report.id
    assert sessions.check_session(token, now=minutes(121)) is None


def test_forged_and_odd_tokens_are_refused(db, config):
    for token in (None, "", "forged", "x" * 5000, "\udcff", 12):
        assert sessions.check_session(token) is None


def test_each_login_gets_a_new_token(db, config):
    report = submit(config).report
    assert sessions.create_session(report) != sessions.create_session(report)


def test_expired_sessions_are_purged(db, config):
    report = submit(config).report
    sessions.create_session(report, now=T0)
    sessions.create_session(report, now=minutes(200))
    assert sessions.purge_expired_sessions(now=minutes(210)) == 1


def test_times_are_kept_to_the_minute_and_idle_counts_from_the_end_of_it(db, config):
    report = submit(config).report
    token = sessions.create_session(report, now=T0 + dt.timedelta(seconds=59, microseconds=12))
    row = ReporterSession.get()
    assert (row.created_at, row.last_seen_at) == (T0, T0)
    # Last seen at 09:00:59 at the latest: alive 19m31s later, gone once 20 minutes are sure to have passed.
    assert sessions.check_session(token, now=T0 + dt.timedelta(minutes=20, seconds=30)) == report.id
    assert ReporterSession.get().last_seen_at == minutes(20)
    assert sessions.check_session(token, now=minutes(41) - dt.timedelta(seconds=1)) == report.id
    assert sessions.check_session(token, now=minutes(61)) is None
