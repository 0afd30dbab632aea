"""`tellus recover --check`: the recovery key is trusted by the roster once its secret is typed, run as a real process.

An upgraded install's roster does not sign the recovery key its database names (a row writer may have swapped
it: tests/store/test_roster_attacks.py); until someone types the secret, the commands admins run say so.
"""

import re
import sqlite3

from ..migrations import schema1
from .test_cli import PASSWORD, assert_clean_error, tellus

ADA = "ada's long admin password\n"  # the schema-1 release's admin (tests/migrations/test_upgrade.py)
SECRET = re.compile(r"\b(?:[0-9A-Z]{4}-){7}[0-9A-Z]{4}\b")
NOT_YET = "The recovery key is not yet trusted"
ANOTHER_KEY = "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA\n"  # well formed: some other key's secret


def _check(db, secret, admin="ada", password=ADA):
    return tellus("recover", "--check", "--admin", admin, "--password-stdin", *db, stdin=secret + password)


def _settings(path):
    with sqlite3.connect(path) as raw:
        return dict(raw.execute("SELECT key, value FROM tellus_setting"))


def _audited(path, action):
    with sqlite3.connect(path) as raw:
        return [d for (d,) in raw.execute("SELECT detail FROM audit_event WHERE action = ?", (action,))]


def test_an_upgraded_install_trusts_its_recovery_key_only_once_it_is_typed(tmp_path):
    path = schema1.sqlite_copy(tmp_path)
    db = ["--database", path]
    upgraded = tellus("migrate", "--no-backup", "--admin", "ada", "--password-stdin", *db, stdin=ADA)
    assert upgraded.returncode == 0, upgraded.stderr
    [secret] = SECRET.findall(upgraded.stdout)  # shown once, by the sealing step of this very upgrade
    assert NOT_YET in upgraded.stdout and "tellus recover --check --admin NAME" in upgraded.stdout
    assert NOT_YET in tellus("advisers", "list", *db).stdout
    before = _settings(path)

    # Hostile or mistaken input: one sentence each, nothing signed, no password asked for a wrong key.
    assert_clean_error(_check(db, "not a key at all\n"), "not a recovery key")
    assert_clean_error(_check(db, "\n"), "not a recovery key")
    assert_clean_error(_check(db, "\x1b[2J" + secret + "\x00\n"), "not a recovery key")
    assert_clean_error(_check(db, ANOTHER_KEY), "not this installation's recovery key")
    assert_clean_error(_check(db, secret + "\n", password="a wrong password\n"), "Wrong username or password")
    assert_clean_error(_check(db, secret + "\n", admin="nobody"), "Wrong username or password")
    assert _settings(path) == before and not _audited(path, "recovery_checked")
    # Recovering with it now could give the admin no case back: refused, ada's password unchanged (used below).
    refused = tellus("recover", "--admin", "ada", "--password-stdin", *db, stdin=secret + "\n" + PASSWORD * 2)
    assert_clean_error(refused, "tellus recover --check")

    checked = _check(db, secret.lower().replace("-", " ") + "\n")  # typed as people type it
    assert checked.returncode == 0, checked.stderr
    assert "proved and signed" in checked.stdout and "6 cases ada holds" in checked.stdout
    assert NOT_YET not in tellus("advisers", "list", *db).stdout
    signed = _settings(path)

    again = _check(db, secret + "\n")
    assert again.returncode == 0, again.stderr
    assert "trusted already" in again.stdout
    assert _settings(path) == signed  # the second time writes nothing
    assert [d.endswith("signed") for d in _audited(path, "recovery_checked")] == [True, False]


def test_on_a_new_install_the_recovery_key_is_trusted_from_the_start(tmp_path):
    path = str(tmp_path / "t.db")
    db = ["--database", path]
    made = tellus("advisers", "add", "alex", "--admin", "--password-stdin", *db, stdin=PASSWORD)
    assert made.returncode == 0, made.stderr
    [secret] = SECRET.findall(made.stdout)
    assert NOT_YET not in made.stdout and "recovery key" not in tellus("advisers", "list", *db).stdout.lower()
    assert tellus("advisers", "add", "bea", "--granted-by", "alex", "--password-stdin", *db, stdin=PASSWORD * 2)
    checked = _check(db, secret + "\n", admin="alex", password=PASSWORD)
    assert checked.returncode == 0, checked.stderr
    assert "trusted already" in checked.stdout
    # An adviser who is not an administrator holds no roster key: refused, whatever the secret.
    assert_clean_error(_check(db, secret + "\n", admin="bea", password=PASSWORD), "Only administrators")
    # Another installation's recovery key is not this one's.
    other = ["--database", str(tmp_path / "other.db")]
    elsewhere = tellus("advisers", "add", "alex", "--admin", "--password-stdin", *other, stdin=PASSWORD)
    [foreign] = SECRET.findall(elsewhere.stdout)
    assert_clean_error(_check(db, foreign + "\n", admin="alex", password=PASSWORD), "not this installation's")


def test_a_broken_recovery_signature_is_said_and_mended_by_typing_the_key(tmp_path):
    path = str(tmp_path / "t.db")
    db = ["--database", path]
    made = tellus("advisers", "add", "alex", "--admin", "--password-stdin", *db, stdin=PASSWORD)
    [secret] = SECRET.findall(made.stdout)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE tellus_setting SET value = ? WHERE key = 'recovery_key_signature'", ("00" * 64,))
    listed = tellus("advisers", "list", *db).stdout
    assert "signature does not check out" in listed and "tellus recover --check" in listed
    checked = _check(db, secret + "\n", admin="alex", password=PASSWORD)
    assert checked.returncode == 0, checked.stderr
    assert "proved and signed" in checked.stdout
    assert "recovery key" not in tellus("advisers", "list", *db).stdout.lower()


def test_recover_check_without_a_terminal_asks_for_password_stdin(tmp_path):
    r = tellus("recover", "--check", "--admin", "alex", "--database", str(tmp_path / "t.db"), stdin="")
    assert_clean_error(r, "--password-stdin")
