"""End to end: a report sent to a running ``tellus web`` over HTTP, answered in ``tellus adviser`` running
in a real terminal (tmux), and the reply read back on the site with the reporter's code."""

import http.cookiejar
import os
import re
import shutil
import sys
import urllib.parse
import urllib.request
import uuid

import pytest

from bench.spawn import spawn_server, stop_process, tellus_web_argv
from store.advisers import create_adviser
from store.advisers import sign_in as sign_in_adviser
from store.conversation import thread
from store.models import Message

from ..tui.support import PASSWORD
from .tmux import kill, press, sign_in, tmux, type_keys, wait_gone, wait_pane

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPLY = "We have asked security to check the door tonight."


class Reporter:
    """A browser on the reporter site: cookies kept, forms sent as the site's own pages send them."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path, fields):
        form = self.get(path)  # the form's single-use token comes with the page
        fields = dict(fields, csrf_token=re.search(r'name="csrf_token" value="([^"]*)"', form).group(1))
        with self.opener.open(self.base + path, urllib.parse.urlencode(fields).encode(), timeout=30) as response:
            return response.read().decode()


@pytest.fixture
def site(sqlite_url, sqlite_db):
    process, _first, port = spawn_server(tellus_web_argv(sqlite_url, threads=2))
    yield port
    stop_process(process)


def test_reply_from_the_terminal_reaches_the_reporter(sqlite_url, site):
    create_adviser("ann", PASSWORD, "Ann Adviser")
    page = Reporter(site).post(
        "/report",
        {
            "way": "anonymous",
            "role": "student",
            "category": "Harassment",
            "description": "The projector room door is propped open at night.",
            "two_way": "on",
        },
    )
    code = re.search(r'id="reporter-code">([^<]+)<', page).group(1)
    session = f"tellus-e2e-{uuid.uuid4().hex[:8]}"
    command = f"cd {ROOT} && TERM=xterm-256color {sys.executable} -m tellus adviser --database {sqlite_url}"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        sign_in(session, "ann", PASSWORD)
        wait_pane(session, "Tellus inbox")
        wait_pane(session, "The projector room door")
        press(session, "Enter")
        wait_pane(session, "What happened")
        press(session, "r")
        wait_pane(session, "Reply to the reporter")
        type_keys(session, REPLY)
        wait_pane(session, "check the door tonight.")  # typed into the composer before sending
        press(session, "C-s")
        wait_pane(session, "not read by the reporter yet")  # the reply now stands in the thread
        press(session, "C-q")
        assert wait_gone(session), "ctrl+q did not end the app"
    finally:
        kill(session)
    # The reply is sealed: read it as Ann's app does, with the case key her password opens.
    reply = Message.get(Message.author == "adviser")
    key = sign_in_adviser("ann", PASSWORD).keyring.case_key(reply.report_id)
    assert [i.body for i in thread(reply.report_id, key=key) if i.author == "adviser"] == [REPLY]
    reporter = Reporter(site)
    conversation = reporter.post("/continue", {"code": code})
    assert REPLY in conversation
