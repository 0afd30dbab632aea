"""Schema 5 → 6: a database as the schema-5 release leaves it gains the inbox's index and loses nothing.

The schema-5 database is the schema-1 release's (make_schema1.py) brought to
schema 5 by that release's own steps, as every deployment of it was; step 5
then runs as ``tellus migrate`` runs it.
"""

import datetime as dt

import pytest

from store import migrations, open_database
from store.config import Config
from store.inbox import inbox
from store.migrations.step_005_inbox_index import COLUMNS
from store.models import SCHEMA_VERSION, database

from . import schema1
from .test_upgrade import ADMIN, fresh_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def schema5_database(request, tmp_path):
    """The URL of a database at schema 5, as the schema-5 release's `tellus migrate` left it."""
    if request.param == "sqlite":
        url = schema1.sqlite_copy(tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        schema1.load_postgres(url)
    db = open_database(url, upgrading=True)
    migrations.migrate(db, backup=False, admin=ADMIN, steps=[s for s in migrations._steps() if s.number < 5])
    assert migrations.schema_version(db) == 5
    yield url
    if database.obj is not None and not database.is_closed():
        database.close()


def _everything(db):
    """Every row of every table, in a stable order (blobs as bytes)."""
    content = {}
    for table in sorted(t for t in db.get_tables() if t != "sqlite_sequence"):
        rows = db.execute_sql(f"SELECT * FROM {table}").fetchall()
        content[table] = sorted(
            (tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows), key=repr
        )
    return content


def _inbox_ids(admin_id):
    from store.advisers import sign_in

    ada = sign_in(*ADMIN)
    assert ada.id == admin_id
    now = dt.datetime(2026, 12, 1, 12)
    page = inbox(Config(), adviser=ada, limit=500, now=now)
    return [row.id for row in page.rows], [row.preview for row in page.rows]


def test_schema5_gains_the_inbox_index_and_keeps_every_row(schema5_database, tmp_path):
    url = schema5_database
    db = database.obj
    indexes_before = {tuple(i.columns) for i in db.get_indexes("report")}
    assert COLUMNS not in indexes_before
    admin_id = db.execute_sql(f"SELECT id FROM adviser WHERE username = {db.param}", (ADMIN[0],)).fetchone()[0]
    before = _everything(db)

    result = migrations.migrate(db, backup=False, steps=[s for s in migrations._steps() if s.number <= 5])
    assert (result.before, result.after) == (5, 6)
    assert [step.number for step, _lines in result.done] == [5]
    assert COLUMNS in {tuple(i.columns) for i in db.get_indexes("report")}
    # Nothing lost or changed: every row of every table, the schema number apart.
    after = _everything(db)
    version_row = ("schema_version", "6")
    assert version_row in after["tellus_setting"]
    after["tellus_setting"] = [r for r in after["tellus_setting"] if r[0] != "schema_version"]
    before["tellus_setting"] = [r for r in before["tellus_setting"] if r[0] != "schema_version"]
    assert after == before
    migrations.migrate(db, backup=False)  # the later steps, to compare with a fresh database
    assert migrations.schema_version(db) == SCHEMA_VERSION
    assert schema1.schema_of(db) == fresh_schema(tmp_path, url)
    db.close()

    db = open_database(url)  # accepted as it is now; the inbox's order is the same with the index as without it
    with_index = _inbox_ids(admin_id)
    assert len(with_index[0]) == schema1.row_counts(db)["report"]
    (name,) = [i.name for i in db.get_indexes("report") if tuple(i.columns) == COLUMNS]
    db.execute_sql(f"DROP INDEX {name}")
    assert _inbox_ids(admin_id) == with_index


def test_a_dry_run_of_step_5_changes_nothing(schema5_database):
    db = database.obj
    before = _everything(db)
    result = migrations.migrate(db, dry_run=True)
    assert result.done and result.done[0][0].number == 5
    assert migrations.schema_version(db) == 5
    assert COLUMNS not in {tuple(i.columns) for i in db.get_indexes("report")}
    assert _everything(db) == before
