"""Schema 7 → 8: key rotation's columns arrive at their defaults, nothing is lost, and an old two-way case
keeps its reporter through a rotation — their code still opens everything, before and after they sign in."""

import pytest

from store import Config, advisers, migrations, open_database, rotation, sessions
from store.cases import assign
from store.conversation import post_reporter_message, thread
from store.models import CaseKey, Report, database
from store.reports import open_conversation_by_code

from . import schema1
from .test_upgrade import ADMIN


@pytest.fixture(params=["sqlite", "postgresql"])
def schema7(request, tmp_path, monkeypatch):
    """A database as the previous release leaves it: schema 1 upgraded by that release's six steps."""
    url = schema1.upgraded_by_earlier_steps(request, tmp_path, monkeypatch, ADMIN, 7)
    yield url, schema1.FACTS[request.param]
    if database.obj is not None and not database.is_closed():
        database.close()


def test_the_step_adds_columns_at_their_defaults_and_loses_nothing(schema7):
    _url, _facts = schema7
    db = database.obj
    before = schema1.row_counts(db)
    cases = db.execute_sql(
        "SELECT id, reference, code_hash, code_key, sealed_description, sealed_preview, assignee_id FROM report "
        "ORDER BY id"
    ).fetchall()
    grants = db.execute_sql("SELECT report_id, holder, adviser_id, sealed_key FROM case_key ORDER BY id").fetchall()
    result = migrations.migrate(db, backup=False)
    assert (result.before, result.after) == (7, 8)
    assert schema1.row_counts(db) == before
    assert (
        db.execute_sql(
            "SELECT id, reference, code_hash, code_key, sealed_description, sealed_preview, assignee_id FROM report "
            "ORDER BY id"
        ).fetchall()
        == cases
    )
    assert db.execute_sql("SELECT report_id, holder, adviser_id, sealed_key FROM case_key ORDER BY id").fetchall() == (
        grants
    )
    assert db.execute_sql(
        "SELECT COUNT(*) FROM report WHERE key_generation = 0 AND reporter_key IS NULL AND NOT rekey_due"
    ).fetchone()[0] == len(cases)


def test_an_old_two_way_case_rotated_after_the_upgrade_keeps_its_reporter(schema7):
    url, facts = schema7
    config = Config(advisers_see_unassigned=False)  # an unassigned case is admins' only: unassigning revokes
    migrations.migrate(database.obj, backup=False)
    open_database(url)
    ada = advisers.sign_in(*ADMIN)
    advisers.confirm([], ada, config)  # the roster, as `tellus migrate --admin` makes it
    advisers.create_adviser("bryn", "bryn's long adviser password", keyring=ada.keyring, config=config)
    fact = next(f for f in facts["reports"] if f["code"] and f["messages"])
    report = Report.get(Report.reference == fact["reference"])
    assign(report.id, ada, "bryn", config)
    assign(report.id, ada, None, config)  # bryn loses it: rotated before the reporter has a key of their own
    assert Report.get_by_id(report.id).key_generation == 1
    assert CaseKey.select().where((CaseKey.report == report.id) & (CaseKey.holder == rotation.REPORTER_LEGACY))
    # The reporter signs in with the code they were given before the upgrade: everything opens, their key is
    # written, and the case is rotated once more so that what they write next is sealed to them properly.
    found = open_conversation_by_code(fact["code"], config)
    assert Report.get_by_id(report.id).key_generation == 2
    token = sessions.create_session(found)
    old = [(author, body) for author, body in fact["messages"]]
    assert [(i.author, i.body) for i in thread(report.id, key=sessions.case_key(token))] == old
    post_reporter_message(report.id, "Written after the upgrade", case_key=sessions.case_key(token))
    seen = [i.body for i in thread(report.id, key=ada.keyring.current_key(Report.get_by_id(report.id)))]
    assert seen == [body for _author, body in old] + ["Written after the upgrade"]
