"""Schema 5 → 6: an index that gives the inbox its unread cases in order.

The inbox's first half (store/inbox.py) is the unread cases, overdue ones
first (``deadlines.overdue_clause``: no first response, not closed, due
before today), then by how long they have waited, then by id. The index on
(unread_since, first_response_at, due_on, status, id) holds every column
that order reads, so the unread cases are found and sorted from the index
alone; with only (unread_since, last_activity_at) each unread case was read
from the table first (without the status, each still was: a covering index
sorted 2,000 unread cases of 100,000 two to three times faster on SQLite).
Nothing else changes; every row is kept as it is.
"""

import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_operations

from . import Step

# As the model declares it (models.Report.Meta.indexes); the name peewee gives it.
COLUMNS = ("unread_since", "first_response_at", "due_on", "status", "id")


def apply(db: pw.Database, migrator: SchemaMigrator) -> list[str]:
    run_operations(migrator.add_index("report", COLUMNS, False))
    return ["the inbox finds its unread cases, overdue first, from a new index on report (" + ", ".join(COLUMNS) + ")"]


STEP = Step(5, "an index for the inbox's unread cases", apply)
