"""Adviser lockout when raced: at most five password checks per lock, and no login while locked."""

import datetime as dt
import threading

import pytest
from argon2 import PasswordHasher

from store import advisers
from store.errors import AccountLocked, AuthenticationFailed
from store.models import Adviser, AuditEvent, database

PASSWORD = "the right long passphrase 7"
WRONG = "a wrong but long passphrase"


def together(calls, timeout=120):
    """Call each in its own thread, all released at once; the outcome of each (a value or an exception)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout)
            outcomes[i] = call()
        except Exception as exc:
            outcomes[i] = exc
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def audited(action):
    return AuditEvent.select().where(AuditEvent.action == action).count()


def test_eleven_parallel_wrong_passwords_are_checked_at_most_five_times(db):
    advisers.create_adviser("alex", PASSWORD)
    database.close()
    outcomes = together([lambda: advisers.authenticate("alex", WRONG) for _ in range(11)])
    checked = audited("login_failed")  # one per password actually checked and found wrong
    print(f"parallel wrong passwords: {checked} of 11 checked")
    assert checked == 5
    assert all(isinstance(o, (AuthenticationFailed, AccountLocked)) for o in outcomes)
    assert sum(isinstance(o, AccountLocked) for o in outcomes) >= 6
    assert audited("locked") == 1
    # The right password after the lock is refused, and checks nothing.
    with pytest.raises(AccountLocked):
        advisers.authenticate("alex", PASSWORD)
    assert audited("login") == 0 and audited("login_failed") == 5


def test_the_right_password_racing_a_burst_of_wrong_ones_does_not_log_in_through_the_lock(db):
    """The right password is still being checked when the burst locks the account: the lock wins."""
    advisers.create_adviser("alex", PASSWORD)
    # A slower hash (real argon2, more passes) so the burst is sure to lock the account mid-check.
    slow = PasswordHasher(time_cost=40).hash(PASSWORD)
    Adviser.update(password_hash=slow).where(Adviser.username == "alex").execute()
    database.close()
    calls = [lambda: advisers.authenticate("alex", PASSWORD)] + [lambda: advisers.authenticate("alex", WRONG)] * 10
    outcomes = together(calls)
    print(f"right password in a burst of 10 wrong ones: {type(outcomes[0]).__name__}")
    assert isinstance(outcomes[0], AccountLocked)
    assert audited("login") == 0
    alex = Adviser.get(Adviser.username == "alex")
    assert alex.locked_until is not None and alex.locked_until > dt.datetime.utcnow()
    assert audited("login_failed") <= 5


def test_the_lock_ends_after_fifteen_minutes_and_five_more_checks_are_allowed(db):
    advisers.create_adviser("alex", PASSWORD)
    now = dt.datetime(2026, 11, 23, 9, 0)
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            advisers.authenticate("alex", WRONG, now=now)
    with pytest.raises(AccountLocked):
        advisers.authenticate("alex", PASSWORD, now=now + dt.timedelta(minutes=14))
    later = now + dt.timedelta(minutes=16)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            advisers.authenticate("alex", WRONG, now=later)
    assert advisers.authenticate("alex", PASSWORD, now=later).username == "alex"
    assert audited("login_failed") == 9 and audited("locked") == 1
