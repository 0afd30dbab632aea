import datetime as dt
import sqlite3
import threading

import peewee as pw
import pytest

from store import open_database
from store.db import get_setting, insert_new, statement
from store.errors import DatabaseError
from store.models import SCHEMA_VERSION, Adviser, Setting, database


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


# Write transactions of one process's threads queue on the database's own lock (store.db.QueuedSqliteDatabase)
# rather than in SQLite's busy handler; whatever ends a transaction must pass the turn on.


def _turn_is_free(db):
    """Whether another thread could take the write turn now (asked from a thread of its own)."""
    free = []

    def ask():
        taken = db._writer.acquire(blocking=False)
        if taken:
            db._writer.release()
        free.append(taken)

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    return free[0]


def test_a_commit_a_rollback_and_an_error_each_pass_the_write_turn_on(sqlite_db):
    with sqlite_db.atomic():
        Setting.create(key="probe", value="1")
        assert not _turn_is_free(sqlite_db)
        with sqlite_db.atomic():  # a savepoint inside: the turn is kept until the outer transaction ends
            Setting.create(key="inner", value="1")
        assert not _turn_is_free(sqlite_db)
    assert _turn_is_free(sqlite_db)
    with pytest.raises(ZeroDivisionError), sqlite_db.atomic():
        Setting.create(key="lost", value="1")
        raise ZeroDivisionError
    assert _turn_is_free(sqlite_db)
    assert Setting.get_or_none(Setting.key == "lost") is None
    with sqlite_db.atomic() as transaction:  # rolled back and begun again: the turn is held again
        transaction.rollback()
        assert not _turn_is_free(sqlite_db)
    assert _turn_is_free(sqlite_db)


def test_a_begin_that_fails_passes_the_write_turn_on(sqlite_db, sqlite_url):
    other = sqlite3.connect(sqlite_url, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process, as far as this one can tell: SQLite's lock is taken
    sqlite_db.timeout = 0  # (so BEGIN fails at once instead of after the busy timeout)
    try:
        with pytest.raises(pw.OperationalError, match="locked"), sqlite_db.atomic():
            pass
        assert _turn_is_free(sqlite_db)
    finally:
        other.execute("ROLLBACK")
        other.close()
        sqlite_db.timeout = 30
    with sqlite_db.atomic():
        Setting.create(key="after", value="1")
    assert _turn_is_free(sqlite_db)


def test_threads_of_one_process_write_in_turn_and_lose_nothing(sqlite_db):
    Setting.create(key="count", value="0")

    def add(n):
        for _ in range(n):
            with sqlite_db.atomic():  # read, then write what was read plus one: lost if two overlapped
                row = Setting.get_by_id("count")
                Setting.update(value=str(int(row.value) + 1)).where(Setting.key == "count").execute()
        sqlite_db.close()

    threads = [threading.Thread(target=add, args=(25,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Setting.get_by_id("count").value == "200"
    assert _turn_is_free(sqlite_db)


# Statements written once (store.db.statement, insert_new): what submitting a report runs.


def test_insert_new_stores_a_row_as_create_does(db):
    values = dict(
        display_name="Ada",
        password_hash="!",
        is_admin=True,
        created_at=dt.datetime(2026, 3, 1, 12, 30),
        public_key=b"\x00\xff" * 16,
        key_params='{"a": 1}',
    )
    row = Adviser(username="ada", **values)
    insert_new(row)
    assert row.id is not None and not row.is_dirty()
    made = Adviser.create(username="bob", **values)
    stored, created = Adviser.get_by_id(row.id).__data__, Adviser.get_by_id(made.id).__data__
    assert {**stored, "id": 0, "username": ""} == {**created, "id": 0, "username": ""}
    assert stored["public_key"] == b"\x00\xff" * 16 and stored["active"] is True  # given, and by default


def test_insert_new_refuses_a_clash_as_peewee_does(db):
    # submit_report relies on it: a reference that clashes is tried again with another.
    at = dt.datetime(2026, 3, 1, 12)
    insert_new(Adviser(username="ada", display_name="Ada", password_hash="!", created_at=at))
    with pytest.raises(pw.IntegrityError), db.atomic():
        insert_new(Adviser(username="ada", display_name="Another Ada", password_hash="!", created_at=at))
    assert [a.display_name for a in Adviser.select()] == ["Ada"]
    with pytest.raises(TypeError):  # a key the row chooses itself would be left out: refused
        insert_new(Setting(key="probe", value="1"))


def test_a_statement_whose_text_would_hold_a_value_is_refused(db):
    # peewee writes LIMIT's number as a parameter too: the count says so, and a wrong count is refused.
    with pytest.raises(ValueError, match="takes 2 values"):
        statement("probe", lambda: Setting.select().where(Setting.key == "x").limit(1), 1)
    text = statement("probe two", lambda: Setting.select(Setting.value).where(Setting.key == "x").limit(1), 2)
    assert db.execute_sql(text, ("schema_version", 1)).fetchone()[0] == get_setting("schema_version")
