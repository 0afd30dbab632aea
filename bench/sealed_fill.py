"""Bulk-loading sealed cases for the benchmarks, as the services would have written them.

Every text is sealed as store/sample_data does it (one case key per report,
``casetext.seal_report`` / ``seal_preview`` / ``seal_body``), and each case key
is sealed to everyone who may read it under the rules of store/keys.py: the
admin (who may see every case) and the recovery key. The other advisers,
who are only assignees here, have no key pairs, so they hold no grants.

What makes 100,000 cases quick to build: rows go in with ``insert_many`` in
big batches with their ids chosen up front (the tables start empty), so the
sealed texts and grants need no read back; and the admin's grant carries the
case key already wrapped (``wrapped_key``), as the admin's app leaves it after
its first session, so the benchmarks measure the app as it runs every day
after that (``wrapped=False`` leaves the first session's work to the app).
The sealed boxes (~60 µs each, two per case) are most of the build.
"""

from collections.abc import Iterable
from typing import Any

from store import casetext, keys, sealing
from store.advisers import create_adviser
from store.config import Config
from store.db import get_setting
from store.models import Adviser, CaseKey, Message, Report, database
from store.reports import known_place

TEXT_FIELDS = ("description", *casetext.DETAIL_FIELDS, *casetext.CONTACT_FIELDS)
BATCH = 500


class SealedLoader:
    """Inserts plain report rows sealed; keeps each case's key (by report id) for its messages."""

    def __init__(self, admin: Adviser, config: Config, wrapped: bool = True) -> None:
        self.config = config
        self.admin_id = admin.id
        self.admin_public = bytes(admin.public_key)
        self.wrap_key = admin.keyring._wrap if wrapped else None  # the admin's app's own wrapping key
        recovery = get_setting(keys.RECOVERY_SETTING)
        self.recovery_public = bytes.fromhex(recovery) if recovery else None
        self._places: dict[str, str] = {}
        self.case_keys: dict[int, bytes] = {}
        self.references: dict[int, str] = {}
        self.next_id = 1 + (Report.select(Report.id).order_by(Report.id.desc()).limit(1).scalar() or 0)
        self.next_message = 1 + (Message.select(Message.id).order_by(Message.id.desc()).limit(1).scalar() or 0)

    def reports(self, rows: Iterable[dict[str, Any]]) -> list[int]:
        """Insert ``rows`` (Report columns plus the plain texts of TEXT_FIELDS and ``preview``); their ids."""
        ids: list[int] = []
        batch: list[dict[str, Any]] = []
        grants: list[dict[str, Any]] = []
        for row in rows:
            row = dict(row)
            texts = {name: str(row.pop(name, "") or "") for name in TEXT_FIELDS}
            preview = row.pop("preview", None)
            report_id, reference, key = self.next_id, row["reference"], sealing.new_key()
            self.next_id += 1
            sealed = casetext.seal_report(reference, key, texts)
            if preview is not None:
                sealed["sealed_preview"] = casetext.seal_preview(reference, key, preview)
            batch.append(dict(row, id=report_id, place=self._place(texts["location"]), **sealed))
            grants.append(
                dict(
                    report=report_id,
                    holder="adviser",
                    adviser=self.admin_id,
                    sealed_key=sealing.seal_to(self.admin_public, key),
                    wrapped_key=sealing.wrap(self.wrap_key, key, f"case key|{report_id}|{self.admin_id}")
                    if self.wrap_key is not None
                    else None,
                )
            )
            if self.recovery_public is not None:
                grants.append(
                    dict(
                        report=report_id,
                        holder="recovery",
                        adviser=None,
                        sealed_key=sealing.seal_to(self.recovery_public, key),
                        wrapped_key=None,
                    )
                )
            self.case_keys[report_id], self.references[report_id] = key, reference
            ids.append(report_id)
            if len(batch) >= BATCH:
                self._flush(batch, grants)
        self._flush(batch, grants)
        return ids

    def _place(self, location: str) -> str:
        # The same answer as reports.known_place gives each submission, asked once per distinct
        # spelling (it compares against every configured place: a millisecond a call).
        place = self._places.get(location)
        if place is None:
            place = self._places[location] = known_place(location, self.config)
        return place

    def _flush(self, batch: list[dict[str, Any]], grants: list[dict[str, Any]]) -> None:
        if batch:
            with database.atomic():
                insert(Report, batch)
                insert(CaseKey, grants)
        batch.clear()
        grants.clear()

    def messages(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert messages (Message columns plus plain ``body``), sealed and bound to the ids they get."""
        batch: list[dict[str, Any]] = []
        done = 0
        for row in rows:
            row = dict(row)
            report_id, body = row["report"], row.pop("body")
            number, self.next_message = self.next_message, self.next_message + 1
            row["id"] = number
            row["sealed_body"] = casetext.seal_body(
                self.references[report_id],
                self.case_keys[report_id],
                "message",
                number,
                row["author"],
                body,
                adviser_id=row.get("adviser") if row["author"] == "adviser" else None,
            )
            batch.append(row)
            if len(batch) >= BATCH * 4:
                with database.atomic():
                    insert(Message, batch)
                done += len(batch)
                batch = []
        if batch:
            with database.atomic():
                insert(Message, batch)
            done += len(batch)
        return done


def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """``model.insert_many(rows)`` without peewee building the statement: for batches of hundreds of
    rows, building it took longer than SQLite took to store them. Values pass through each field's
    ``db_value``, as peewee would pass them; the rows must all have the same keys; fields they leave out take their defaults."""
    if not rows:
        return
    given = set(rows[0])
    fields = [f for f in model._meta.sorted_fields if f.name in given or f.default is not None]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join([database.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields if f.name not in given}
    values = [tuple(field.db_value(row.get(field.name, defaults.get(field.name))) for field in fields) for row in rows]
    database.cursor().executemany(sql, values)


def bench_admin(username: str, password: str, config: Config) -> Adviser:
    """The admin the benchmarks sign in as, created as the CLI creates one (key pair, recovery key)."""
    admin = create_adviser(username, password, "Bench Admin", is_admin=True, config=config)
    assert admin.keyring is not None
    return admin


def analyse() -> None:
    if database.obj.__class__.__name__ == "PostgresqlDatabase":  # ids were chosen here, not by the sequences
        for model in (Report, CaseKey, Message):
            table = model._meta.table_name
            database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        # As autovacuum leaves a table that has been in use a while: without the visibility map,
        # every count reads the whole table's heap instead of an index.
        database.execute_sql("VACUUM ANALYZE")
        return
    database.execute_sql("ANALYZE")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
