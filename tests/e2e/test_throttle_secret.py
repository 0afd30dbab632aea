"""`tellus web` and the throttles' secret: refused when too short, missed aloud when instances need it."""

import http.client
import os
import secrets
import selectors
import subprocess

import pytest

from bench.spawn import ROOT, spawn_server, stop_process, tellus_web_argv


def test_a_secret_too_short_to_be_safe_stops_the_site_with_one_sentence(tmp_path):
    env = dict(os.environ, TELLUS_THROTTLE_SECRET="hunter2")
    env.pop("TELLUS_CONFIG", None)
    done = subprocess.run(
        tellus_web_argv(tmp_path / "tellus.db"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip() == (
        "tellus: TELLUS_THROTTLE_SECRET must be at least 32 characters; make one with: "
        'python3 -c "import secrets; print(secrets.token_hex(32))".'
    )


def started_output(database, monkeypatch, secret):
    """All `tellus web` prints before it serves (it is stopped again)."""
    if secret:
        monkeypatch.setenv("TELLUS_THROTTLE_SECRET", secret)
    else:
        monkeypatch.delenv("TELLUS_THROTTLE_SECRET", raising=False)
    proc, printed, port = spawn_server(tellus_web_argv(database))
    try:
        # Answering a request means everything printed before serving is in the pipe.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/healthz")
        assert conn.getresponse().read() == b"ok"
        conn.close()
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while sel.select(0):
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                printed += chunk
    finally:
        stop_process(proc)
    return printed.decode()


@pytest.mark.e2e
@pytest.mark.postgres
def test_instances_on_postgresql_without_a_shared_secret_are_told_so(postgres_url, monkeypatch):
    printed = started_output(postgres_url, monkeypatch, None)
    assert "give every instance the same TELLUS_THROTTLE_SECRET" in printed
    printed = started_output(postgres_url, monkeypatch, secrets.token_hex(32))
    assert "TELLUS_THROTTLE_SECRET" not in printed and "Tellus reporter site on" in printed


def test_one_instance_on_sqlite_needs_no_secret_and_is_not_told(tmp_path, monkeypatch):
    printed = started_output(tmp_path / "tellus.db", monkeypatch, None)
    assert "Tellus reporter site on" in printed and "TELLUS_THROTTLE_SECRET" not in printed
