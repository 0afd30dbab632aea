"""Schema 6 → 7: the signed roster (store/roster.py) and sealed assignments.

Three new columns, all NULL: ``adviser.roster_signature`` and
``adviser.sealed_roster_key`` (nobody has signed anyone yet), and
``report.sealed_assignment`` (no assignment sealed yet). Without keys
nothing can be signed or sealed, so until an administrator does it —
``tellus migrate --admin NAME`` does, after the steps; or later
``tellus advisers confirm --granted-by NAME`` — the install has no roster
key and trusts its rows as the previous release did.
"""

import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_operations

from . import Step


def apply(db: pw.Database, migrator: SchemaMigrator) -> list[str]:
    run_operations(
        migrator.add_column("adviser", "roster_signature", pw.BlobField(null=True)),
        migrator.add_column("adviser", "sealed_roster_key", pw.BlobField(null=True)),
        migrator.add_column("report", "sealed_assignment", pw.BlobField(null=True)),
    )
    return ["advisers can be signed into a roster, assignments sealed: three new columns, empty"]


STEP = Step(6, "a signed roster of who may receive case keys", apply)
