import sqlite3

import pytest

from store import open_database
from store.errors import DatabaseError
from store.models import SCHEMA_VERSION, Setting, database


def test_sqlite_is_set_up_for_durability(sqlite_db):
    def pragma(name):
        return sqlite_db.execute_sql(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2
    assert pragma("foreign_keys") == 1
    assert pragma("secure_delete") == 1
    assert pragma("busy_timeout") >= 5000
    # What the inbox reads at 100,000 cases fits in each connection's page cache.
    assert pragma("cache_size") == -16384


def test_write_transactions_begin_immediate(sqlite_db, sqlite_url):
    # While one connection holds a write transaction, another cannot even
    # begin one: proof that atomic() takes the write lock up front.
    with sqlite_db.atomic():
        Setting.create(key="probe", value="1")
        other = sqlite3.connect(sqlite_url, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_schema_version_is_recorded(db):
    assert Setting.get_by_id("schema_version").value == str(SCHEMA_VERSION)
    assert len(bytes.fromhex(Setting.get_by_id("install_salt").value)) == 16


def test_reopening_keeps_the_install_salt(sqlite_url):
    open_database(sqlite_url)
    salt = Setting.get_by_id("install_salt").value
    database.close()
    open_database(f"sqlite:///{sqlite_url}")
    assert Setting.get_by_id("install_salt").value == salt
    database.close()


def test_a_newer_schema_is_refused(sqlite_url):
    open_database(sqlite_url)
    Setting.update(value=str(SCHEMA_VERSION + 1)).where(Setting.key == "schema_version").execute()
    database.close()
    with pytest.raises(DatabaseError, match="newer Tellus"):
        open_database(sqlite_url)


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a Tellus database"):
        open_database(str(path))
    tables = sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert tables == [("invoices",)]


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("dear diary " * 200)
    with pytest.raises(DatabaseError, match="not a Tellus database"):
        open_database(str(path))


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(str(tmp_path / "nowhere" / "tellus.db"))


def test_an_unknown_scheme_is_a_clear_error():
    with pytest.raises(DatabaseError, match="Unsupported database URL"):
        open_database("mysql://localhost/tellus")


def test_an_unreachable_postgres_server_is_a_clear_error():
    with pytest.raises(DatabaseError, match="cannot be opened") as info:
        open_database("postgresql://secretuser:hunter2@127.0.0.1:1/tellus?connect_timeout=2")
    assert "hunter2" not in str(info.value)
