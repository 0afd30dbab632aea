"""Schema 3 → 4 seals what people wrote: the plain text leaves the file, and nothing is half-sealed."""

import sqlite3

import pytest

from store import migrations, open_database
from store.errors import DatabaseError
from store.migrations.step_003_sealing import NEEDS_ADMIN, WRONG_ADMIN
from store.models import database

from ..helpers import sqlite_file_bytes
from . import schema1
from .test_upgrade import ADMIN


def _texts():
    for fact in schema1.FACTS["sqlite"]["reports"]:
        yield fact["description"]
        yield from (body for _author, body in fact["messages"])
        yield from fact["notes"]


def test_the_plain_text_is_in_the_old_file_and_gone_from_the_upgraded_one(tmp_path):
    path = schema1.sqlite_copy(tmp_path)
    before = sqlite_file_bytes(path)
    # Short enough to sit whole in one page of the file (a long text spans overflow pages).
    texts = [t for t in _texts() if 12 <= len(t.encode()) <= 1000]
    assert texts and all(t.encode() in before for t in texts)  # the test can fail: the old file holds them
    migrations.migrate(open_database(path, upgrading=True), backup=False, admin=ADMIN)
    database.close()
    after = sqlite_file_bytes(path)
    assert [t for t in texts if t.encode() in after] == []


@pytest.mark.parametrize("admin", [None, ("ada", "not ada's password"), ("ben", "ben's long adviser password")])
def test_sealing_needs_a_real_admin_and_a_refusal_changes_nothing(tmp_path, admin):
    path = schema1.sqlite_copy(tmp_path)
    db = open_database(path, upgrading=True)
    counts = schema1.row_counts(db)
    with pytest.raises(DatabaseError) as info:
        migrations.migrate(db, backup=False, admin=admin)
    assert str(info.value) == (NEEDS_ADMIN if admin is None else WRONG_ADMIN)
    # Steps 1 and 2 are done and kept; the sealing step left nothing behind.
    assert migrations.schema_version(db) == 3
    assert "case_key" not in db.get_tables()
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT COUNT(*) FROM report WHERE description != ''").fetchone()[0] == counts["report"]
    raw.close()
    database.close()
