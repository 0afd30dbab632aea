"""Opening the configured database: SQLite (default) or PostgreSQL.

``open_database`` is the one entry point. It binds the models, applies the
durability settings, creates the schema on first use and refuses databases
that are not Tellus's or come from a newer version.
"""

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

import peewee as pw

from . import migrations
from .errors import DatabaseError
from .models import ALL_MODELS, SCHEMA_VERSION, Setting, database

DEFAULT_DATABASE = "tellus.db"

# Durability and safety for SQLite (see ARCHITECTURE.md): WAL so readers never block
# the writer, FULL sync so an acknowledged write survives a crash, deleted
# content overwritten, and a generous busy timeout. Write transactions begin
# IMMEDIATE (lock_type below) so two writers queue instead of deadlocking.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "secure_delete": 1,
    "busy_timeout": 30000,
    # Each connection's page cache, in KiB: 16 MiB holds what the inbox reads at 100,000 cases
    # (SQLite's default, 2 MiB, does not: its COUNT(*) read 750 pages of an index from the file each
    # time, 8 ms, against 0.1 ms from the cache). Pages are taken as they are read, so a connection
    # that reads little keeps little; one that reads every report (patterns) keeps 16 MiB, which the
    # adviser app's memory target allows for each of its few connections (32 MiB took it 213 MB).
    "cache_size": -16384,
    # SQLite's temporary files (statement journals, sorts, VACUUM's copy) hold page images of the
    # database; by default they go to TMPDIR, unlinked but written. Kept in memory instead, no case
    # content reaches a file outside the database (tests/e2e/test_upload_serve.py watches TMPDIR).
    "temp_store": 2,  # MEMORY
}


class QueuedSqliteDatabase(pw.SqliteDatabase):
    """SQLite whose write transactions from this process's threads wait their turn on a lock of its own.

    Every transaction here begins IMMEDIATE: it takes SQLite's write lock at BEGIN. A writer that finds
    it taken waits in SQLite's busy handler, which polls in growing sleeps (1, 2, 5, 10, 15, 20, 25 ms…):
    a lock held for 4 ms cost the next writer 8, one held for 20 ms cost 33, and meanwhile nobody
    writes. Threads of one process (the web server's) queue on a Python lock instead, and the next one
    starts the moment the last commits. Nothing else changes: each still begins IMMEDIATE and commits
    with the same durability, and between processes (the web, the advisers' apps, the command line)
    SQLite's lock and busy timeout decide as before. The lock is waited for no longer than the busy
    timeout; after that BEGIN goes ahead and SQLite's own timeout has the last word, as it had.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer = threading.Lock()
        self._holds = threading.local()  # whether this thread holds ``_writer``

    def begin(self, lock_type: str | None = None) -> None:
        if not getattr(self._holds, "writer", False):
            self._holds.writer = self._writer.acquire(timeout=max(self.timeout or 0, 0))
        try:
            super().begin(lock_type)
        except BaseException:
            self._let_go()
            raise

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._let_go()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._let_go()

    def close(self) -> bool:
        try:
            return bool(super().close())
        finally:
            self._let_go()  # (a connection closed in a transaction has rolled it back)

    def _let_go(self) -> None:
        """Release the lock once this thread's transaction is over (a COMMIT that failed leaves it open)."""
        if not getattr(self._holds, "writer", False):
            return
        if not self.is_closed() and self.connection().in_transaction:
            return
        self._holds.writer = False
        self._writer.release()


def database_url(value: str | None = None) -> str:
    """The URL or path to use: argument, then $TELLUS_DATABASE, then ./tellus.db."""
    return value or os.environ.get("TELLUS_DATABASE") or DEFAULT_DATABASE


def make_database(url: str, pool: bool = False) -> pw.Database:
    """Build (but do not connect) a peewee database for ``url``.

    ``pool`` (PostgreSQL only; the web server uses it) keeps connections open
    between requests: opening a PostgreSQL connection costs a server process
    and several milliseconds, more than most of the site's requests. SQLite
    connections are cheap and are not pooled. peewee's pool checks an idle
    connection with a round trip before reuse, so one the server dropped (a
    restart, a failover) is replaced rather than failing a request.
    """
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        if parts.hostname:
            params["host"] = parts.hostname
        if parts.port:
            params["port"] = parts.port
        if parts.username:
            params["user"] = unquote(parts.username)
        if parts.password:
            params["password"] = unquote(parts.password)
        params.setdefault("connect_timeout", 10)
        name = unquote(parts.path.lstrip("/")) or "tellus"
        if pool:
            from playhouse.pool import PooledPostgresqlDatabase

            return PooledPostgresqlDatabase(name, max_connections=32, stale_timeout=300, timeout=30, **params)
        return pw.PostgresqlDatabase(name, **params)
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        path = "/" + path if url.startswith("sqlite:////") else path
    elif "://" in url:
        raise DatabaseError(
            f"Unsupported database URL {url.split('://')[0]}://; use a path, sqlite:/// or postgresql://."
        )
    else:
        path = url
    return QueuedSqliteDatabase(
        path,
        pragmas=SQLITE_PRAGMAS,
        timeout=30,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )


def open_database(
    url: str | None = None, *, create: bool = True, pool: bool = False, upgrading: bool = False
) -> pw.Database:
    """Open, bind and (on first use) initialise the database at ``url``.

    Returns the peewee database. Raises ``DatabaseError`` with one clear
    sentence when the database cannot be used — also when its schema is older
    than this code's, unless ``upgrading`` (only ``tellus migrate`` opens it so).
    """
    url = database_url(url)
    db = make_database(url, pool=pool)
    if isinstance(db, pw.SqliteDatabase) and db.database != ":memory:":
        folder = os.path.dirname(os.path.abspath(db.database))
        if not os.path.isdir(folder):
            raise DatabaseError(f"The folder {folder} for the database does not exist.")
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        _check_and_create(db, create, upgrading)
    except DatabaseError:
        db.close()
        raise
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "file is not a database" in text:
            raise DatabaseError(f"{_describe(url)} is not a Tellus database (not an SQLite file).") from None
        raise DatabaseError(f"The database {_describe(url)} cannot be opened: {text}.") from None
    except pw.OperationalError as exc:  # pragma: no cover - covered by the branch above in practice
        db.close()
        raise DatabaseError(f"The database {_describe(url)} cannot be opened: {exc}.") from None
    return db


def _describe(url: str) -> str:
    """The URL without any password, for messages."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def _check_and_create(db: pw.Database, create: bool, upgrading: bool = False) -> None:
    tables = set(db.get_tables())
    if Setting._meta.table_name not in tables:
        if tables - {"sqlite_sequence"}:
            raise DatabaseError("This database is not a Tellus database (it holds other tables).")
        if not create:
            raise DatabaseError("This database has not been set up for Tellus yet.")
        # A fresh database is made from the models at the newest schema; the
        # numbered steps in store/migrations are only for older databases.
        with db.atomic():
            db.create_tables(ALL_MODELS)
            Setting.insert_many(
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "install_salt", "value": secrets.token_hex(16)},
                ]
            ).on_conflict_ignore().execute()
        return
    version = migrations.schema_version(db)
    if version is None:
        raise DatabaseError("This database is not a Tellus database (no schema version).")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"This database was written by a newer Tellus (schema {version}; this one knows up to {SCHEMA_VERSION}). Upgrade Tellus."
        )
    if version < SCHEMA_VERSION and not upgrading:
        raise DatabaseError(migrations.needs_upgrade_message(version, SCHEMA_VERSION))


# Statements written once. peewee writes a statement's text anew from its query objects every time it
# runs one: 60–230 µs of Python (a report's INSERT, the advisers' SELECT), where SQLite then takes
# 5–20 µs to run it. The statements every submitted report runs (bench/sealing_profile.py) have their
# text written once for each kind of database and reused with the new values.
_statements: dict[tuple[type, Hashable], str] = {}


def statement(name: Hashable, build: Callable[[], pw.Query], values: int) -> str:
    """The SQL text of the query ``build()`` makes, for the open kind of database, written on first use.

    Every value of the query must be a parameter (``values`` of them, the caller's to give in the order
    the query takes them): the text must not depend on them. A query that writes one in (peewee writes
    some constants inline) is refused here rather than run with its values misplaced.
    """
    key = (type(database.obj), name)
    text = _statements.get(key)
    if text is None:
        text, params = build().sql()
        if len(params) != values:
            raise ValueError(f"statement {name!r} takes {len(params)} values, not {values}")
        _statements[key] = text
    return text


def insert_new(row: pw.Model) -> None:
    """``row.save(force_insert=True)`` for a new row whose id the database gives, with a written-once statement.

    Every field the row holds (given or by default) is inserted, converted as peewee converts it; the
    row then has its id, as after ``Model.create``.
    """
    model = type(row)
    meta = model._meta
    key = cast(pw.Field, meta.primary_key)
    if not isinstance(key, pw.AutoField):
        raise TypeError(f"insert_new is for rows whose id the database gives; {model.__name__}'s is not")
    fields = [meta.fields[name] for name in row.__data__ if name != key.name]

    def build() -> pw.Query:
        query = model.insert_many([[row.__data__[f.name] for f in fields]], fields=fields)
        return query.returning(key) if database.returning_clause else query

    text = statement(("insert", model, tuple(f.name for f in fields)), build, len(fields))
    cursor = database.execute_sql(text, [f.db_value(row.__data__[f.name]) for f in fields])
    setattr(row, key.name, cursor.fetchone()[0] if database.returning_clause else cursor.lastrowid)
    cast(Any, row)._dirty.clear()  # as save() leaves it: nothing unsaved


def get_setting(key: str, default: str | None = None) -> str | None:
    text = statement("get_setting", lambda: Setting.select(Setting.value).where(Setting.key == key), 1)
    row = database.execute_sql(text, (key,)).fetchone()
    return row[0] if row else default


def set_setting_if_absent(key: str, value: str) -> str:
    """Store ``value`` unless another process got there first; return the winner."""
    with database.atomic():
        Setting.insert(key=key, value=value).on_conflict_ignore().execute()
    winner = get_setting(key)
    return value if winner is None else winner


def required_setting(key: str) -> str:
    """A value every Tellus database has from its first opening (the install salt, say)."""
    value = get_setting(key)
    if value is None:
        raise DatabaseError(f"This database has no {key.replace('_', ' ')}; it was not set up by Tellus.")
    return value


def tuples(query: pw.BaseQuery) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` as plain tuples of its columns."""
    # cast: peewee's stubs type .tuples() as the query itself, whose rows are model instances.
    return cast(Iterator[tuple[Any, ...]], iter(query.tuples()))


def is_sqlite() -> bool:
    return isinstance(database.obj, pw.SqliteDatabase)


def locked_report(report_id: int) -> Any:
    """The report's row, read again inside the caller's write transaction and locked until it ends (None if gone).

    SQLite's write transactions begin IMMEDIATE and exclude each other already; on PostgreSQL the row lock
    makes a writer wait for another committing at the same moment (a message, a key rotation).
    """
    from .models import Report

    query = Report.select().where(Report.id == report_id)
    return (query if is_sqlite() else query.for_update()).first()
