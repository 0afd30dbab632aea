"""The tellus command line, run as a real process."""

import os
import subprocess
import sys

import pytest

PASSWORD = "correct horse battery\n"


def tellus(*args, stdin=None, env=None, cwd=None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("TELLUS_DATABASE", None) if env is None or "TELLUS_DATABASE" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "tellus", *args],
        input=stdin, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60,
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
    assert_clean_error(tellus("advisers", "add", "bea", "--password-stdin", *db, stdin="short\n"), "at least 12 characters")
    assert tellus("advisers", "disable", "alex", *db).returncode == 0
    listing = tellus("advisers", "list", *db).stdout
    assert "alex" in listing and "disabled" in listing and "bea" not in listing
    assert tellus("advisers", "enable", "alex", *db).returncode == 0
    assert tellus("advisers", "passwd", "alex", "--password-stdin", *db, stdin="another long password\n").returncode == 0
    assert_clean_error(tellus("advisers", "passwd", "zed", "--password-stdin", *db, stdin=PASSWORD), "no adviser called zed")


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
    assert_clean_error(tellus("advisers", "list", "--database", str(tmp_path / "x.db"), "--config", str(bad)), "whole number")
    assert_clean_error(tellus("advisers", "list", "--config", str(tmp_path / "missing.toml")), "does not exist")


def test_password_prompt_needs_a_terminal(tmp_path):
    r = tellus("advisers", "add", "alex", "--database", str(tmp_path / "t.db"), stdin="")
    assert_clean_error(r, "--password-stdin")


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["advisers"]])
def test_usage_errors_exit_2(argv):
    r = tellus(*argv)
    assert r.returncode == 2 and "usage:" in r.stderr and "Traceback" not in r.stderr
