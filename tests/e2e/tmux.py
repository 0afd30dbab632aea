"""Driving a real terminal (tmux) for end-to-end tests of the adviser app, with bounded waits.

Keys typed into tmux reach the app in order, but the app moves the focus a
moment after it handles a key (Textual sets focus on its next turn), so keys
typed straight after Enter in the username field could still land there.
Textual puts the terminal's cursor where the focused field's caret is, so
``wait_cursor_on`` waits until the cursor stands on the line that holds a given
text (the field's placeholder or value) before anything more is typed.
"""

import subprocess
import time


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def pane(session):
    return tmux("capture-pane", "-p", "-t", session)


def alive(session):
    return subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0


def wait_pane(session, text, timeout=20.0):
    """Wait until ``text`` is on the screen; returns the screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = pane(session)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{pane(session)}")


def cursor_line(session):
    """The screen line the terminal's cursor is on."""
    row = int(tmux("display-message", "-p", "-t", session, "#{cursor_y}").strip())
    lines = pane(session).split("\n")
    return lines[row] if row < len(lines) else ""


def wait_cursor_on(session, text, timeout=20.0):
    """Wait until the cursor stands on the line holding ``text`` (the focused field)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in cursor_line(session):
            return
        time.sleep(0.05)
    raise AssertionError(
        f"the cursor never reached the line with {text!r}; it is on {cursor_line(session)!r} of:\n{pane(session)}"
    )


def type_keys(session, text):
    tmux("send-keys", "-t", session, "-l", text)


def press(session, *keys):
    tmux("send-keys", "-t", session, *keys)


def sign_in(session, username, password, timeout=40.0):
    """Sign in on the app's login form: each field is typed into only once the cursor is in it."""
    wait_pane(session, "Adviser sign-in", timeout=timeout)
    type_keys(session, username)
    wait_cursor_on(session, f"{username} ")  # typed into the username field, which has the focus
    press(session, "Enter")  # Enter in the username moves to the password
    wait_cursor_on(session, "password")  # the field's placeholder: nothing is typed there yet
    type_keys(session, password)
    wait_pane(session, "•" * len(password))
    press(session, "Enter")


def kill(session):
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def wait_gone(session, timeout=10.0):
    """Wait until the tmux session has ended (the program in it exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(session):
        time.sleep(0.1)
    return not alive(session)
