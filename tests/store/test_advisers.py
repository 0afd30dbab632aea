import datetime as dt

import pytest

from store import advisers
from store.errors import AccountDisabled, AccountLocked, AuthenticationFailed, DuplicateName, ValidationError
from store.models import Adviser, AuditEvent

PASSWORD = "correct horse battery"


def test_create_and_authenticate(db):
    created = advisers.create_adviser("Alex", PASSWORD, display_name="Alex A.", is_admin=True)
    assert created.username == "alex" and created.is_admin
    assert created.password_hash.startswith("$argon2id$")
    assert advisers.authenticate(" ALEX ", PASSWORD).id == created.id


def test_duplicate_usernames_are_refused(db):
    advisers.create_adviser("alex", PASSWORD)
    with pytest.raises(DuplicateName):
        advisers.create_adviser("ALEX", PASSWORD)
    assert Adviser.select().count() == 1


@pytest.mark.parametrize("password", ["short", "aaaaaaaaaaaaaaaa", "x" * 2000])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        advisers.create_adviser("alex", password)
    assert Adviser.select().count() == 0


@pytest.mark.parametrize("name", ["", "a", "has space", "-dash", "ünï", "x" * 40, "[bold]"])
def test_bad_usernames_are_refused(db, name):
    with pytest.raises(ValidationError):
        advisers.create_adviser(name, PASSWORD)


def test_wrong_password_and_unknown_user_look_the_same(db):
    advisers.create_adviser("alex", PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        advisers.authenticate("alex", "wrong password!!")
    with pytest.raises(AuthenticationFailed) as unknown:
        advisers.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    assert AuditEvent.select().where(AuditEvent.action == "login_failed").count() == 2


def test_five_failures_lock_the_account_for_fifteen_minutes(db):
    advisers.create_adviser("alex", PASSWORD)
    now = dt.datetime(2026, 11, 23, 9, 0)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            advisers.authenticate("alex", "wrong password!!", now=now)
    with pytest.raises(AccountLocked) as info:
        advisers.authenticate("alex", "wrong password!!", now=now)
    assert info.value.until == now + dt.timedelta(minutes=15)
    # Even the right password is refused while locked…
    with pytest.raises(AccountLocked):
        advisers.authenticate("alex", PASSWORD, now=now + dt.timedelta(minutes=14))
    # …and works once the lock has passed.
    assert advisers.authenticate("alex", PASSWORD, now=now + dt.timedelta(minutes=16)).username == "alex"
    assert AuditEvent.select().where(AuditEvent.action == "locked").count() == 1


def test_disabled_accounts_cannot_log_in(db):
    advisers.create_adviser("alex", PASSWORD)
    advisers.set_active("alex", False)
    with pytest.raises(AccountDisabled):
        advisers.authenticate("alex", PASSWORD)
    advisers.set_active("alex", True)
    assert advisers.authenticate("alex", PASSWORD)


def test_changing_a_password(db):
    advisers.create_adviser("alex", PASSWORD)
    advisers.change_password("alex", "a brand new passphrase")
    with pytest.raises(AuthenticationFailed):
        advisers.authenticate("alex", PASSWORD)
    assert advisers.authenticate("alex", "a brand new passphrase")
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions[:2] == ["adviser_created", "password_changed"]
