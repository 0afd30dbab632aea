"""Schema 2 → 3: reports remember their language and keep their category by key; closure notes in more languages.

* ``report.language`` (the site's language the reporter wrote in): every
  existing report was written on the English-only site, so ``'en'``.
* ``report.category`` held the English label; it now holds the category's
  stable key (store.config), so reports in any language count together. A
  label the configuration knows (in any language, or a built-in default) becomes
  its key; a label it does not know (a category removed since) is kept as it
  is, as a key of its own, which is then also its label wherever it is shown.
* ``closure.note_translations``: the note in the site's other languages, none yet.
"""

import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as run_operations

from ..config import DEFAULT_CATEGORIES, Config
from . import Step


def apply(db: pw.Database, migrator: SchemaMigrator, config: Config | None = None) -> list[str]:
    config = config or Config()
    run_operations(
        migrator.add_column("report", "language", pw.CharField(max_length=8, default="en")),
        migrator.add_column("closure", "note_translations", pw.TextField(default="{}")),
    )
    lines = ["reports remember their language (existing ones: English); closure notes can have translations"]
    labels = [label for (label,) in db.execute_sql("SELECT DISTINCT category FROM report").fetchall()]
    mapped = kept = 0
    for label in labels:
        key = config.category_key(label) or _default_key(label)
        if key is None or key == label:
            kept += 1
            continue
        mapped += db.execute_sql(
            f"UPDATE report SET category = {db.param} WHERE category = {db.param}", (key, label)
        ).rowcount
    lines.append(
        f"categories stored by key: {mapped} reports changed; {kept} labels kept as they were "
        f"(already a key, or not in the configuration)"
    )
    return lines


def _default_key(label: str) -> str | None:
    """A built-in default label's key, for a site that has configured other categories since."""
    return next((key for key, english in DEFAULT_CATEGORIES.items() if english == label), None)


STEP = Step(2, "reports remember their language and keep their category by key", apply, needs_config=True)
