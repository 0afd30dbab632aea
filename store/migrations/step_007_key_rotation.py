"""Schema 7 → 8: case keys that rotate when someone loses a case (store/keys.py ``rotate``).

Three new columns: ``report.key_generation`` (0: no case was rotated yet),
``report.reporter_key`` (NULL: the reporter's public key is not known yet; it
is written when they next sign in with their code, as no key is at hand here)
and ``report.rekey_due`` (false). Nothing is sealed or opened.
"""

import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_operations

from . import Step


def apply(db: pw.Database, migrator: SchemaMigrator) -> list[str]:
    run_operations(
        migrator.add_column("report", "key_generation", pw.IntegerField(default=0)),
        migrator.add_column("report", "reporter_key", pw.BlobField(null=True)),
        migrator.add_column("report", "rekey_due", pw.BooleanField(default=False)),
    )
    return ["case keys can be rotated: three new columns (generation 0, no reporter key yet, no rotation owed)"]


STEP = Step(7, "case keys rotate when someone loses a case", apply)
