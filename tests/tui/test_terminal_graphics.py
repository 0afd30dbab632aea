"""Asking the terminal how it draws pictures, on a real pseudo-terminal: the test plays the terminal.

The app's side is the pty's slave end (what ``tellus adviser`` has as stdin
and stdout); the test holds the master end, reads what the app asked and
answers as a given terminal would — or not at all.
"""

import os
import pty
import select
import threading
import time

import pytest

from adviser_tui import terminal_graphics as tg
from store.config import ConfigError

# What real terminals answer to the queries (kitty's graphics answer, XTVERSION, cell size, DA1).
KITTY_035 = "\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[6;20;10t\x1b[?62;c"
KITTY_026 = "\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.26.5)\x1b\\\x1b[6;20;10t\x1b[?62;c"
GHOSTTY = "\x1b_Gi=31;OK\x1b\\\x1bP>|ghostty 1.1.3\x1b\\\x1b[6;34;16t\x1b[?62;22c"
WEZTERM = "\x1b_Gi=31;OK\x1b\\\x1bP>|WezTerm 20240203\x1b\\\x1b[6;19;9t\x1b[?65;4;6;18;22c"
XTERM = "\x1bP>|XTerm(379)\x1b\\\x1b[6;17;9t\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c"
XTERM_VT340 = "\x1bP>|XTerm(379)\x1b\\\x1b[6;17;9t\x1b[?63;1;2;4;6;9;15;16;22;28c"
XTERM_VT340_COLOURS = "\x1bP>|XTerm(379)\x1b\\\x1b[6;17;9t\x1b[?1;0;16S\x1b[?63;1;2;4;6;9;15;16;22;28c"
FOOT_NO_CELL = "\x1bP>|foot(1.16.2)\x1b\\\x1b[?62;4;22c"
LINUX_CONSOLE = "\x1b[?6c"


@pytest.fixture
def terminal():
    master, slave = pty.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def drain(fd, wait=0.2):
    data = b""
    while select.select([fd], [], [], wait)[0]:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
        wait = 0.05
    return data


def answer_with(master, reply, delay=0.0):
    """Play a terminal: read until the DA1 query, then (after ``delay``) answer ``reply``."""
    seen = []

    def run():
        data = b""
        while b"\x1b[c" not in data:
            if not select.select([master], [], [], 5)[0]:
                return
            data += os.read(master, 4096)
        seen.append(data)
        time.sleep(delay)
        os.write(master, reply.encode())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, seen


@pytest.mark.parametrize(
    ("reply", "mode", "cell"),
    [
        (KITTY_035, "kitty", (10, 20)),
        (GHOSTTY, "kitty", (16, 34)),
        (KITTY_026, "halfblocks", None),  # answers (as Debian's kitty did under Xvfb) but draws no placeholders
        (WEZTERM, "sixel", (9, 19)),  # answers the kitty query too, but draws no placeholders: sixel
        (XTERM, "halfblocks", None),
        (XTERM_VT340, "sixel", (9, 17)),
        (FOOT_NO_CELL, "halfblocks", None),  # sixel, but no cell size to draw it at
        (LINUX_CONSOLE, "halfblocks", None),
    ],
)
def test_each_terminal_gets_what_it_draws(terminal, reply, mode, cell):
    master, slave = terminal
    thread, seen = answer_with(master, reply)
    started = time.monotonic()
    graphics = tg.choose("auto", {"TERM": "xterm-256color"}, open_fd(slave), open_fd(slave))
    assert time.monotonic() - started < 0.5  # the DA1 answer ends the wait: no timeout spent
    thread.join(2)
    assert seen == [tg.QUERIES.encode()]  # asked once, exactly the queries
    assert graphics.mode == mode, graphics.reason
    if cell:
        assert graphics.cell == cell
    assert drain(master, 0.1) == b""  # nothing echoed back to the screen


def test_sixel_uses_the_colour_registers_the_terminal_has(terminal):
    master, slave = terminal
    thread, _ = answer_with(master, XTERM_VT340_COLOURS)
    graphics = tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave))
    thread.join(2)
    assert (graphics.mode, graphics.cell, graphics.colours) == ("sixel", (9, 17), 16)
    assert tg.decide(tg.parse_answers(XTERM_VT340)).colours == 256  # not said: 256


def test_without_a_cell_size_answer_the_kernels_pixel_size_is_used(terminal):
    import fcntl
    import struct
    import termios

    master, slave = terminal
    # What xterm -ti vt340 (379) answered under Xvfb: no CSI 16 t answer, 1024 colour registers.
    reply = "\x1bP>|XTerm(379)\x1b\\\x1b[?1;0;1024S\x1b[?63;1;2;4;6;9;15;16;22;28c"
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 600, 390))
    thread, _ = answer_with(master, reply)
    graphics = tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave))
    thread.join(2)
    assert (graphics.mode, graphics.cell, graphics.colours) == ("sixel", (6, 13), 256)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    thread, _ = answer_with(master, reply)
    graphics = tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave))
    thread.join(2)
    assert graphics.mode == "halfblocks" and "cell size" in graphics.reason


def test_a_terminal_that_does_not_answer_gets_halfblocks_within_the_bound(terminal):
    master, slave = terminal
    started = time.monotonic()
    graphics = tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave), timeout=0.4)
    elapsed = time.monotonic() - started
    assert graphics.mode == "halfblocks" and "did not answer" in graphics.reason
    assert 0.35 <= elapsed < 0.9
    assert drain(master) == tg.QUERIES.encode()  # only the queries went out: nothing a terminal would print


def test_half_an_answer_is_taken_in_so_the_app_never_reads_it_as_keys(terminal):
    master, slave = terminal
    os.write(master, b"\x1b_Gi=31;OK\x1b\\\x1bP>|Some")  # then silence
    graphics = tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave), timeout=0.3)
    assert graphics.mode == "halfblocks"
    assert not select.select([slave], [], [], 0.1)[0]  # nothing left for the app's input


def test_a_late_answer_after_the_bound_still_ends_in_halfblocks(terminal):
    master, slave = terminal
    thread, _ = answer_with(master, KITTY_035, delay=0.6)
    graphics = tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave), timeout=0.3)
    assert graphics.mode == "halfblocks"
    thread.join(2)


def test_echo_and_line_mode_are_restored(terminal):
    import termios

    master, slave = terminal
    before = termios.tcgetattr(slave)
    thread, _ = answer_with(master, XTERM)
    tg.choose("auto", {"TERM": "xterm"}, open_fd(slave), open_fd(slave))
    thread.join(2)
    assert termios.tcgetattr(slave) == before


@pytest.mark.parametrize(
    "environ",
    [{"TMUX": "/tmp/tmux-1000/default,1,0", "TERM": "tmux-256color"}, {"TERM": "screen.xterm-256color"}],
)
def test_inside_tmux_or_screen_nothing_is_asked(terminal, environ):
    master, slave = terminal
    graphics = tg.choose("auto", environ, open_fd(slave), open_fd(slave))
    assert graphics.mode == "halfblocks" and "tmux" in graphics.reason
    assert drain(master, 0.1) == b""


def test_a_forced_mode_asks_nothing_and_a_bad_one_is_one_sentence(terminal):
    master, slave = terminal
    assert tg.choose("kitty", {}, open_fd(slave), open_fd(slave)).mode == "kitty"
    assert tg.choose("auto", {tg.ENV: "sixel"}, open_fd(slave), open_fd(slave)).mode == "sixel"
    assert tg.choose("kitty", {tg.ENV: "halfblocks"}, open_fd(slave), open_fd(slave)).mode == "halfblocks"
    assert drain(master, 0.1) == b""
    with pytest.raises(ConfigError, match="TELLUS_EVIDENCE_GRAPHICS must be one of auto, kitty, sixel or halfblocks"):
        tg.choose("auto", {tg.ENV: "iterm\x1b[2J"}, None, None)


def test_not_a_terminal_means_halfblocks(tmp_path):
    with open(tmp_path / "in", "w+") as stream:
        assert tg.choose("auto", {"TERM": "xterm-kitty"}, stream, stream).mode == "halfblocks"


def test_hostile_answers_are_bounded_and_inert():
    answers = tg.parse_answers("\x1bP>|kitty(0.35\x07\x1b]0;x)\x1b\\" + "\x1b[6;99999;1t" + "\x1b[?4c")
    assert answers.name == "" and answers.cell is None and answers.sixel
    assert tg.parse_answers("\x1bP>|kitty(9.0)\x9b2J\x1b\\").name == "kitty(9.0)2J"  # the C1 control dropped


class open_fd:
    """A stream over an fd the test owns (``fileno`` is all ``choose`` uses)."""

    def __init__(self, fd):
        self.fd = fd

    def fileno(self):
        return self.fd
