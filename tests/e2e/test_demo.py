"""``tellus demo`` as a person runs it: in a terminal, the site beside the app, both gone afterwards."""

import os
import re
import shutil
import sys
import urllib.request
import uuid

import pytest

from .tmux import kill, pane, press, sign_in, tmux, wait_gone, wait_pane

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_tellus_demo_serves_the_site_runs_the_app_and_stops_the_site(tmp_path):
    database = tmp_path / "demo.db"
    session = f"tellus-demo-{uuid.uuid4().hex[:8]}"
    # Port 0: any free port (the demo says which), so the test never meets a port already in use.
    command = (
        f"cd {ROOT} && TERM=xterm-256color {sys.executable} -m tellus demo --port 0 --database {database}; "
        f"echo DEMO-EXIT=$?; sleep 60"
    )
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        printout = wait_pane(session, "Press Enter to start the adviser app", timeout=90)
        password = re.search(r"password (demo-\S+)", printout).group(1)
        url = re.search(r"reporter site is running at (http://127\.0\.0\.1:\d+/)", printout).group(1)
        overdue = re.search(r"/ (TL-\w+)\s+a case nobody answered in time", printout).group(1)
        guide = printout[printout.index("What to look at") : printout.index("Press Enter")].splitlines()
        assert len(guide) == 5 and max(map(len, guide)) <= 80  # an 80-column terminal shows it unbroken
        status, start_page = fetch(url)
        assert status == 200 and "Staff training week" in start_page  # the closure coming up, on the site too
        press(session, "Enter")
        sign_in(session, "ann", password)
        wait_pane(session, "patterns to act on in the last 90 days (p)", timeout=30)
        press(session, "slash")
        tmux("send-keys", "-t", session, "-l", overdue)
        press(session, "Enter")
        wait_pane(session, "OVERDUE")
        press(session, "C-q")
        after = wait_pane(session, "DEMO-EXIT=", timeout=30)
        assert "DEMO-EXIT=0" in after and "The reporter site has been stopped." in after
        assert f"The demo database is at {database}" in pane(session).replace("\n", "")
        with pytest.raises(OSError):
            fetch(url)
    finally:
        kill(session)
        assert wait_gone(session)
