"""`tellus purge`, `stats`, `audit` and `notify` from the command line."""

import csv
import datetime as dt
import io
import subprocess
import sys

import pytest

from store import advisers, cases
from store.models import AuditEvent, Report
from store.reports import submit_report
from tellus.cli import main


def submit(config, when, **fields):
    form = {"way": "anonymous", "role": "student", "category": "Harassment", "description": "x", "location": "Library"}
    form.update(fields)
    return submit_report(form, config, now=when).report


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def old_closed_case(sqlite_db, config):
    alex = advisers.create_adviser("alex", "a long enough password")
    report = submit(config, dt.datetime(2020, 1, 6))
    cases.set_status(report.id, alex, "closed", now=dt.datetime(2020, 2, 1))
    return report


def test_purge_dry_run_lists_and_purge_deletes(capsys, sqlite_url, old_closed_case):
    code, out, _err = run(capsys, "purge", "--dry-run", "--database", sqlite_url)
    assert code == 0 and out.splitlines()[:2] == [
        "Would delete 1 case (dry run, nothing deleted):",
        f"  {old_closed_case.reference}  closed     since 2020-02-01",
    ]
    assert Report.select().count() == 1
    code, out, _err = run(capsys, "purge", "--database", sqlite_url)
    assert code == 0 and "Space reclaimed" in out
    assert out.startswith(
        "Purged 1 case (1 closed, 0 abandoned) with 0 messages, 0 notes and 0 sessions.\n"
        "Also removed: 0 old audit entries, 0 form tokens and 0 expired sessions.\n"
    )
    assert Report.select().count() == 0
    # The trail keeps counts only, in its own fixed form.
    assert AuditEvent.get(AuditEvent.action == "purge").detail.startswith("cases=1 (closed 1, abandoned 0), messages=0")


def test_stats_as_a_table_and_as_csv(capsys, sqlite_db, sqlite_url, config):
    for _ in range(5):
        submit(config, dt.datetime(2026, 1, 12))
    code, out, _err = run(capsys, "stats", "--database", sqlite_url)
    assert code == 0 and out.startswith(
        "Tellus statistics, the first report to today. Counts under 5 are shown as <5.\n"
    )
    lines = out.splitlines()
    category = lines.index("By category")
    assert lines[category + 1] == "-" * len("By category")
    harassment = next(line for line in lines[category:] if line.startswith("Harassment"))
    assert harassment.split() == ["Harassment", "5"]
    code, out, _err = run(capsys, "stats", "--csv", "--database", sqlite_url)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["section", "label", "value"] and ["By category", "Harassment", "5"] in rows
    details = [e.detail for e in AuditEvent.select().where(AuditEvent.action == "export").order_by(AuditEvent.id)]
    assert details == ["statistics", "statistics (csv)"]


def test_audit_export_to_stdout_and_to_a_file(capsys, sqlite_db, sqlite_url, tmp_path):
    advisers.create_adviser("alex", "a long enough password")
    code, out, _err = run(capsys, "audit", "--csv", "--action", "adviser_created", "--database", sqlite_url)
    assert code == 0 and next(iter(csv.DictReader(io.StringIO(out))))["detail"] == "alex"
    target = tmp_path / "trail.csv"
    code, _out, err = run(capsys, "audit", "--csv", "--output", str(target), "--database", sqlite_url)
    assert code == 0 and "Wrote" in err and target.read_text().startswith("at_utc,adviser,action")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["audit"], "use tellus audit --csv"),
        (
            ["audit", "--csv", "--output", "/nonexistent-folder/trail.csv"],
            "Cannot write to /nonexistent-folder/trail.csv",
        ),
        (["audit", "--csv", "--since", "yesterday"], "Since date must look like"),
        (["audit", "--csv", "--action", "delete"], "Unknown action"),
        (["stats", "--until", "2026-13-01"], "Until date must look like"),
        (["notify", "--once"], "not configured"),
        (["notify", "--interval", "1"], "--interval must be between"),
    ],
)
def test_bad_input_gets_one_sentence_and_a_failure_status(capsys, sqlite_db, sqlite_url, argv, message):
    code, _out, err = run(capsys, *argv, "--database", sqlite_url)
    assert code == 1
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_audit_export_never_overwrites_a_file(capsys, sqlite_db, sqlite_url, tmp_path):
    target = tmp_path / "trail.csv"
    target.write_text("keep me")
    code, _out, err = run(capsys, "audit", "--csv", "-o", str(target), "--database", sqlite_url)
    assert code == 1 and "already exists" in err and target.read_text() == "keep me"


def test_notify_once_sends_through_the_configured_server(capsys, sqlite_db, sqlite_url, config, tmp_path):
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller

    from ..store.test_notify import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = tmp_path / "tellus.toml"
        settings.write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nfrom = "tellus@example.ac.uk"\nto = ["advisers@example.ac.uk"]\n'
        )
        submit(config, dt.datetime(2020, 1, 6))  # long overdue
        code, out, _err = run(capsys, "notify", "--once", "--database", sqlite_url, "--config", str(settings))
        assert code == 0 and "Sent a notification covering 1 event" in out
        code, out, _err = run(capsys, "notify", "--once", "--database", sqlite_url, "--config", str(settings))
        assert code == 0 and out == ""
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_notify_once_fails_visibly_when_the_server_is_down(sqlite_db, sqlite_url, config, tmp_path):
    from ..store.test_notify import free_port

    settings = tmp_path / "tellus.toml"
    settings.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\nfrom = "t@example.ac.uk"\nto = ["a@example.ac.uk"]\n'
    )
    submit(config, dt.datetime(2020, 1, 6))
    done = subprocess.run(
        [sys.executable, "-m", "tellus", "notify", "--once", "--database", sqlite_url, "--config", str(settings)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == "tellus: The mail server cannot be reached. Will retry.\n"
