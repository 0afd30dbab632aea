"""Schema 1 → 2: nothing in the file can be linked to a client address or a network log.

* Rate limits: the old per-attempt rows keyed by an HMAC whose key sat in
  ``tellus_setting`` are dropped with that key (a copy of the database could
  be searched for an address with it); the new counters know no key.
  This also folds in the tables added while schema 1 was being written
  (databases from before then lack ``throttle_event``; it is dropped if there).
* Reporter-side times are cut to the minute, as they are now written.
* Failed logins under an unknown name kept what was typed as the name (once a
  password typed into the wrong field); that text is removed.
"""

import peewee as pw
from playhouse.migrate import SchemaMigrator

from . import Step

# (table, column, rows the cut applies to): every time a reporter's action sets.
_REPORTER_TIMES = (
    ("report", "created_at", None),
    ("report", "reporter_last_seen_at", None),
    ("report", "unread_since", None),
    ("report", "last_activity_at", None),
    ("message", "created_at", "author = 'reporter'"),
    ("message", "read_at", "author = 'adviser'"),  # read by the reporter
    ("reporter_session", "created_at", None),
    ("reporter_session", "last_seen_at", None),
    ("reporter_session", "expires_at", None),
    ("form_token", "created_at", None),
    ("form_token", "used_at", None),
)


class _ThrottleCounter(pw.Model):
    """The counter table as schema 2 defines it (frozen here: later schemas may change the model)."""

    name = pw.CharField(max_length=32)
    key_hash = pw.BlobField()
    window_end = pw.BigIntegerField(index=True)
    count = pw.IntegerField()

    class Meta:
        table_name = "throttle_counter"
        primary_key = pw.CompositeKey("name", "key_hash", "window_end")


def _to_minute(db: pw.Database, column: str) -> str:
    if isinstance(db, pw.SqliteDatabase):
        # Stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        return f"substr({column}, 1, 16) || ':00'"
    return f"date_trunc('minute', {column})"


def apply(db: pw.Database, migrator: SchemaMigrator) -> list[str]:
    lines = []
    tables = set(db.get_tables())
    if "throttle_event" in tables:
        db.execute_sql("DROP TABLE throttle_event")
    db.execute_sql("DELETE FROM tellus_setting WHERE key = 'throttle_key'")
    with db.bind_ctx([_ThrottleCounter]):
        db.create_tables([_ThrottleCounter], safe=True)
    lines.append("rate-limit counts now kept without a stored key; the old counts and their key were removed")
    changed = 0
    for table, column, where in _REPORTER_TIMES:
        condition = f"{column} IS NOT NULL" + (f" AND {where}" if where else "")
        changed += db.execute_sql(f"UPDATE {table} SET {column} = {_to_minute(db, column)} WHERE {condition}").rowcount
    lines.append(f"reporter-side times cut to the minute ({changed} values)")
    scrubbed = db.execute_sql(
        "UPDATE audit_event SET adviser_name = '' WHERE action = 'login_failed' AND adviser_id IS NULL AND adviser_name <> ''"
    ).rowcount
    lines.append(f"typed names removed from {scrubbed} failed-login entries")
    return lines


STEP = Step(1, "private rate-limit counts, reporter times to the minute", apply, vacuum=True)
