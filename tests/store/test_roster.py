"""The signed roster (store/roster.py): only advisers an admin signed receive case keys, on real files and keys.

The attacks it stops (a row edit adding a reader) are in test_sealing_attacks.py; here: how an install gets
its roster, how each change to an account keeps it true, and what a missing or damaged pin does.
"""

import os

import pytest

from store import advisers, keys, roster, sealing
from store.cases import assign
from store.errors import PermissionDenied, TellusError, ValidationError
from store.models import Adviser, CaseKey, Report, Setting

from ..helpers import submit

PASSWORD = "a long adviser password"


def _holds(username, report_id):
    adviser = Adviser.get(Adviser.username == username)
    return CaseKey.select().where((CaseKey.adviser == adviser.id) & (CaseKey.report == report_id)).exists()


def _pin_file(sqlite_url):
    return sqlite_url.removeprefix("sqlite:///") + ".roster-key"


def test_the_first_admin_makes_the_roster_and_pins_its_key_beside_the_database(sqlite_db, sqlite_url):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    pin = _pin_file(sqlite_url)
    with open(pin) as f:
        pinned = bytes.fromhex(f.read().strip())
    assert pinned == roster.verify_key() == bytes.fromhex(Setting.get_by_id(roster.ROSTER_SETTING).value)
    assert os.stat(pin).st_mode & 0o022 == 0  # nobody but its owner may replace it
    row = Adviser.get_by_id(ada.id)
    assert sealing.verify(pinned, roster.statement(row), row.roster_signature)
    assert roster.seed_of(ada.keyring)  # the admin holds the roster key
    recovery = keys.get_setting(keys.RECOVERY_SETTING)
    assert roster.recovery_public_key(recovery) == bytes.fromhex(recovery)


def test_an_adviser_created_without_an_admins_keys_waits_for_confirmation(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    old = submit(config).report
    bryn = advisers.create_adviser("bryn", PASSWORD)  # the CLI, without --granted-by
    assert [a.username for a in roster.unconfirmed(advisers.active_advisers())] == ["bryn"]
    new = submit(config).report
    keys.share_all(advisers.sign_in("ada", PASSWORD).keyring, config)  # ada's app runs: it does not vouch
    assert not _holds("bryn", new.id) and not _holds("bryn", old.id)
    with pytest.raises(PermissionDenied):
        advisers.confirm(["bryn"], advisers.sign_in("bryn", PASSWORD), config)  # not an admin: refused
    assert [a.username for a in advisers.confirm(["bryn"], ada, config)] == ["bryn"]
    assert _holds("bryn", old.id) and _holds("bryn", new.id)  # confirming grants what they may see
    assert _holds("bryn", submit(config).report.id)
    assert roster.unconfirmed([Adviser.get_by_id(bryn.id)]) == []


def test_an_adviser_created_by_an_admin_is_on_the_roster_at_once(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, by=ada, config=config)
    advisers.create_adviser("cai", PASSWORD, is_admin=True, keyring=ada.keyring, config=config)
    assert roster.unconfirmed(advisers.active_advisers()) == []
    cai = advisers.sign_in("cai", PASSWORD)
    assert roster.seed_of(cai.keyring) == roster.seed_of(ada.keyring)  # a new admin can sign too
    report = submit(config).report
    assert _holds("bryn", report.id) and _holds("cai", report.id)


def test_each_change_to_an_account_is_signed_by_the_admin_who_makes_it(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, is_admin=True, by=ada, config=config)
    bryn = advisers.sign_in("bryn", PASSWORD)
    advisers.set_admin("bryn", False, by=ada, config=config)
    row = Adviser.get(Adviser.username == "bryn")
    assert roster.unconfirmed([row]) == [] and row.sealed_roster_key is None
    with pytest.raises(PermissionDenied):  # a demoted admin signs nothing, even with the keys they had
        roster.seed_of(bryn.keyring)
    advisers.change_password("bryn", "reset by ada, a new pair", by=ada, config=config)
    assert roster.unconfirmed([Adviser.get(Adviser.username == "bryn")]) == []
    assert _holds("bryn", submit(config).report.id)
    advisers.set_active("bryn", False, by=ada)
    advisers.set_active("bryn", True, by=ada)
    assert _holds("bryn", submit(config).report.id)


def test_changes_made_without_an_admins_keys_take_the_adviser_off_the_roster(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, by=ada, config=config)
    advisers.change_password("bryn", "reset on the server", config=config)  # the CLI, without --granted-by
    assert not _holds("bryn", submit(config).report.id)
    advisers.confirm(["bryn"], ada, config)
    assert _holds("bryn", submit(config).report.id)
    advisers.set_admin("bryn", True)  # the CLI: promoted, but not signed as an admin
    report = submit(config).report
    assign(report.id, ada, "ada", config)
    assert not _holds("bryn", report.id)


def test_recovery_signs_the_admin_it_gives_a_new_key_pair(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.recover(ada.recovery_key, "ada", "ada's password after recovery", config)
    ada = advisers.sign_in("ada", "ada's password after recovery")
    assert roster.unconfirmed([Adviser.get_by_id(ada.id)]) == []
    assert roster.seed_of(ada.keyring)
    assert _holds("ada", submit(config).report.id)


def test_a_missing_pin_stops_sealing_with_a_clear_message_and_stores_nothing(sqlite_db, sqlite_url, config):
    advisers.create_adviser("ada", PASSWORD, is_admin=True)
    os.rename(_pin_file(sqlite_url), _pin_file(sqlite_url) + ".moved")
    with pytest.raises(TellusError, match=r"roster key file .* is missing"):
        submit(config)
    assert Report.select().count() == 0


def test_a_damaged_pin_is_refused_not_read(sqlite_db, sqlite_url, config):
    advisers.create_adviser("ada", PASSWORD, is_admin=True)
    with open(_pin_file(sqlite_url), "w") as f:
        f.write("not a key\n")
    with pytest.raises(TellusError, match="damaged"):
        submit(config)
    assert Report.select().count() == 0


def test_an_install_without_a_roster_trusts_its_rows_until_an_admin_makes_one(sqlite_db, config):
    """An upgraded install: advisers and cases from before the roster. Confirming makes it, vouching for the
    advisers as listed and sealing the assignments of the cases as their rows say, once."""
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, by=ada, config=config)
    report = submit(config).report
    assign(report.id, ada, "bryn", config)
    # As the previous release left it: no roster, no signatures, no sealed assignments.
    Setting.delete().where(Setting.key.in_([roster.ROSTER_SETTING, roster.RECOVERY_SIGNATURE])).execute()
    Adviser.update(roster_signature=None, sealed_roster_key=None).execute()
    Report.update(sealed_assignment=None).execute()
    os.unlink(roster.pin_path())
    assert roster.verify_key() is None
    assert _holds("bryn", submit(config).report.id)  # rows trusted as before
    ada = advisers.sign_in("ada", PASSWORD)
    signed = advisers.confirm([], ada, config)
    assert sorted(a.username for a in signed) == ["ada", "bryn"]
    assert roster.verify_key() is not None and os.path.exists(roster.pin_path())
    assert Report.get_by_id(report.id).sealed_assignment is not None
    # From now on, a row edit adds nobody.
    Adviser.update(is_admin=True).where(Adviser.username == "bryn").execute()
    assign(report.id, ada, "ada", config)
    keys.share_all(ada.keyring, config)
    assert not _holds("bryn", report.id)


# ---- the recovery key on an upgraded install: trusted once its secret is typed ----------------------------------


def _recovery_holds(report_id):
    return CaseKey.select().where((CaseKey.report == report_id) & (CaseKey.holder == "recovery")).exists()


def test_an_upgraded_installs_recovery_key_waits_for_its_secret_then_receives_every_case(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    secret = ada.recovery_key
    advisers.create_adviser("bryn", PASSWORD, by=ada, config=config)
    Setting.delete().where(
        Setting.key.in_([roster.ROSTER_SETTING, roster.RECOVERY_SIGNATURE, roster.SEED_FOR_RECOVERY])
    ).execute()
    Adviser.update(roster_signature=None, sealed_roster_key=None).execute()
    os.unlink(roster.pin_path())
    assert roster.recovery_problem() is None  # no roster: the rows (the recovery key too) are trusted as before
    advisers.confirm([], advisers.sign_in("ada", PASSWORD), config)  # tellus migrate --admin ada
    assert roster.recovery_problem() == roster.RECOVERY_UNCHECKED
    meanwhile = submit(config).report
    assert not _recovery_holds(meanwhile.id)
    pair = keys.recovery_pair(secret)
    assert roster.seed_for_recovery(pair.private) is None
    # Recovering now could sign nobody (the admin would lose their grants and get none back): refused, unchanged.
    held = CaseKey.select().where(CaseKey.adviser == ada.id).count()
    with pytest.raises(TellusError, match="recover --check"):
        advisers.recover(secret, "ada", "ada's password after recovery", config)
    assert advisers.sign_in("ada", PASSWORD) and CaseKey.select().where(CaseKey.adviser == ada.id).count() == held

    signed, cases = advisers.check_recovery(secret, advisers.sign_in("ada", PASSWORD), config)
    assert signed and cases >= 1
    assert roster.recovery_problem() is None
    assert _recovery_holds(meanwhile.id)  # what came in while it waited, from the cases ada holds
    assert _recovery_holds(submit(config).report.id)
    ada = advisers.sign_in("ada", PASSWORD)
    assert roster.seed_for_recovery(pair.private) == roster.seed_of(ada.keyring)
    # And recovery works as on a new install: the admin it restores is signed.
    advisers.recover(secret, "ada", "ada's password after recovery", config)
    assert roster.unconfirmed([Adviser.get(Adviser.username == "ada")]) == []


def test_checking_the_recovery_key_twice_changes_nothing_the_second_time(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)  # a new install: signed from the start
    before = {s.key: s.value for s in Setting.select()}
    signed, _cases = advisers.check_recovery(ada.recovery_key, ada, config)
    assert not signed and {s.key: s.value for s in Setting.select()} == before


@pytest.mark.parametrize("damage", ["signature", "sealed roster key"])
def test_checking_the_recovery_key_mends_a_broken_signature_or_a_lost_copy_of_the_roster_key(sqlite_db, config, damage):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    if damage == "signature":
        Setting.update(value="00" * 64).where(Setting.key == roster.RECOVERY_SIGNATURE).execute()
        assert roster.recovery_problem() == roster.RECOVERY_BROKEN
    else:
        Setting.update(value="not hexadecimal").where(Setting.key == roster.SEED_FOR_RECOVERY).execute()
    signed, _cases = advisers.check_recovery(ada.recovery_key, ada, config)
    assert signed and roster.recovery_problem() is None
    assert roster.seed_for_recovery(keys.recovery_pair(ada.recovery_key).private) == roster.seed_of(ada.keyring)


def test_a_recovery_secret_that_is_not_the_one_the_database_names_signs_nothing(sqlite_db, config):
    """A row writer's key in the setting is not signed by typing the real secret, nor the real key by a secret
    of another key (another install's): refused, nothing written."""
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    other = advisers.create_adviser("zed", PASSWORD, is_admin=True, by=ada, keyring=ada.keyring)
    assert other.recovery_key is None  # one recovery key per install
    before = {s.key: s.value for s in Setting.select()}
    another = sealing.format_recovery_secret(sealing.new_recovery_secret())
    with pytest.raises(ValidationError, match="not this installation's recovery key"):
        advisers.check_recovery(another, ada, config)
    with pytest.raises(ValidationError, match="not a recovery key"):
        advisers.check_recovery("ABCD-EFGH", ada, config)
    assert {s.key: s.value for s in Setting.select()} == before


def test_only_an_admin_holding_the_roster_key_signs_the_recovery_key(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    bryn = advisers.create_adviser("bryn", PASSWORD, by=ada, config=config)
    with pytest.raises(PermissionDenied):
        advisers.check_recovery(ada.recovery_key, advisers.sign_in("bryn", PASSWORD), config)
    advisers.set_admin("bryn", True)  # the CLI: an admin now, but not signed, so holding no roster key
    with pytest.raises(PermissionDenied):
        advisers.check_recovery(ada.recovery_key, advisers.sign_in("bryn", PASSWORD), config)
    assert bryn.recovery_key is None


def test_the_recovery_key_cannot_be_checked_before_the_install_has_a_roster(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    Setting.delete().where(Setting.key.in_([roster.ROSTER_SETTING])).execute()
    os.unlink(roster.pin_path())
    with pytest.raises(TellusError, match="no roster yet"):
        advisers.check_recovery(ada.recovery_key, advisers.sign_in("ada", PASSWORD), config)


def test_a_deleted_recovery_key_is_said_but_a_roster_made_without_one_is_not_an_alarm(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    assert roster.recovery_problem() is None
    Setting.delete().where(Setting.key == keys.RECOVERY_SETTING).execute()
    assert roster.recovery_problem() == roster.RECOVERY_MISSING
    # The sample data's roster (tellus demo) has no recovery key and never had one: nothing to tell.
    Setting.delete().where(Setting.key.in_([roster.RECOVERY_SIGNATURE, roster.SEED_FOR_RECOVERY])).execute()
    assert roster.recovery_problem() is None and roster.seed_of(ada.keyring)
