"""Schema 6 → 7: the roster's columns arrive empty, nothing is lost, and the old install keeps working
until an admin makes its roster — after which a row edit adds nobody."""

import pytest

from store import advisers, keys, migrations, open_database, roster
from store.cases import assign
from store.models import Adviser, CaseKey, Report, database
from store.reports import open_conversation_by_code

from ..helpers import submit
from . import schema1
from .test_upgrade import ADMIN


@pytest.fixture(params=["sqlite", "postgresql"])
def schema6(request, tmp_path, monkeypatch):
    """A database as the previous release leaves it: schema 1 upgraded by that release's five steps."""
    lines = []
    url = schema1.upgraded_by_earlier_steps(request, tmp_path, monkeypatch, ADMIN, 6, progress=lines.append)
    # The recovery key that release's sealing step printed once, as its admin wrote it down.
    [secret] = [line.rsplit(" ", 1)[1] for line in lines if "RECOVERY KEY" in line]
    yield url, {**schema1.FACTS[request.param], "recovery_secret": secret}
    if database.obj is not None and not database.is_closed():
        database.close()


def test_the_step_adds_empty_columns_and_loses_nothing(schema6, config):
    url, facts = schema6
    db = database.obj
    before = schema1.row_counts(db)
    rows = db.execute_sql("SELECT id, username, public_key, is_admin, active FROM adviser ORDER BY id").fetchall()
    cases = db.execute_sql("SELECT id, reference, sealed_description, assignee_id FROM report ORDER BY id").fetchall()
    result = migrations.migrate(db, backup=False)
    assert (result.before, result.after) == (6, migrations.latest())
    assert schema1.row_counts(db) == before
    assert (
        db.execute_sql("SELECT id, username, public_key, is_admin, active FROM adviser ORDER BY id").fetchall() == rows
    )
    assert (
        db.execute_sql("SELECT id, reference, sealed_description, assignee_id FROM report ORDER BY id").fetchall()
        == cases
    )
    assert db.execute_sql("SELECT COUNT(*) FROM adviser WHERE roster_signature IS NOT NULL").fetchone()[0] == 0
    open_database(url)
    assert not roster.has_roster() and roster.verify_key() is None
    # The old install works as before: old reporters get in, new reports reach every adviser with keys.
    fact = next(f for f in facts["reports"] if f["code"])
    assert open_conversation_by_code(fact["code"]).reference == fact["reference"]
    admin = advisers.sign_in(*ADMIN)
    assert admin.keyring.case_key(Report.get(Report.reference == fact["reference"]).id)


def test_an_admin_makes_the_roster_after_the_upgrade_and_then_rows_add_nobody(schema6, config):
    url, _facts = schema6
    migrations.migrate(database.obj, backup=False)
    open_database(url)
    ada = advisers.sign_in(*ADMIN)
    signed = advisers.confirm([], ada, config)
    assert "ada" in {a.username for a in signed}
    assert roster.verify_key() is not None
    held = [r.id for r in Report.select() if ada.keyring.case_key_or_none(r.id) is not None]
    assert held and all(Report.get_by_id(i).sealed_assignment is not None for i in held)
    # An attacker's admin row after the roster exists: nothing new is sealed to it.
    Adviser.insert(
        username="mallory", display_name="IT", password_hash="x", is_admin=True, active=True,
        created_at=Adviser.get_by_id(ada.id).created_at, public_key=Adviser.get_by_id(ada.id).public_key[::-1],
    ).execute()  # fmt: skip
    mallory = Adviser.get(Adviser.username == "mallory")
    report = submit(config).report
    assign(report.id, ada, "ada", config)
    keys.share_all(ada.keyring, config)
    assert not CaseKey.select().where(CaseKey.adviser == mallory.id).exists()


def test_the_roster_takes_the_recovery_key_only_once_it_is_typed(schema6, config):
    """Review finding (tests/store/test_roster_attacks.py): the roster made after the upgrade does not sign the
    recovery key the database names; typing its secret (tellus recover --check) does, on both engines."""
    url, facts = schema6
    migrations.migrate(database.obj, backup=False)
    open_database(url)
    advisers.confirm([], advisers.sign_in(*ADMIN), config)  # tellus migrate --admin ada
    assert roster.recovery_problem() == roster.RECOVERY_UNCHECKED
    waiting = submit(config).report
    assert not CaseKey.select().where((CaseKey.report == waiting.id) & (CaseKey.holder == "recovery")).exists()
    signed, cases = advisers.check_recovery(facts["recovery_secret"], advisers.sign_in(*ADMIN), config)
    assert signed and cases == Report.select().count()
    assert roster.recovery_problem() is None
    opened = keys.recovery_keys(facts["recovery_secret"])
    assert waiting.id in opened and submit(config).report.id in keys.recovery_keys(facts["recovery_secret"])
