"""Numbered schema upgrades: what ``tellus migrate`` runs.

A database records its schema number in ``tellus_setting.schema_version``.
A fresh database is created straight from the models at the newest number
(``models.SCHEMA_VERSION``); an older one is brought up by the steps in
``STEPS``, where step N upgrades schema N to N + 1. Each step runs in one
transaction that also records the new number, so a failure or a killed
process leaves the database at the last finished step, never half-way.
Every other entry point refuses a database that needs upgrading
(``store.db.open_database``), so nothing runs against a schema it does not
know.

Adding a step: write ``step_NNN_what.py`` with a ``STEP = Step(N, "…", apply)``
whose ``apply(db, migrator)`` changes the schema and data and returns lines
saying what it did, list it below, raise ``models.SCHEMA_VERSION`` to N + 1,
and extend tests/migrations (an upgrade from the previous release's database
that compares with a fresh schema and loses nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import peewee as pw
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator

from ..errors import DatabaseError


@dataclass(frozen=True)
class Step:
    number: int  # upgrades schema ``number`` to ``number + 1``
    summary: str
    apply: Callable[..., list[str]]  # (db, migrator), or (db, migrator, config) with needs_config
    vacuum: bool = False  # rewrite the SQLite file afterwards (old content must leave free pages)
    needs_config: bool = False  # apply(db, migrator, config): the step reads the deployment's settings
    needs_admin: bool = False  # apply(..., admin=(username, password)): the step seals to an admin's key


@dataclass
class MigrationResult:
    before: int
    after: int
    done: list[tuple[Step, list[str]]] = field(default_factory=list)
    backup: str | None = None
    dry_run: bool = False


def _steps() -> Sequence[Step]:
    from . import (
        step_001_private_counts,
        step_002_languages,
        step_003_sealing,
        step_004_attachments,
        step_005_inbox_index,
        step_006_roster,
        step_007_key_rotation,
    )

    return (
        step_001_private_counts.STEP,
        step_002_languages.STEP,
        step_003_sealing.STEP,
        step_004_attachments.STEP,
        step_005_inbox_index.STEP,
        step_006_roster.STEP,
        step_007_key_rotation.STEP,
    )


def latest() -> int:
    """The schema number the steps lead to (always ``models.SCHEMA_VERSION``; a test checks)."""
    return 1 + len(_steps())


def schema_version(db: pw.Database) -> int | None:
    """The number the database records, or None when it records none."""
    if "tellus_setting" not in db.get_tables():
        return None
    row = db.execute_sql("SELECT value FROM tellus_setting WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else None
    except ValueError:
        return None


def _recorded_version(db: pw.Database) -> int:
    version = schema_version(db)
    if version is None:
        raise DatabaseError("This database is not a Tellus database (no schema version).")
    return version


def pending(db: pw.Database, steps: Sequence[Step] | None = None) -> list[Step]:
    version = _recorded_version(db)
    return [step for step in (steps or _steps()) if step.number >= version]


def needs_upgrade_message(version: int, target: int) -> str:
    """The one sentence every entry point gives for an old database."""
    return (
        f"This database uses schema {version} and this Tellus needs schema {target}: "
        f"run `tellus migrate` to upgrade it (it backs up an SQLite file first)."
    )


def migrate(
    db: pw.Database,
    *,
    dry_run: bool = False,
    backup: bool = True,
    progress: Callable[[str], None] = lambda line: None,
    steps: Sequence[Step] | None = None,
    config: object = None,
    admin: tuple[str, str] | None = None,
) -> MigrationResult:
    """Apply every pending step, one transaction each. ``progress`` hears each line as it happens.

    With ``dry_run`` each step runs and is rolled back: it proves the steps
    apply to this very database, and changes nothing. On SQLite a consistent
    copy is written beside the file first unless ``backup`` is False.
    ``config`` is the deployment's (for steps that need it; None: the defaults).
    ``admin`` is (username, password) of the administrator a sealing step seals to.
    """
    steps = list(steps or _steps())
    todo = pending(db, steps)
    before = _recorded_version(db)
    result = MigrationResult(before=before, after=before, dry_run=dry_run)
    if not todo:
        return result
    if backup and not dry_run and isinstance(db, pw.SqliteDatabase):
        result.backup = backup_copy(db, before)
        progress(f"Backed up schema {before} to {result.backup}")
    migrator = SchemaMigrator.from_database(db)
    if dry_run:
        # All steps inside one transaction that is then rolled back: each step
        # sees the ones before it, and nothing is kept.
        with _foreign_keys_off(db), db.atomic() as outer:
            for step in todo:
                _record(result, step, _run_step(db, migrator, step, config, admin), progress, "Would upgrade")
            outer.rollback()
        return result
    for step in todo:
        _record(result, step, _run_step(db, migrator, step, config, admin), progress, "Upgraded")
    result.after = schema_version(db) or before  # another process may have done some of the steps
    if isinstance(db, pw.SqliteDatabase):
        if any(step.vacuum for step, _ in result.done):
            db.execute_sql("VACUUM")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return result


def _record(
    result: MigrationResult, step: Step, lines: list[str] | None, progress: Callable[[str], None], verb: str
) -> None:
    if lines is None:  # another process did this step meanwhile
        return
    result.done.append((step, lines))
    result.after = step.number + 1
    progress(f"{verb} schema {step.number} → {step.number + 1}: {step.summary}")
    for line in lines:
        progress(f"  {line}")


@contextmanager
def _foreign_keys_off(db: pw.Database) -> Iterator[None]:
    """SQLite checks foreign keys per statement; a table rebuild needs them off (only settable outside a transaction)."""
    if isinstance(db, pw.SqliteDatabase):
        db.pragma("foreign_keys", 0)
    try:
        yield
    finally:
        if isinstance(db, pw.SqliteDatabase):
            db.pragma("foreign_keys", 1)


def _run_step(
    db: pw.Database,
    migrator: SchemaMigrator,
    step: Step,
    config: object = None,
    admin: tuple[str, str] | None = None,
) -> list[str] | None:
    """One step in one transaction (a savepoint inside a dry run's); None if it was already done."""
    with _foreign_keys_off(db), db.atomic():
        if isinstance(migrator, PostgresqlMigrator):
            # Two `tellus migrate` at once: the second waits here, then finds the step done.
            key = int.from_bytes(hashlib.sha256(b"tellus migrate").digest()[:8], "big", signed=True)
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))
        if schema_version(db) != step.number:
            return None
        if step.needs_admin:
            lines = step.apply(db, migrator, config, admin=admin)
        elif step.needs_config:
            lines = step.apply(db, migrator, config)
        else:
            lines = step.apply(db, migrator)
        if isinstance(db, pw.SqliteDatabase):
            broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(
                    f"Step {step.number} would leave {len(broken)} rows pointing at nothing; nothing was changed."
                )
        db.execute_sql(
            f"UPDATE tellus_setting SET value = {db.param} WHERE key = 'schema_version'", (str(step.number + 1),)
        )
    return lines


def backup_copy(db: pw.SqliteDatabase, version: int | None) -> str:
    """A consistent copy of the SQLite file beside it; returns its path.

    The copy keeps everything but the rate limits' counting state, which is
    worth nothing after a restore and is the one thing the anonymity model
    wants gone within its window (ARCHITECTURE.md, "Nothing identifying").
    """
    path = os.path.abspath(db.database)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    target = f"{path}.schema{version}-{stamp}.bak"
    try:
        # Made readable by its owner only *before* anything is written into it (it holds every text an
        # older schema kept in plain): VACUUM INTO fills an empty file as it finds it.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise DatabaseError(f"A backup called {target} already exists; wait a second and try again.") from None
    db.execute_sql("VACUUM INTO ?", (target,))
    copy = sqlite3.connect(target)
    try:
        tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in tables & {"throttle_event", "throttle_counter"}:
            copy.execute(f"DELETE FROM {table}")
        copy.execute("DELETE FROM tellus_setting WHERE key = 'throttle_key'")
        copy.commit()
        copy.execute("VACUUM")
    finally:
        copy.close()
    os.chmod(target, 0o600)
    return target
