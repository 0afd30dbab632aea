"""The evidence viewer in a real terminal (tmux, 80×24): a photo appears as half-blocks, Esc goes back."""

import os
import shutil
import sys
import time
import uuid

import pytest

from ..tui import evidence_files as files
from .evidence_viewer_app import BEHIND
from .tmux import kill, pane, press, tmux, wait_pane

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_photo_shows_as_halfblocks_in_tmux(tmp_path):
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(files.photo_jpeg(4000, 3000))
    session = f"tellus-evidence-{uuid.uuid4().hex[:8]}"
    command = f"cd {ROOT} && TERM=xterm-256color {sys.executable} -m tests.e2e.evidence_viewer_app JPEG {photo}"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        wait_pane(session, "fitted to the window", timeout=40)
        # The picture fills most of the 24 lines, in half-blocks (the frame with it may follow the status line's).
        deadline = time.monotonic() + 10
        while True:
            screen = pane(session)
            lines = screen.split("\n")
            if len([line for line in lines if line.count("▀") >= 20]) >= 15 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len([line for line in lines if line.count("▀") >= 20]) >= 15, screen
        assert "IMG_2041.jpg" in screen and "removed: GPS position" in screen
        assert all(len(line) <= 80 for line in lines)
        # Nothing but half-blocks drew it: no graphics protocol reached tmux (it would show as "+" cells or junk).
        assert "SIXEL" not in screen and "\x1b" not in screen
        press(session, "Escape")
        wait_pane(session, BEHIND)
    finally:
        kill(session)
