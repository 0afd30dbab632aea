"""End to end: a report sent on the reporter site, answered in ``tellus adviser`` running in a
real terminal (tmux), and the reply read back on the reporter site."""

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from store.advisers import create_adviser
from store.models import Message

from .tui_support import PASSWORD
from .web.support import log_in, new_conversation, web

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def pane(session):
    return tmux("capture-pane", "-p", "-t", session)


def _alive(session):
    return subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0


def wait_pane(session, text, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = pane(session)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{pane(session)}")


def test_reply_from_the_terminal_reaches_the_reporter(config, sqlite_url, sqlite_db):
    create_adviser("ann", PASSWORD, "Ann Adviser")
    site = web(config)
    code = new_conversation(site, description="The projector room door is propped open at night.")
    session = f"tellus-e2e-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m tellus adviser --database {sqlite_url}"
    env_cd = f"cd {ROOT} && TERM=xterm-256color {command}"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", env_cd)
    try:
        wait_pane(session, "Adviser sign-in")
        tmux("send-keys", "-t", session, "-l", "ann")
        tmux("send-keys", "-t", session, "Enter")  # Enter in the username moves to the password
        wait_pane(session, "ann ")
        tmux("send-keys", "-t", session, "-l", PASSWORD)
        wait_pane(session, "•" * 8)
        tmux("send-keys", "-t", session, "Enter")
        wait_pane(session, "Tellus inbox")
        wait_pane(session, "The projector room door")
        tmux("send-keys", "-t", session, "Enter")
        wait_pane(session, "What happened")
        tmux("send-keys", "-t", session, "r")
        wait_pane(session, "Reply to the reporter")
        tmux("send-keys", "-t", session, "-l", "We have asked security to check the door tonight.")
        wait_pane(session, "check the door tonight.")  # typed into the composer before sending
        tmux("send-keys", "-t", session, "C-s")
        wait_pane(session, "not read by the reporter yet")  # the reply now stands in the thread
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(session):
            time.sleep(0.2)
        assert not _alive(session), "ctrl+q did not end the app"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert Message.get(Message.author == "adviser").body == "We have asked security to check the door tonight."
    log_in(site, code)
    page = site.get("/conversation")
    assert "We have asked security to check the door tonight." in page.text
