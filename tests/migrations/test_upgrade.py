"""`tellus migrate`: a database written by the schema-1 release is upgraded and loses nothing.

The starting databases were written by the schema-1 release's own code
(make_schema1.py); the upgraded schema must equal a fresh one exactly.
"""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

from store import casetext, migrations, open_database
from store.conversation import thread
from store.errors import DatabaseError
from store.models import SCHEMA_VERSION, database
from store.reports import open_conversation_by_code

from ..web.support import log_in, text_of, web
from . import schema1

TELLUS = [sys.executable, "-m", "tellus"]
# The schema-1 databases' administrator: the sealing step (3 → 4) seals every case to them.
ADMIN = ("ada", "ada's long admin password")


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    """(url, facts) of a schema-1 database on each engine."""
    if request.param == "sqlite":
        url = schema1.sqlite_copy(tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        schema1.load_postgres(url)
    yield url, schema1.FACTS[request.param]
    if database.obj is not None and not database.is_closed():
        database.close()


def fresh_schema(tmp_path, engine_url):
    if engine_url.startswith("postgresql"):
        import psycopg

        schema = "fresh_" + os.urandom(5).hex()
        base = engine_url.split("?", 1)[0]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            db = open_database(f"{base}?options=-csearch_path%3D{schema}")
            shape = schema1.schema_of(db)
            db.close()
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
        return shape
    db = open_database(str(tmp_path / "fresh.db"))
    shape = schema1.schema_of(db)
    db.close()
    return shape


def test_the_steps_lead_to_the_schema_the_models_describe():
    assert migrations.latest() == SCHEMA_VERSION


def test_an_old_database_is_refused_with_one_sentence_naming_migrate(old_database):
    url, _ = old_database
    with pytest.raises(DatabaseError, match="run `tellus migrate`") as info:
        open_database(url)
    assert "schema 1" in str(info.value)
    assert migrations.schema_version(database.obj) == 1  # nothing was touched


def run_tellus(*args, timeout=60, **kwargs):
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.run([*TELLUS, *args], capture_output=True, text=True, timeout=timeout, env=env, **kwargs)


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["advisers", "list"],
        ["purge", "--dry-run"],
        ["web", "--port", "0"],
        ["adviser"],
        ["notify", "--once"],
        ["audit", "--csv"],
    ],
)
def test_every_other_command_refuses_an_old_sqlite_file(tmp_path, command):
    path = schema1.sqlite_copy(tmp_path)
    before = open(path, "rb").read()
    result = run_tellus(*command, "--database", path, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "run `tellus migrate`" in lines[0], result.stderr
    assert open(path, "rb").read() == before


def test_upgrade_keeps_everything_and_matches_a_fresh_schema(old_database, tmp_path, config):
    url, facts = old_database
    db = open_database(url, upgrading=True)
    counts_before = schema1.row_counts(db)
    settings_before = dict(db.execute_sql("SELECT key, value FROM tellus_setting").fetchall())
    result = migrations.migrate(db, backup=False, admin=ADMIN)
    assert (result.before, result.after) == (1, SCHEMA_VERSION)
    shape = schema1.schema_of(db)
    counts_after = schema1.row_counts(db)
    settings_after = dict(db.execute_sql("SELECT key, value FROM tellus_setting").fetchall())
    db.close()
    assert shape == fresh_schema(tmp_path, url)
    # Everything is kept but the rate limits' counting state (rows and key), which must go.
    # Reporter sessions end (their tokens are not there to seal their keys with); case keys are new.
    dropped = {"throttle_event", "throttle_counter", "tellus_setting", "reporter_session", "case_key"}
    added = {"attachment", "attachment_chunk"}  # tables of later schemas, empty after the upgrade
    assert {t: counts_after[t] for t in added} == dict.fromkeys(added, 0)
    dropped |= added
    assert {t: n for t, n in counts_after.items() if t not in dropped} == {
        t: n for t, n in counts_before.items() if t not in dropped
    }
    assert counts_after["reporter_session"] == 0
    # Each case sealed to the admin and to the recovery key.
    assert counts_after["case_key"] == 2 * counts_before["report"]
    assert "throttle_key" in settings_before
    del settings_before["throttle_key"], settings_before["schema_version"], settings_after["schema_version"]
    assert len(settings_after.pop("recovery_public_key")) == 64
    assert settings_after == settings_before

    open_database(url)  # now accepted as it is
    for fact in facts["reports"]:
        if not fact["code"]:
            continue
        report = open_conversation_by_code(fact["code"])
        assert report.reference == fact["reference"]
        assert casetext.open_report(report, report.case_key).description == fact["description"]
        items = thread(report.id, include_notes=True, key=report.case_key)
        assert [[i.author, i.body] for i in items if i.kind == "message"] == fact["messages"]
        assert [i.body for i in items if i.kind == "note"] == fact["notes"]

    from store import advisers, closures

    for name, password in facts["advisers"].items():
        assert advisers.authenticate(name, password).username == name
    # The admin's own keys open every case, the words included.
    ada = advisers.sign_in(*ADMIN)
    for fact in facts["reports"]:
        report_id = database.execute_sql(
            f"SELECT id FROM report WHERE reference = {database.obj.param}", (fact["reference"],)
        ).fetchone()[0]
        key = ada.keyring.case_key(report_id)
        items = thread(report_id, include_notes=True, key=key)
        assert [[i.author, i.body] for i in items if i.kind == "message"] == fact["messages"]
    assert [(c.start, c.end, c.note) for c in closures.list_closures()] == [
        (dt.date(2026, 12, 21), dt.date(2027, 1, 1), "Winter break")
    ]


def test_the_reporter_of_an_old_case_gets_in_with_the_old_code_and_reads_the_thread(tmp_path, config):
    path = schema1.sqlite_copy(tmp_path)
    migrations.migrate(open_database(path, upgrading=True), backup=False, admin=ADMIN)
    fact = schema1.FACTS["sqlite"]["reports"][1]
    app = web(config)
    log_in(app, fact["code"])
    page = text_of(app.get("/conversation"))
    for _author, body in fact["messages"]:
        assert " ".join(body.split()) in page


def test_reporter_times_are_cut_to_the_minute(tmp_path):
    path = schema1.sqlite_copy(tmp_path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT COUNT(*) FROM report WHERE created_at NOT LIKE '%:00'").fetchone()[0] > 0
    raw.close()
    migrations.migrate(open_database(path, upgrading=True), backup=False, admin=ADMIN)
    database.close()
    raw = sqlite3.connect(path)
    for table, column, where in (
        ("report", "created_at", "1"),
        ("message", "created_at", "author = 'reporter'"),
        ("report", "unread_since", "unread_since IS NOT NULL"),
    ):
        values = [v for (v,) in raw.execute(f"SELECT {column} FROM {table} WHERE {where}")]
        assert values and all(v.endswith(":00") and len(v) == 19 for v in values), values
    raw.close()


def test_migrate_command_backs_up_then_upgrades_then_has_nothing_to_do(tmp_path):
    path = schema1.sqlite_copy(tmp_path)
    first = run_tellus("migrate", "--database", path, "--admin", ADMIN[0], "--password-stdin", input=ADMIN[1] + "\n")
    assert first.returncode == 0, first.stderr
    assert f"now at schema {SCHEMA_VERSION}" in first.stdout
    backups = [p for p in os.listdir(tmp_path) if p.startswith("schema1.db.schema1-") and p.endswith(".bak")]
    assert len(backups) == 1 and str(tmp_path / backups[0]) in first.stdout
    copy = sqlite3.connect(tmp_path / backups[0])
    assert copy.execute("SELECT value FROM tellus_setting WHERE key = 'schema_version'").fetchone() == ("1",)
    assert copy.execute("SELECT COUNT(*) FROM report").fetchone()[0] == len(schema1.FACTS["sqlite"]["reports"])
    # The copy keeps no rate-limit counting state (the one thing that could point at an address).
    assert copy.execute("SELECT COUNT(*) FROM throttle_event").fetchone()[0] == 0
    assert copy.execute("SELECT COUNT(*) FROM tellus_setting WHERE key = 'throttle_key'").fetchone()[0] == 0
    copy.close()
    assert oct(os.stat(tmp_path / backups[0]).st_mode)[-3:] == "600"
    again = run_tellus("migrate", "--database", path)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert run_tellus("stats", "--database", path).returncode == 0


def test_dry_run_changes_nothing(old_database):
    url, _ = old_database
    db = open_database(url, upgrading=True)
    counts = schema1.row_counts(db)
    shape = schema1.schema_of(db)
    result = migrations.migrate(db, dry_run=True, admin=ADMIN)
    assert result.dry_run and result.done and result.backup is None
    assert migrations.schema_version(db) == 1
    assert schema1.row_counts(db) == counts
    assert schema1.schema_of(db) == shape


def test_migrate_no_backup_writes_no_copy(tmp_path):
    path = schema1.sqlite_copy(tmp_path)
    result = run_tellus(
        "migrate", "--no-backup", "--database", path, "--admin", ADMIN[0], "--password-stdin", input=ADMIN[1] + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert [p for p in os.listdir(tmp_path) if p.endswith(".bak")] == []


def test_a_failing_step_leaves_the_database_at_the_last_finished_step(db):
    database.execute_sql("UPDATE tellus_setting SET value = '100' WHERE key = 'schema_version'")

    def good(db_, migrator):
        db_.execute_sql("CREATE TABLE step_one (id INTEGER PRIMARY KEY)")
        return ["made step_one"]

    def bad(db_, migrator):
        db_.execute_sql("CREATE TABLE step_two (id INTEGER PRIMARY KEY)")
        db_.execute_sql("DELETE FROM report")
        raise RuntimeError("the disk is full")

    steps = [migrations.Step(100, "one", good), migrations.Step(101, "two", bad)]
    with pytest.raises(RuntimeError):
        migrations.migrate(database.obj, steps=steps, backup=False)
    assert migrations.schema_version(database.obj) == 101
    tables = set(database.get_tables())
    assert "step_one" in tables and "step_two" not in tables


def test_two_migrations_at_once_do_each_step_once(old_database):
    url, _ = old_database
    outcomes = []

    def run():
        outcomes.append(
            run_tellus(
                "migrate",
                "--no-backup",
                "--database",
                url,
                "--admin",
                ADMIN[0],
                "--password-stdin",
                input=ADMIN[1] + "\n",
                timeout=120,
            )
        )

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(o.returncode == 0 for o in outcomes), [o.stderr for o in outcomes]
    upgraded = sum(o.stdout.count("Upgraded schema 1 →") for o in outcomes)
    assert upgraded == 1, [o.stdout for o in outcomes]
    db = open_database(url)
    assert migrations.schema_version(db) == SCHEMA_VERSION


def test_the_upgrade_seals_each_reply_and_note_naming_its_adviser(old_database):
    """Written by the schema-1 release, sealed by the upgrade: moved to another adviser's name, a reply or note
    no longer opens (before issue 12's fix the seal named the side only, and it opened under any name)."""
    from store import advisers
    from store.conversation import bind_authors
    from store.models import Adviser, Message, Note, Report

    url, facts = old_database
    migrations.migrate(open_database(url, upgrading=True), backup=False, admin=ADMIN)
    ada = advisers.sign_in(*ADMIN)
    key_of = {r.id: ada.keyring.case_key(r.id) for r in Report.select()}

    def adviser_items():
        return sorted(
            (i.kind, i.adviser_name, i.body)
            for report_id, key in key_of.items()
            for i in thread(report_id, include_notes=True, key=key)
            if i.author == "adviser"
        )

    written = sorted(
        [("message", body) for fact in facts["reports"] for author, body in fact["messages"] if author == "adviser"]
        + [("note", body) for fact in facts["reports"] for body in fact["notes"]]
    )
    assert written and [(kind, body) for kind, _name, body in adviser_items()] == written
    assert bind_authors(ada.keyring).resealed == 0  # nothing was sealed the old way
    other = Adviser.get(Adviser.username != "ada").id
    Message.update(adviser=other).where(Message.author == "adviser").execute()
    Note.update(adviser=other).execute()
    assert {body for _kind, _name, body in adviser_items()} == {casetext.UNREADABLE}


def test_migrate_with_an_admin_re_seals_old_replies_and_notes_naming_their_advisers(tmp_path, config):
    """A database of the release before issue 12's fix is at the newest schema: `tellus migrate` has no step
    to run, says how the old rows get re-sealed, and with --admin re-seals them (again: nothing more)."""
    from store import advisers
    from store.conversation import add_note, post_adviser_reply
    from store.models import Message, Note

    from ..helpers import seal_as_the_previous_release, submit

    path = str(tmp_path / "tellus.db")
    open_database(path)
    ada = advisers.create_adviser(*ADMIN, "Ada", is_admin=True)
    advisers.create_adviser("bryn", "bryn's long adviser password", "Bryn", keyring=ada.keyring, config=config)
    report = submit(config).report
    post_adviser_reply(report.id, ada, "Ada's reply", config=config)
    add_note(report.id, ada, "Ada's note", config=config)
    seal_as_the_previous_release(report, ada.keyring.case_key(report.id))
    database.close()

    plain = run_tellus("migrate", "--database", path)
    assert plain.returncode == 0, plain.stderr
    assert "nothing to do" in plain.stdout and "tellus migrate --admin NAME" in plain.stdout
    bound = run_tellus("migrate", "--database", path, "--admin", ADMIN[0], "--password-stdin", input=ADMIN[1] + "\n")
    assert bound.returncode == 0, bound.stderr
    assert "re-sealed naming their advisers: 2." in bound.stdout
    again = run_tellus("migrate", "--database", path, "--admin", ADMIN[0], "--password-stdin", input=ADMIN[1] + "\n")
    assert "re-sealed naming their advisers: 0." in again.stdout
    assert "--admin" not in run_tellus("migrate", "--database", path).stdout  # done: no more advice

    open_database(path)
    ada = advisers.sign_in(*ADMIN)
    key = ada.keyring.case_key(report.id)
    assert [i.body for i in thread(report.id, include_notes=True, key=key) if i.author == "adviser"] == [
        "Ada's reply",
        "Ada's note",
    ]
    bryn = advisers.get_adviser("bryn").id
    Message.update(adviser=bryn).where(Message.author == "adviser").execute()
    Note.update(adviser=bryn).execute()
    bodies = {i.body for i in thread(report.id, include_notes=True, key=key) if i.author == "adviser"}
    assert bodies == {casetext.UNREADABLE}
    database.close()


def test_migrate_with_an_adviser_who_is_not_an_admin_is_one_sentence(tmp_path, config):
    from store import advisers

    path = str(tmp_path / "tellus.db")
    open_database(path)
    ada = advisers.create_adviser(*ADMIN, "Ada", is_admin=True)
    advisers.create_adviser("bryn", "bryn's long adviser password", "Bryn", keyring=ada.keyring, config=config)
    database.close()
    result = run_tellus(
        "migrate", "--database", path, "--admin", "bryn", "--password-stdin", input="bryn's long adviser password\n"
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "tellus: bryn is not an administrator, so does not hold every case."
