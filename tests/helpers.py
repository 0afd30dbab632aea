"""Small builders shared by tests (real store calls, no fakes)."""

import datetime as dt

from store.conversation import post_reporter_message
from store.reports import submit_report


def report_form(**overrides):
    form = {
        "way": "anonymous",
        "role": "student",
        "category": "Harassment",
        "description": "Someone keeps following me after the evening seminar.",
        "occurred": "Last Tuesday evening",
        "location": "Library, second floor",
        "people": "A man in a grey coat",
        "support": "on",
        "two_way": "on",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def submit(config, now=None, attachments=None, **overrides):
    return remember_key(submit_report(report_form(**overrides), config, now=now, attachments=attachments))


def utc(*args):
    return dt.datetime(*args)


# Case keys of the reports this test run submitted through ``submit`` (what the reporter's
# session would hold): tests that play the reporter writing again use them.
_CASE_KEYS: dict[tuple[str, int], bytes] = {}


def _db_key(report_id):
    """Which database and which report: the file, or for PostgreSQL the database and its options (each test's
    own schema is in its search_path), so a key from one test's database is never taken for another's."""
    from store.models import database

    params = sorted((k, str(v)) for k, v in (getattr(database.obj, "connect_params", None) or {}).items())
    return (str(getattr(database.obj, "database", "")), repr(params), report_id)


_CODES: dict[tuple[str, int], str] = {}


def remember_key(submission):
    if submission.case_key is not None:
        _CASE_KEYS[_db_key(submission.report.id)] = submission.case_key
    if submission.code is not None:
        _CODES[_db_key(submission.report.id)] = submission.code
    return submission


def _rotated_since(report_id, key):
    """The case's key as its reporter signing in again gets it, if it was rotated since ``key`` (else ``key``)."""
    from store import sealing
    from store.models import Report
    from store.reports import open_conversation_by_code

    report = Report.get_or_none(Report.id == report_id)
    code = _CODES.get(_db_key(report_id))
    if report is None or code is None or report.key_generation <= sealing.generation(key):
        return key
    key = open_conversation_by_code(code).case_key
    _CASE_KEYS[_db_key(report_id)] = key
    return key


def reporter_key(report_id):
    """The case key a reporter's session holds for ``report_id``: one submitted by ``submit`` in this
    test, or (a report sent through the site before any adviser existed) opened with the intake key,
    whose file each test keeps in its own folder (conftest.intake_key_file)."""
    known = _CASE_KEYS.get(_db_key(report_id))
    if known is not None:
        return _rotated_since(report_id, known)
    import os

    from store import keys

    with open(os.environ["TELLUS_INTAKE_KEY"], "rb") as key_file:
        return keys._open_held("intake", key_file.read())[report_id]


def reporter_message(report_id, body, now=None):
    """The reporter writes again, as through their session (store.conversation.post_reporter_message)."""
    return post_reporter_message(report_id, body, now=now, case_key=reporter_key(report_id))


def case_text(report_id):
    """The report's own words (store.casetext.ReportText), opened with the case key."""
    from store import casetext
    from store.models import Report

    return casetext.open_report(Report.get_by_id(report_id), reporter_key(report_id))


def bodies(report_id, notes=False):
    """The thread's texts, oldest first (with notes: as advisers see it)."""
    from store.conversation import thread

    return [i.body for i in thread(report_id, include_notes=notes, key=reporter_key(report_id))]


def preview(report_id):
    """The inbox preview, opened."""
    from store import casetext
    from store.models import Report

    report = Report.get_by_id(report_id)
    return casetext.open_preview(report.reference, reporter_key(report_id), report.sealed_preview)


def opened(report):
    """``report`` (a Report row) with its sealed texts opened onto it as plain attributes
    (description, occurred, location, people, contact_*, preview), as an adviser holding its key reads it."""
    text = case_text(report.id)
    for name in ("description", "occurred", "location", "people", "contact_name", "contact_email", "contact_phone"):
        setattr(report, name, getattr(text, name))
    report.preview = preview(report.id)
    return report


def latest_message_text():
    """The text of the newest message (any case)."""
    from store.models import Message

    return bodies(Message.select().order_by(Message.id.desc()).get().report_id)[-1]


def sqlite_file_bytes(path):
    """Everything an SQLite database holds on disk: the file, its WAL and its SHM, as one byte string
    (what someone who copied them would have)."""
    import os

    data = b""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(str(path) + suffix):
            with open(str(path) + suffix, "rb") as part:
                data += part.read()
    return data


def seal_as_the_previous_release(report, key):
    """Seal a case's replies and notes again as every release before issue 12's fix did: the context named
    the side ("REF|message|ID|adviser") and not which adviser — what every database written until then holds."""
    from store import casetext, sealing
    from store.models import Message, Note

    reference = report.reference
    for model, kind, rows in (
        (Message, "message", Message.select().where((Message.report == report.id) & (Message.author == "adviser"))),
        (Note, "note", Note.select().where(Note.report == report.id)),
    ):
        for row in rows:
            text = casetext.open_body(
                reference, key, kind, row.id, "adviser", row.sealed_body, adviser_id=row.adviser_id
            )
            assert text != casetext.UNREADABLE
            old = sealing.seal(key, text, f"{reference}|{kind}|{row.id}|adviser")
            model.update(sealed_body=old).where(model.id == row.id).execute()


# Per (caller's key, engine), once a test in this process has made its accounts: every row its database then
# held, the files beside an SQLite database, and each account's id, private key and recovery key.
_MADE_ONCE: dict = {}


def _files_beside(db):
    """The files an SQLite install keeps beside its database file (``tellus.db.*``, such as its roster key pin,
    store/roster.py), as {suffix: (bytes, mode)}."""
    import pathlib

    import peewee as pw

    if not isinstance(db, pw.SqliteDatabase):
        return {}
    path = pathlib.Path(db.database)
    return {f.name[len(path.name) :]: (f.read_bytes(), f.stat().st_mode) for f in path.parent.glob(path.name + ".*")}


def accounts_made_once(db, key, make):
    """The advisers ``make()`` creates (a tuple), in this test's own fresh database ``db``, each with a keyring.

    Making an account costs two full argon2 runs (its password hash, its key pair): for a module whose every
    test needs the same few accounts, most of its time. The first test (per ``key`` and engine, in this
    process) runs ``make()`` for real; every later one is given what that left, all of it: each table's rows
    as written (the same hashes, keys and roster signatures), the files beside an SQLite database, and for each
    account a new keyring of its own private key, as sign-in gives one. Nothing one test changes reaches
    another: the rows are copied into each test's database, and the keyrings are new.
    """
    import os

    import peewee as pw

    from store.keyring import Keyring
    from store.models import ALL_MODELS, Adviser, database

    engine = "postgresql" if isinstance(db, pw.PostgresqlDatabase) else "sqlite"
    if (key, engine) not in _MADE_ONCE:
        made = make()
        rows = {model: list(model.select().dicts()) for model in ALL_MODELS}
        keys = [(a.id, a.keyring.private_key, getattr(a, "recovery_key", None)) for a in made]
        _MADE_ONCE[key, engine] = rows, _files_beside(db), keys
        return made
    rows, files, keys = _MADE_ONCE[key, engine]
    assert _files_beside(db) == {}, "a fresh database has nothing beside it yet"
    for suffix, (data, mode) in files.items():
        with open(os.open(db.database + suffix, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode & 0o777), "wb") as copy:
            copy.write(data)
    models = pw.sort_models(ALL_MODELS)
    with database.atomic():
        for model in reversed(models):
            model.delete().execute()
        for model in models:
            if rows[model]:
                model.insert_many(rows[model]).execute()
                if engine == "postgresql" and isinstance(model._meta.primary_key, pw.AutoField):
                    table, column = model._meta.table_name, model._meta.primary_key.column_name
                    database.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT MAX({column}) FROM {table}))"
                    )
    accounts = []
    for adviser_id, private_key, recovery_key in keys:
        adviser = Adviser.get_by_id(adviser_id)
        adviser.keyring, adviser.recovery_key = Keyring(adviser_id, private_key), recovery_key
        accounts.append(adviser)
    return tuple(accounts)
