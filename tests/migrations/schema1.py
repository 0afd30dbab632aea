"""The schema-1 release's databases (made by make_schema1.py with that release's code) and how to compare schemas."""

import json
import pathlib
import shutil
from urllib.parse import parse_qs, unquote, urlsplit

DATA = pathlib.Path(__file__).resolve().parent / "data"
FACTS = json.loads((DATA / "schema1.json").read_text(encoding="utf-8"))
DUMP_SCHEMA = "tellus_schema1"


def sqlite_copy(tmp_path):
    """A private copy of the schema-1 SQLite file; returns its path."""
    path = tmp_path / "schema1.db"
    shutil.copyfile(DATA / "schema1.sqlite", path)
    return str(path)


def search_path(url):
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    return unquote(options).split("search_path=", 1)[1]


def load_postgres(url):
    """Load the schema-1 dump into the private schema that ``url``'s search_path names."""
    import psycopg

    schema = search_path(url)
    statements = []
    for line in (DATA / "schema1.pg.sql").read_text(encoding="utf-8").splitlines():
        if line.startswith(("\\", f"CREATE SCHEMA {DUMP_SCHEMA}")):
            continue  # psql meta-commands; the test's schema exists already
        statements.append(line.replace(f"{DUMP_SCHEMA}.", f"{schema}."))
    base = url.split("?", 1)[0]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("\n".join(statements))


def schema_of(db):
    """Tables, columns (name, type, null, primary key), indexes and foreign keys, order-free."""
    shape = {}
    for table in sorted(t for t in db.get_tables() if t != "sqlite_sequence"):
        columns = sorted((c.name, c.data_type.upper(), c.null, c.primary_key) for c in db.get_columns(table))
        indexes = sorted((tuple(i.columns), i.unique) for i in db.get_indexes(table))
        keys = sorted((k.column, k.dest_table, k.dest_column) for k in db.get_foreign_keys(table))
        shape[table] = {"columns": columns, "indexes": indexes, "foreign_keys": keys}
    return shape


def row_counts(db):
    return {
        t: db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in db.get_tables() if t != "sqlite_sequence"
    }


def upgraded_by_earlier_steps(request, tmp_path, monkeypatch, admin, up_to, progress=None):
    """A database as an earlier release left it: the schema-1 database (on the engine ``request.param`` names)
    upgraded by the steps before ``up_to``, sealed to ``admin``; returns its URL, the database open."""
    from store import migrations, open_database

    if request.param == "sqlite":
        url = sqlite_copy(tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        load_postgres(url)
        monkeypatch.setenv("TELLUS_ROSTER_KEY", str(tmp_path / "roster-key"))
    db = open_database(url, upgrading=True)
    previous = [step for step in migrations._steps() if step.number < up_to]
    heard = {"progress": progress} if progress is not None else {}
    assert migrations.migrate(db, backup=False, admin=admin, steps=previous, **heard).after == up_to
    return url
