"""Schema 2 → 3: old reports get a language and their category by key, on both engines."""

import pytest

from store import migrations, open_database
from store.config import config_from_mapping
from store.inbox import inbox
from store.models import Report, database
from store.stats import compute_statistics

from . import schema1


@pytest.fixture(params=["sqlite", "postgresql"])
def old_url(request, tmp_path):
    if request.param == "sqlite":
        url = schema1.sqlite_copy(tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        schema1.load_postgres(url)
    yield url
    if database.obj is not None and not database.is_closed():
        database.close()


def relabel(db, old, new):
    """Give one old report a label of another era (as a site whose categories changed would have)."""
    db.execute_sql(
        f"UPDATE report SET category = {db.param} WHERE id = (SELECT MIN(id) FROM report WHERE category = {db.param})",
        (new, old),
    )


def test_labels_become_keys_and_unknown_labels_stay_as_their_own_key(old_url):
    db = open_database(old_url, upgrading=True)
    relabel(db, "Wellbeing concern", "Parking")  # no configuration has it
    labels_before = dict(db.execute_sql("SELECT reference, category FROM report").fetchall())
    result = migrations.migrate(db, backup=False)
    assert result.after == migrations.latest()
    after = dict(db.execute_sql("SELECT reference, category FROM report").fetchall())
    expected = {
        "Assault": "assault",
        "Bullying": "bullying",
        "Harassment": "harassment",
        "Parking": "Parking",
        "Hate incident or discrimination": "hate-incident-or-discrimination",
        "Something else / not sure": "something-else-not-sure",
    }
    assert after == {ref: expected[label] for ref, label in labels_before.items()}
    assert {lang for (lang,) in db.execute_sql("SELECT DISTINCT language FROM report").fetchall()} == {"en"}
    assert db.execute_sql("SELECT note_translations FROM closure").fetchall() == [("{}",)]


def test_a_configured_table_of_categories_decides_the_keys(old_url):
    config = config_from_mapping(
        {
            "categories": {"bully": "Bullying", "harass": "Harassment", "other": "Other"},
            "texts": {"cy": {"categories": {"bully": "Bwlio"}}},
        }
    )
    db = open_database(old_url, upgrading=True)
    relabel(db, "Assault", "Bwlio")  # a label in Welsh names its key too
    migrations.migrate(db, backup=False, config=config)
    open_database(old_url)
    categories = sorted(r.category for r in Report.select())
    # Labels that are no longer configured but were built-in defaults take the default's key.
    assert categories == [
        "bully",
        "bully",
        "harass",
        "hate-incident-or-discrimination",
        "something-else-not-sure",
        "wellbeing-concern",
    ]


def test_after_the_upgrade_statistics_and_the_inbox_show_labels(old_url, config):
    db = open_database(old_url, upgrading=True)
    relabel(db, "Wellbeing concern", "Parking")
    migrations.migrate(db, backup=False)
    open_database(old_url)
    result = compute_statistics(config)
    table = next(t for t in result.tables if t.title == "By category")
    shown = {row[0] for row in table.rows}
    assert {"Assault", "Bullying", "Harassment", "Parking"} <= shown
    assert not shown & {"assault", "bullying"}
    rows = inbox(config).rows
    assert {row.category for row in rows} >= {"Assault", "Parking"}
    assert (
        [r.reference for r in inbox(config, category="assault").rows]
        == [r.reference for r in inbox(config, category="Assault").rows]
        != []
    )
