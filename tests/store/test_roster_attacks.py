"""Attacks on the signed roster (store/roster.py), each as the attacker would run it: real database files, real keys.

The attackers are those of test_sealing_attacks.py: (b) a compromised web process, (c) a non-admin adviser with
their password and, through the group ``tellus``, write access to the database file and its folder, (d) whoever
can edit rows. A passing test is a defence that holds (kept only where it guards against a regression); a fixed
finding's test failed before its fix; a finding not fixed is ``xfail(strict=True)`` naming the fix.
"""

import os

import pytest

from store import advisers, keys, roster, sealing
from store.cases import assign
from store.errors import TellusError, ValidationError
from store.models import Adviser, CaseKey, Report, Setting, database

from ..helpers import submit

# The attack review's team and its way of checking what an attacker's key opens.
from .test_sealing_attacks import PASSWORD, SECRET, _team
from .test_sealing_attacks import _attacker_opens as _opens


def _holds(username, report_id):
    adviser = Adviser.get(Adviser.username == username)
    return CaseKey.select().where((CaseKey.adviser == adviser.id) & (CaseKey.report == report_id)).exists()


def _break_admin_signatures():
    """Any row writer can make every admin's entry fail its check: one changed byte."""
    Adviser.update(roster_signature=b"\0" * 64).where(Adviser.is_admin).execute()


def _set(key, value):
    Setting.insert(key=key, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()


# ---- the intake key: the way in when no admin is vouched for ---------------------------------------------------


def test_a_planted_intake_key_receives_no_report_once_there_is_a_roster(sqlite_db, config):
    """Found: with no vouched admin among a new report's recipients, the web process sealed it to the intake key
    the *database* names. (c) or (d) broke the admins' signatures, wrote their own public key as the intake key,
    and read every new report. Fixed: with a roster there is no intake (there has been an admin)."""
    _team(config)
    attacker = sealing.KeyPair.generate()
    _set(keys.INTAKE_SETTING, attacker.public.hex())
    _break_admin_signatures()
    report = submit(config, description=SECRET).report
    assert _opens(attacker.private, report.id) == []
    assert not CaseKey.select().where((CaseKey.report == report.id) & (CaseKey.holder == "intake")).exists()
    assert CaseKey.select().where((CaseKey.report == report.id) & (CaseKey.holder == "recovery")).exists()


def test_a_report_that_no_admin_and_no_recovery_key_would_hold_is_refused_not_stored(sqlite_db, config):
    """Found: the same tampering plus a broken recovery signature left new reports sealed to the intake key (or to
    nobody who could ever grant them): stored, acknowledged to the reporter, unreadable for good. Fixed: refused
    with a sentence saying why, and nothing stored."""
    _team(config)
    _break_admin_signatures()
    _set(roster.RECOVERY_SIGNATURE, "00" * 64)
    with pytest.raises(TellusError, match="administrator"):
        submit(config, description=SECRET)
    assert Report.select().count() == 0


def test_a_roster_key_variable_naming_another_rosters_pin_refuses_reports_instead_of_using_intake(
    sqlite_db, config, tmp_path, monkeypatch
):
    """Found with the intake finding: a process whose $TELLUS_ROSTER_KEY names another install's pin (a copied
    /etc/tellus, a typo between two instances) vouches for nobody, and used to seal every report to a fresh intake
    key, whose file the web process's account then held. Now refused, loudly, and nothing stored."""
    _team(config)
    other = tmp_path / "elsewhere" / "roster-key"
    other.parent.mkdir()
    other.write_text(sealing.verify_key_of(sealing.new_signing_seed()).hex() + "\n")
    monkeypatch.setenv("TELLUS_ROSTER_KEY", str(other))
    with pytest.raises(TellusError, match="administrator"):
        submit(config, description=SECRET)
    assert Report.select().count() == 0


# ---- the roster switched off by a row edit -------------------------------------------------------------------


def _self_assignment():
    Report.update(assignee=Adviser.get(Adviser.username == "cai").id, sealed_assignment=None).execute()


def _unassignment():
    Report.update(assignee=None, sealed_assignment=None).execute()


@pytest.mark.parametrize("tamper", [_self_assignment, _unassignment])
def test_deleting_the_roster_setting_does_not_make_an_admins_app_grant_by_the_rows(sqlite_db, config, tamper):
    """Found: whether assignments are sealed was decided by the database's copy of the roster key
    (roster.has_roster), not the pin. (c) deleted that setting and the case's sealed assignment, assigned the case
    to themselves (or to nobody, which every adviser may see) in its row, and the admin's app granted it.
    Fixed: the pin decides."""
    ada = _team(config)
    report = submit(config, description=SECRET).report
    assign(report.id, ada, "bryn", config)
    Setting.delete().where(Setting.key == roster.ROSTER_SETTING).execute()
    tamper()
    keys.share_all(advisers.sign_in("ada", PASSWORD).keyring, config)  # ada's app, next time it runs
    assert not _holds("cai", report.id)


# ---- an admin's change signing what a row writer put there ------------------------------------------------------


def _promote(ada, config):
    advisers.set_admin("bryn", True, by=ada, config=config)


def _re_enable(ada, config):
    advisers.set_active("bryn", True, by=ada)


@pytest.mark.parametrize("change", [_promote, _re_enable])
def test_an_admins_change_does_not_sign_a_public_key_a_row_writer_swapped_in(sqlite_db, config, change):
    """Found: set_admin and set_active signed the entry as the row stood, so a key swapped in by a row writer (the
    entry unconfirmed meanwhile, which nobody could tell from a routine change) was signed by the admin's next
    change — and a promotion sealed the roster key itself to the attacker. Fixed: a change is signed only onto an
    entry that held before it; otherwise the entry stays unconfirmed."""
    ada = _team(config)
    if change is _re_enable:
        advisers.set_active("bryn", False, by=ada)
    attacker = sealing.KeyPair.generate()
    Adviser.update(public_key=attacker.public).where(Adviser.username == "bryn").execute()
    change(ada, config)
    row = Adviser.get(Adviser.username == "bryn")
    assert roster.unconfirmed([row]) == [row]
    if row.sealed_roster_key is not None:
        with pytest.raises(sealing.Unreadable):
            sealing.open_sealed_seed(attacker.private, row.sealed_roster_key)
    assert _opens(attacker.private, submit(config, description=SECRET).report.id) == []


def test_a_password_reset_does_not_sign_a_self_promotion(sqlite_db, config):
    """Found: cai (c) set is_admin on his own row, then asked ada to reset his password (routine). The reset signed
    his entry as it stood — as an admin — and sealed the roster key to his new key pair. Fixed: the reset is
    signed only onto an entry that held before it."""
    ada = _team(config)
    Adviser.update(is_admin=True).where(Adviser.username == "cai").execute()
    advisers.change_password("cai", "a new password from ada", by=ada, config=config)
    cai = advisers.sign_in("cai", "a new password from ada")
    row = Adviser.get_by_id(cai.id)
    assert roster.unconfirmed([row]) == [row]
    assert row.sealed_roster_key is None
    report = submit(config, description=SECRET).report
    assign(report.id, ada, "bryn", config)
    assert not _holds("cai", report.id)


def test_a_trigger_that_rewrites_a_new_account_does_not_get_the_rewrite_signed(sqlite_db, config):
    """Found: signing re-read the row after saving it, so whatever a row writer's trigger (or a write between the
    two) put there was signed: here, a new adviser made an admin with the attacker's key. Fixed: what is signed is
    the entry as the caller made it, and only if the row still says so; else the change fails, loudly."""
    ada = _team(config)
    attacker = sealing.KeyPair.generate()
    database.execute_sql(
        "CREATE TRIGGER mallory AFTER INSERT ON adviser BEGIN "
        f"UPDATE adviser SET is_admin = 1, public_key = X'{attacker.public.hex()}' WHERE id = NEW.id; END"
    )
    with pytest.raises(TellusError, match="changed"):
        advisers.create_adviser("dee", PASSWORD, "Dee", by=ada, config=config)
    dee = Adviser.get_or_none(Adviser.username == "dee")
    assert dee is None or roster.unconfirmed([dee]) == [dee]
    assert _opens(attacker.private, submit(config, description=SECRET).report.id) == []


# ---- confirming: what the admin saw is what is signed ------------------------------------------------------------


def _inserted_admin():
    pair = sealing.KeyPair.generate()
    Adviser.insert(
        username="mallory", display_name="IT", password_hash="x", is_admin=True, active=True,
        created_at=Adviser.get_by_id(1).created_at, public_key=pair.public,
    ).execute()  # fmt: skip
    return pair


def test_confirm_without_names_is_refused_once_there_is_a_roster(sqlite_db, config):
    """Found: ``tellus advisers confirm --granted-by ADMIN`` without names signed every unconfirmed entry, so an
    admin row inserted by (d) was signed — and given the roster key — by the routine command the README and the
    app's notice point to; the list was printed only afterwards. Fixed: with a roster, name whom you confirm."""
    ada = _team(config)
    attacker = _inserted_admin()
    with pytest.raises(ValidationError):
        advisers.confirm([], ada, config)
    mallory = Adviser.get(Adviser.username == "mallory")
    assert roster.unconfirmed([mallory]) == [mallory] and mallory.sealed_roster_key is None
    assert _opens(attacker.private, submit(config, description=SECRET).report.id) == []


def test_confirm_signs_only_the_entry_the_admin_was_shown(sqlite_db, config):
    """Found: the app's confirm showed the listed account (name, role) and then signed the row as it stood at that
    moment, by username: a row writer who changed it meanwhile (made it an admin with their key) had that signed.
    Fixed: the app passes the account as listed, and confirm refuses an entry that no longer matches it."""
    ada = _team(config)
    advisers.change_password("bryn", "reset on the server", config=config)  # unconfirmed, as after a CLI reset
    listed = [a for a in advisers.list_advisers(by=ada) if a.username == "bryn"]
    attacker = sealing.KeyPair.generate()
    Adviser.update(public_key=attacker.public, is_admin=True).where(Adviser.username == "bryn").execute()
    with pytest.raises(TellusError, match="changed"):
        advisers.confirm(["bryn"], ada, config, as_listed=listed)
    row = Adviser.get(Adviser.username == "bryn")
    assert roster.unconfirmed([row]) == [row] and row.sealed_roster_key is None
    assert _opens(attacker.private, submit(config, description=SECRET).report.id) == []


# ---- the pin file ---------------------------------------------------------------------------------------------------

OTHER_UID = 4242  # another Unix account: an adviser in group tellus, who may write the database's folder


def _sign_as(seed, username, **changes):
    """What an attacker holding ``seed`` does to a row: change it and sign it."""
    if changes:
        Adviser.update(**changes).where(Adviser.username == username).execute()
    row = Adviser.get(Adviser.username == username)
    Adviser.update(roster_signature=sealing.sign(seed, roster.statement(row))).where(Adviser.id == row.id).execute()


def _replace_pin(verify, owner, mode=0o644):
    path = roster.pin_path()
    os.rename(path, path + ".was")  # the folder is group-writable (README: install -d -m 2770)
    with open(path, "w") as pin:
        pin.write(verify.hex() + "\n")
    os.chmod(path, mode)
    os.chown(path, owner, -1)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the planted pin file another owner")
@pytest.mark.parametrize(("owner", "mode"), [(OTHER_UID, 0o644), (0, 0o666)], ids=["other-owner", "writable-by-all"])
def test_a_pin_file_another_account_could_have_written_is_refused(sqlite_db, config, owner, mode):
    """Found: the pin was read whoever wrote it. In the README's deployment the folder is 2770, group tellus, which
    every adviser's Unix account is in: cai (c) renamed the pin away, put his own roster key in its place, signed
    himself an admin and re-signed everyone else (nothing looked wrong) — and received every new report, and
    every old one from the admin's app. Fixed: a pin that an account other than root or the folder's owner wrote,
    or that others may write, is refused, loudly."""
    ada = _team(config)
    report = submit(config, description=SECRET).report
    assign(report.id, ada, "bryn", config)  # cai does not hold it
    seed = sealing.new_signing_seed()
    cai_pair = sealing.KeyPair.generate()
    _replace_pin(sealing.verify_key_of(seed), owner, mode)
    for name in ("ada", "bryn"):
        _sign_as(seed, name)
    _sign_as(seed, "cai", is_admin=True, public_key=cai_pair.public)
    with pytest.raises(TellusError, match="roster key file"):
        submit(config, description=SECRET)
    with pytest.raises(TellusError, match="roster key file"):
        keys.share_all(advisers.sign_in("ada", PASSWORD).keyring, config)
    assert _opens(cai_pair.private, report.id) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the planted file another owner")
def test_a_temporary_pin_file_planted_in_advance_is_not_written_into(sqlite_url, config):
    """Found: the pin was written through ``<pin>.<pid>.tmp`` opened without O_EXCL, so a file another account
    planted under that name (pids are guessable) was written into and linked into place: the pin was then a file
    that account owns, and may rewrite at will. Fixed: a fresh, exclusive, unguessable temporary name."""
    from store import open_database

    db = open_database(sqlite_url)
    try:
        planted = f"{sqlite_url}.roster-key.{os.getpid()}.tmp"
        with open(planted, "w"):
            pass
        os.chmod(planted, 0o666)
        os.chown(planted, OTHER_UID, -1)
        advisers.create_adviser("ada", PASSWORD, is_admin=True)
        status = os.stat(f"{sqlite_url}.roster-key")
        assert status.st_uid == os.geteuid() and status.st_mode & 0o022 == 0
        assert os.path.getsize(planted) == 0
    finally:
        db.close()


# ---- before the first admin --------------------------------------------------------------------------------------


def test_a_recovery_key_planted_before_the_first_admin_is_not_signed(sqlite_db, config):
    """Found: the first admin's roster signed whatever recovery key the database already named, and sealed the
    roster key to it; ensure_recovery_key kept a planted one and printed none (nobody noticed). (b) or (d), before
    the first admin was created, wrote their key as the recovery key: they then held the roster key and received
    every case. Fixed: the first admin's roster comes with a recovery key made there and then."""
    attacker = sealing.KeyPair.generate()
    _set(keys.RECOVERY_SETTING, attacker.public.hex())
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    assert ada.recovery_key is not None  # shown once, as on any new install
    assert roster.seed_for_recovery(attacker.private) is None
    report = submit(config, description=SECRET).report
    assert _opens(attacker.private, report.id) == []
    assert roster.recovery_public_key(keys.get_setting(keys.RECOVERY_SETTING)) != attacker.public


def test_a_pin_file_planted_before_the_first_admin_is_refused_before_anything_is_created(sqlite_db, config):
    """Found: a pin already beside a new database (planted by the web process's account, which owns the folder, or
    left from a database started again) made the first admin's roster fail after the admin had been created and
    their recovery key made but never shown; with the pin read first (has_roster), it made it silently not exist
    at all, the sealers trusting whoever signed with the planted key. Fixed: refused before anything is created."""
    attacker_seed = sealing.new_signing_seed()
    with open(roster.pin_path(), "w") as pin:
        pin.write(sealing.verify_key_of(attacker_seed).hex() + "\n")
    with pytest.raises(TellusError, match="roster key file"):
        advisers.create_adviser("ada", PASSWORD, is_admin=True)
    assert Adviser.select().count() == 0 and keys.get_setting(keys.RECOVERY_SETTING) is None
    os.rename(roster.pin_path(), roster.pin_path() + ".moved")
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)  # once it is moved away, all is as new
    assert ada.recovery_key is not None and roster.seed_of(ada.keyring)


# Found by the review (a strict xfail then): the first admin made the roster only as the only account with a key
# pair, so one adviser row planted before left the install without a roster, trusting its rows. Now creating an
# admin on an install without a roster always makes it, signing that admin alone where others hold keys.
def test_an_adviser_row_planted_before_the_first_admin_does_not_leave_the_install_without_a_roster(sqlite_db, config):
    from store.clock import utcnow

    planted = sealing.KeyPair.generate()
    Adviser.insert(
        username="mallory", display_name="IT", password_hash="x", is_admin=False, active=True,
        created_at=utcnow(), public_key=planted.public,
    ).execute()  # fmt: skip
    advisers.create_adviser("ada", PASSWORD, is_admin=True)
    assert roster.has_roster()
    report = submit(config, description=SECRET).report
    assert _opens(planted.private, report.id) == []


# ---- the recovery key -------------------------------------------------------------------------------------------


def _as_the_previous_release_left_it():
    """An install upgraded to schema 6 without --admin: no roster, no signatures, no sealed assignments."""
    Setting.delete().where(
        Setting.key.in_([roster.ROSTER_SETTING, roster.RECOVERY_SIGNATURE, roster.SEED_FOR_RECOVERY])
    ).execute()
    Adviser.update(roster_signature=None, sealed_roster_key=None).execute()
    Report.update(sealed_assignment=None).execute()
    os.unlink(roster.pin_path())


def test_making_the_roster_on_an_upgraded_install_does_not_hand_the_roster_key_to_a_swapped_recovery_key(
    sqlite_db, config
):
    """Found: on an upgraded install, making the roster (tellus migrate --admin, or the first confirm) signed the
    recovery key the database names and sealed the roster key itself to it; the command printed the advisers it
    vouched for, not the recovery key, so a row writer who had swapped it held the roster key (signed anyone in)
    and received every new report, unseen. Fixed: the roster signs it only once its secret is typed (tellus
    recover --check), and says so until then."""
    _team(config)
    _as_the_previous_release_left_it()
    attacker = sealing.KeyPair.generate()
    _set(keys.RECOVERY_SETTING, attacker.public.hex())
    advisers.confirm([], advisers.sign_in("ada", PASSWORD), config)  # what tellus migrate --admin ada runs
    assert roster.seed_for_recovery(attacker.private) is None
    assert _opens(attacker.private, submit(config, description=SECRET).report.id) == []


def test_a_broken_recovery_signature_is_reported_to_admins(sqlite_url, sqlite_db, config):
    """Found: a recovery key whose signature no longer holds (one changed byte in a setting) silently received
    nothing new; nobody learnt that recovery would not cover new reports until it was needed. Fixed: tellus
    advisers list says so (the admin's app too: tests/tui/test_oversight.py), with what to do."""
    import subprocess
    import sys

    _team(config)
    _set(roster.RECOVERY_SIGNATURE, "00" * 64)
    listed = subprocess.run(
        [sys.executable, "-m", "tellus", "advisers", "list", "--database", sqlite_url],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "recovery key" in listed.stdout and "tellus recover --check" in listed.stdout
