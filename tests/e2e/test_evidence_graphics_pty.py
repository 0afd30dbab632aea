"""The evidence viewer started on a real pseudo-terminal, with the test playing the terminal.

The viewer app asks the terminal how it draws pictures before Textual starts,
as ``tellus adviser`` does. The test reads everything the app writes, answers
as a terminal would (or stays silent), and checks what the app then drew: a
silent terminal costs the bound and gets half-blocks, a sixel terminal gets
sixel, kitty ≥ 0.28 gets kitty graphics.
"""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

import pytest

from adviser_tui import terminal_graphics as tg

from ..tui import evidence_files as files

pytestmark = pytest.mark.e2e

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XTERM_VT340 = "\x1bP>|XTerm(379)\x1b\\\x1b[?1;0;1024S\x1b[?63;1;2;4;6;9;15;16;22;28c"  # no cell size: the kernel's
KITTY = "\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[6;20;10t\x1b[?62;c"
ALT_SCREEN = b"\x1b[?1049h"
PLACEHOLDER = "\U0010eeee".encode()


def run_viewer(tmp_path, answer, until, timeout=40.0, extra_env=None):
    """Start the viewer on a pty (80×24 cells of 10×20 pixels); answer the queries with ``answer`` (None: silence).

    Returns (everything the app wrote, {event: seconds since start}, the app's note on its choice).
    """
    photo = tmp_path / "IMG_2041.jpg"
    photo.write_bytes(files.photo_jpeg(1600, 1200))
    note = tmp_path / "graphics.txt"
    argv = ["-m", "tests.e2e.evidence_viewer_app", "JPEG", str(photo), str(note)]
    output, times = run_on_pty(argv, answer, until, timeout, extra_env)
    return output, times, note.read_text() if note.exists() else ""


def run_on_pty(argv, answer, until, timeout=40.0, extra_env=None):
    """Run ``python argv`` on a pty as the test's terminal; returns (all it wrote, {event: seconds since start})."""
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TELLUS_EVIDENCE_GRAPHICS", "COLORTERM")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.update(extra_env or {})
    env = {k: v for k, v in env.items() if v is not None}  # None: unset
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the app
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, *argv], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 800, 480))
    output, times = b"", {}
    try:
        while time.monotonic() - started < timeout:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                output += chunk
            now = time.monotonic() - started
            if "queries" not in times and tg.QUERIES.encode() in output:
                times["queries"] = now
                if answer is not None:
                    os.write(fd, answer.encode())
            if "app" not in times and ALT_SCREEN in output:
                times["app"] = now
            if until(output):
                times["done"] = now
                break
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return output, times


def test_a_silent_terminal_gets_halfblocks_after_the_bound(tmp_path):
    output, times, note = run_viewer(tmp_path, None, lambda out: out.count("▀".encode()) > 500)
    assert note.startswith("halfblocks") and "did not answer" in note
    assert "done" in times, output[-2000:]
    assert output.startswith(tg.QUERIES.encode())  # nothing before the queries, so nothing else was printed
    waited = times["app"] - times["queries"]
    assert tg.PROBE_SECONDS - 0.1 <= waited <= tg.PROBE_SECONDS + 3.0  # the bound, then the app starts
    after = output[len(tg.QUERIES) :]
    assert b"\x1b_G" not in after and b"\x1bP" not in after and PLACEHOLDER not in after


def test_a_sixel_terminal_gets_the_picture_as_sixel(tmp_path):
    output, times, note = run_viewer(
        tmp_path, XTERM_VT340, lambda out: b"\x1bP0;1;0q" in out and out.endswith(b"\x1b8")
    )
    assert note.startswith("sixel (10, 20) 256"), note  # the kernel's cell size; 256 of its 1024 registers
    assert "done" in times, output[-2000:]
    assert times["app"] - times["queries"] < tg.PROBE_SECONDS  # the answer ended the wait
    sixel = output[output.index(b"\x1bP0;1;0q") :]
    width, height = (int(v) for v in sixel[len(b'\x1bP0;1;0q"1;1;') :].split(b"#", 1)[0].split(b";"))
    assert width % 10 == 0 and height % 20 == 0 and width <= 800 and height <= 480
    assert "▀".encode() not in output


def test_a_kitty_terminal_gets_kitty_graphics_in_24_bit_colour(tmp_path):
    # As over SSH: TERM says kitty (Rich would take 256 colours) and COLORTERM is not passed on.
    env = {"TERM": "xterm-kitty", "COLORTERM": None}
    output, times, note = run_viewer(tmp_path, KITTY, lambda out: out.count(PLACEHOLDER) > 200, extra_env=env)
    assert note.startswith("kitty (10, 20)"), note
    assert "done" in times, output[-2000:]
    transmit = re.search(rb"\x1b_Ga=T,U=1,f=24,o=z,s=\d+,v=\d+,i=(\d+),", output)
    assert transmit and b"q=2" in output
    image_id = int(transmit[1])
    colour = f"38;2;{image_id >> 16 & 255};{image_id >> 8 & 255};{image_id & 255}m".encode()
    assert colour + PLACEHOLDER in output  # the placeholders carry the id as 24-bit colour
    assert "▀".encode() not in output


def test_tellus_adviser_asks_before_textual_starts_and_a_silent_terminal_costs_only_the_bound(tmp_path):
    argv = ["-m", "tellus", "adviser", "--database", str(tmp_path / "tellus.db")]
    output, times = run_on_pty(argv, None, lambda out: b"Adviser sign-in" in out)
    assert "done" in times, output[-2000:]
    assert output.startswith(tg.QUERIES.encode())
    assert tg.PROBE_SECONDS - 0.1 <= times["app"] - times["queries"] <= tg.PROBE_SECONDS + 3.0


def test_tellus_adviser_in_tmux_asks_nothing(tmp_path):
    argv = ["-m", "tellus", "adviser", "--database", str(tmp_path / "tellus.db")]
    output, times = run_on_pty(
        argv, None, lambda out: b"Adviser sign-in" in out, extra_env={"TMUX": "/tmp/tmux-0/default,1,0"}
    )
    assert "done" in times, output[-2000:]
    assert tg.KITTY_QUERY.encode() not in output and tg.DA1_QUERY.encode() not in output
    assert "queries" not in times and times["done"] < 20
