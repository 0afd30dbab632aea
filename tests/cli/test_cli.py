"""The tellus command line, run as a real process."""

import os
import pathlib
import subprocess
import sys

import pytest

PASSWORD = "correct horse battery\n"


def tellus(*args, stdin=None, env=None, cwd=None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TELLUS_DATABASE", None) if env is None or "TELLUS_DATABASE" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "tellus", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=60,
    )


def assert_clean_error(result, fragment):
    assert result.returncode != 0
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_advisers_lifecycle(tmp_path):
    db = ["--database", str(tmp_path / "t.db")]
    r = tellus("advisers", "add", "alex", "--admin", "--password-stdin", *db, stdin=PASSWORD)
    assert r.returncode == 0, r.stderr
    assert "Created adviser alex (admin)" in r.stdout
    assert_clean_error(tellus("advisers", "add", "alex", "--password-stdin", *db, stdin=PASSWORD), "already exists")
    assert_clean_error(
        tellus("advisers", "add", "bea", "--password-stdin", *db, stdin="short\n"), "at least 12 characters"
    )
    assert tellus("advisers", "disable", "alex", *db).returncode == 0
    listing = tellus("advisers", "list", *db).stdout
    assert "alex" in listing and "disabled" in listing and "bea" not in listing
    assert tellus("advisers", "enable", "alex", *db).returncode == 0
    assert (
        tellus("advisers", "passwd", "alex", "--password-stdin", *db, stdin="another long password\n").returncode == 0
    )
    assert_clean_error(
        tellus("advisers", "passwd", "zed", "--password-stdin", *db, stdin=PASSWORD), "no adviser called zed"
    )


def test_database_comes_from_the_environment_then_the_working_folder(tmp_path):
    env_db = tmp_path / "env.db"
    r = tellus("advisers", "add", "alex", "--password-stdin", stdin=PASSWORD, env={"TELLUS_DATABASE": str(env_db)})
    assert r.returncode == 0 and env_db.exists()
    r = tellus("advisers", "list", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "tellus.db").exists()
    assert "No advisers yet" in r.stdout


def test_closures(tmp_path):
    db = ["--database", f"sqlite:///{tmp_path / 't.db'}"]
    r = tellus("closures", "add", "2026-12-19", "2027-01-03", "--note", "Winter break", *db)
    assert r.returncode == 0, r.stderr
    assert "2026-12-19" in tellus("closures", "list", *db).stdout
    assert_clean_error(tellus("closures", "add", "2027-01-03", "2026-12-19", *db), "cannot be before its start")
    assert_clean_error(tellus("closures", "add", "19/12/2026", "2027-01-03", *db), "year-month-day")
    assert_clean_error(tellus("closures", "remove", "99", *db), "no closure with id 99")
    assert tellus("closures", "remove", "1", *db).returncode == 0
    assert "No closures" in tellus("closures", "list", *db).stdout


def test_bad_databases_and_configs_are_one_sentence(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 100)
    assert_clean_error(tellus("advisers", "list", "--database", str(junk)), "not a Tellus database")
    bad = tmp_path / "bad.toml"
    bad.write_text("response_working_days = 'five'\n")
    assert_clean_error(
        tellus("advisers", "list", "--database", str(tmp_path / "x.db"), "--config", str(bad)), "whole number"
    )
    assert_clean_error(tellus("advisers", "list", "--config", str(tmp_path / "missing.toml")), "does not exist")
    graphics = tmp_path / "graphics.toml"
    graphics.write_text("evidence_graphics = 'iterm'\n")
    assert_clean_error(tellus("adviser", "--config", str(graphics)), "one of auto, kitty, sixel or halfblocks")
    assert_clean_error(
        tellus("adviser", "--database", str(tmp_path / "y.db"), env={"TELLUS_EVIDENCE_GRAPHICS": "iterm\x1b[2J"}),
        "TELLUS_EVIDENCE_GRAPHICS must be one of auto, kitty, sixel or halfblocks",
    )


def test_password_prompt_needs_a_terminal(tmp_path):
    r = tellus("advisers", "add", "alex", "--database", str(tmp_path / "t.db"), stdin="")
    assert_clean_error(r, "--password-stdin")


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["advisers"]])
def test_usage_errors_exit_2(argv):
    r = tellus(*argv)
    assert r.returncode == 2 and "usage:" in r.stderr and "Traceback" not in r.stderr


def test_audit_export_piped_into_head_ends_quietly_and_is_still_audited(tmp_path):
    import datetime as dt

    from store import open_database
    from store.models import AuditEvent

    path = tmp_path / "t.db"
    db = open_database(str(path))
    start = dt.datetime(2026, 1, 5, 9)
    rows = [
        {
            "at": start + dt.timedelta(minutes=i),
            "adviser_name": "alex",
            "action": "case_viewed",
            "report_id": i,
            "reference": "TL-AAAAAA",
            "detail": "",
        }
        for i in range(20000)
    ]
    with db.atomic():
        for i in range(0, len(rows), 500):
            AuditEvent.insert_many(rows[i : i + 500]).execute()
    db.close()

    env = {k: v for k, v in os.environ.items() if k != "TELLUS_DATABASE"}
    export = subprocess.Popen(
        [sys.executable, "-m", "tellus", "audit", "--csv", "--database", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    head = subprocess.Popen(["head", "-n", "3"], stdin=export.stdout, stdout=subprocess.PIPE)
    export.stdout.close()  # only head holds the pipe now, as in a shell
    shown = head.communicate(timeout=60)[0].decode()
    err = export.communicate(timeout=60)[1].decode()
    assert shown.splitlines()[0] == "at_utc,adviser,action,reference,report_id,detail" and len(shown.splitlines()) == 3
    assert err == ""
    assert export.returncode in (0, 141)

    db = open_database(str(path))
    try:
        audited = AuditEvent.get(AuditEvent.action == "export")
        assert audited.adviser_name == "cli" and "audit trail" in audited.detail and "closed" in audited.detail
    finally:
        db.close()


def test_audit_export_to_a_full_disk_is_one_sentence(tmp_path):
    full = pathlib.Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full on this system")
    env = {k: v for k, v in os.environ.items() if k != "TELLUS_DATABASE"}
    with full.open("w") as out:
        r = subprocess.run(
            [sys.executable, "-m", "tellus", "audit", "--csv", "--database", str(tmp_path / "t.db")],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    assert_clean_error(r, "No space left on device")


def test_config_check_lists_what_is_missing_in_a_language(tmp_path):
    path = tmp_path / "tellus.toml"
    path.write_text(
        'organisation = "Bangor University"\nlocations = ["Main Library", "Sports Centre"]\n'
        '[texts.cy]\norganisation = "Prifysgol Bangor"\nlocations = { "Main Library" = "Prif Lyfrgell" }\n'
    )
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cy: locations: no cy name for 'Sports Centre'" in result.stdout
    assert "Main Library" not in result.stdout and "organisation" not in result.stdout
    path.write_text('organisation = "Bangor University"\n[texts.cy]\norganisation = "Prifysgol Bangor"\n')
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 0 and "complete in en, cy" in result.stdout
    path.write_text('languages = ["en", "xx"]\n')
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "no translation into 'xx'" in result.stderr


def test_a_closure_note_in_welsh_is_shown_on_the_welsh_start_page(tmp_path):
    db = str(tmp_path / "t.db")
    added = tellus(
        "closures",
        "add",
        "2026-12-21",
        "2027-01-04",
        "--note",
        "Winter break",
        "--note-in",
        "cy",
        "Gwyliau'r gaeaf",
        "--database",
        db,
    )
    assert added.returncode == 0, added.stderr
    refused = tellus(
        "closures", "add", "2027-04-01", "2027-04-02", "--note", "Easter", "--note-in", "fr", "Pâques", "--database", db
    )
    assert refused.returncode == 1 and "--note-in fr" in refused.stderr
    from store import open_database
    from store.closures import list_closures

    open_database(db)
    (closure,) = list_closures()
    assert closure.note_in("cy") == "Gwyliau'r gaeaf" and closure.note_in("en") == "Winter break"


@pytest.mark.parametrize("csv_flag", [[], ["--csv"]], ids=["table", "csv"])
def test_statistics_to_a_full_disk_is_one_sentence_and_audited_as_stopped(tmp_path, csv_flag):
    full = pathlib.Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full on this system")
    env = {k: v for k, v in os.environ.items() if k != "TELLUS_DATABASE"}
    path = tmp_path / "t.db"
    with full.open("w") as out:
        r = subprocess.run(
            [sys.executable, "-m", "tellus", "stats", *csv_flag, "--database", str(path)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    assert_clean_error(r, "No space left on device")

    from store import open_database
    from store.models import AuditEvent

    db = open_database(str(path))
    try:
        [audited] = AuditEvent.select().where(AuditEvent.action == "export")
        assert audited.adviser_name == "cli" and audited.detail.endswith("stopped: the output could not be written")
    finally:
        db.close()


def test_advisers_confirm_names_whom_it_signs_and_shows_the_key(tmp_path):
    """Roster review: an account made without an admin's password waits, and the command prints its key's
    fingerprint; confirming needs names (signing every waiting entry would sign rows a row writer added) and
    says which key it signed."""
    import sqlite3

    from store import roster

    db = ["--database", str(tmp_path / "t.db")]
    assert tellus("advisers", "add", "alex", "--admin", "--password-stdin", *db, stdin=PASSWORD).returncode == 0
    r = tellus("advisers", "add", "bea", "--password-stdin", *db, stdin=PASSWORD)
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(tmp_path / "t.db") as raw:
        (public,) = raw.execute("SELECT public_key FROM adviser WHERE username = 'bea'").fetchone()
    fingerprint = roster.fingerprint(public)
    assert "not confirmed" in r.stdout and fingerprint in r.stdout
    assert fingerprint in tellus("advisers", "list", *db).stdout
    assert_clean_error(
        tellus("advisers", "confirm", "--granted-by", "alex", "--password-stdin", *db, stdin=PASSWORD), "Name the"
    )
    r = tellus("advisers", "confirm", "bea", "--granted-by", "alex", "--password-stdin", *db, stdin=PASSWORD)
    assert r.returncode == 0, r.stderr
    assert f"Confirmed bea with the key {fingerprint}" in r.stdout
    assert "not confirmed" not in tellus("advisers", "list", *db).stdout


def test_the_first_admin_names_the_accounts_planted_before_them_as_unconfirmed(tmp_path):
    """Roster review: an account planted before the first admin (by the web process or a row writer) once kept the
    first admin from making the roster. Now the roster is made, signing the admin alone, and the command names
    the accounts that wait for an admin's confirmation."""
    import sqlite3

    db_path = tmp_path / "t.db"
    assert tellus("advisers", "list", "--database", str(db_path)).returncode == 0  # the database, as the web makes it
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "INSERT INTO adviser (username, display_name, password_hash, is_admin, active, created_at, failed_logins,"
            " key_params, public_key) VALUES ('mallory', 'IT', 'x', 0, 1, '2026-01-01 00:00:00', 0, '', ?)",
            (bytes(32),),
        )
    r = tellus("advisers", "add", "alex", "--admin", "--password-stdin", "--database", str(db_path), stdin=PASSWORD)
    assert r.returncode == 0, r.stderr
    # The first admin makes the roster all the same, vouching for themselves alone (the review's finding, fixed).
    assert "Not confirmed" in r.stdout and "mallory" in r.stdout


def test_config_check_says_where_the_app_exports_cases_and_what_is_wrong_with_the_folder(tmp_path):
    path = tmp_path / "tellus.toml"
    path.write_text("")
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 0 and "export_folder is not set: the app does not export cases" in result.stdout
    exports = tmp_path / "exports"
    path.write_text(f'export_folder = "{exports}"\n')
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 1 and f"export_folder: The export folder {exports} does not exist" in result.stdout
    exports.mkdir(mode=0o755)
    exports.chmod(0o755)
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 1 and "open to every account on the server (mode 0755)" in result.stdout
    exports.chmod(0o700)
    result = tellus("config", "check", "--config", str(path))
    assert result.returncode == 0 and f"case bundles from the app go into {exports}." in result.stdout
    path.write_text('export_folder = "exports"\n')
    assert_clean_error(tellus("config", "check", "--config", str(path)), "export_folder must be an absolute path")


def test_an_export_that_cannot_be_written_is_one_sentence(tmp_path):
    from store import Config, open_database
    from store.advisers import create_adviser

    from ..helpers import submit

    db = str(tmp_path / "t.db")
    connection = open_database(db)
    create_adviser("ada", PASSWORD.strip(), "Ada", is_admin=True)
    reference = submit(Config()).report.reference
    connection.close()
    where = ["--admin", "ada", "--password-stdin", "--database", db]
    result = tellus("export", reference, "--to", "/dev/null/bundle", *where, stdin=PASSWORD)
    assert_clean_error(result, "The folder /dev/null/bundle cannot be used: Not a directory.")
