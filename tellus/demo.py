"""``tellus demo``: a throwaway database with a year of believable cases, the reporter site, and the adviser app.

The cases come from ``store.sample_data`` (the same realistic data the app's
tests and snapshots use) with its showcase (see store/sample_data/showcase.py):
long threads in several languages, notes, hand-overs, closed and overdue
cases, a place typed three ways, a person named twice, a closure coming up. A
few open cases get real reporter codes, so the reporter side can be tried
too. The site runs as a ``tellus web`` process beside the app and is stopped
when the app ends.
"""

import dataclasses
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time

from store import TellusError, open_database
from store.clock import utcnow
from store.sample_data import ADVISERS, build

DEMO_USER = ADVISERS[0][0]  # the sample admin
DEMO_CODES = 3
SITE_START_SECONDS = 15.0
_ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/")


def populate(config, now=None):
    """Fill an empty database; returns (the advisers' password, the ``Sample``)."""
    password = "demo-" + secrets.token_urlsafe(9)
    sample = build(config, now=now or utcnow(), password=password, codes=DEMO_CODES, showcase=True)
    return password, sample


def _port_taken(port):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def start_site(database, port, log_path, wait=SITE_START_SECONDS):
    """Start ``tellus web`` in the background on ``port``, or on a free port if that one is taken.

    Returns (process or None, the site's address or None, a sentence for the adviser).
    """
    taken = _port_taken(port)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tellus", "web", "--database", database, "--port", "0" if taken else str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        url = _address_in(log_path)
        if url is not None:
            if taken:
                return process, url, f"Port {port} is in use, so the reporter site runs at {url} instead."
            return process, url, f"The reporter site is running at {url}"
        if process.poll() is not None:
            return None, None, f"The reporter site could not start: {_last_line(log_path)}"
        time.sleep(0.1)
    stop_site(process)
    return None, None, f"The reporter site could not start within {wait:.0f} seconds (see {log_path})."


def _address_in(log_path):
    """The address ``tellus web`` prints once it listens, when it has."""
    try:
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            found = _ADDRESS.search(fh.read())
    except OSError:
        return None
    return f"http://127.0.0.1:{found.group(1)}/" if found else None


def _last_line(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = [line.strip() for line in fh if line.strip()]
    except OSError:
        lines = []
    return lines[-1] if lines else "no output"


def stop_site(process):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _places(database):
    """(database path, log path, exports folder, what to delete afterwards) for ``--database`` or a new
    temporary folder."""
    if database:
        path = database[len("sqlite:///") :] if database.startswith("sqlite:///") else database
        if "://" in path or os.path.exists(path):
            raise TellusError(
                f"The demo fills a new SQLite database, and {database} already exists or is not a "
                f"file path; leave out --database to use a temporary one."
            )
        log_path, exports = path + "-web.log", path + "-exports"
        # The adviser's own file, maybe in a shared folder: say which files to delete, never the folder.
        return path, log_path, exports, f"delete it, {log_path} and {exports} when you are done"
    folder = tempfile.mkdtemp(prefix="tellus-demo-")  # private (0700), as an export folder must be
    return (
        os.path.join(folder, "tellus-demo.db"),
        os.path.join(folder, "tellus-demo-web.log"),
        os.path.join(folder, "exports"),
        f"delete the folder {folder} when you are done",
    )


def guide(sample):
    """Where to look, for the printout (lines within 80 columns): every feature in a minute."""
    show = sample.showcase
    return "\n".join(
        [
            "What to look at in the app (? lists every key):",
            "  p              patterns: a place typed three ways, a person named twice",
            f"  / {show.overdue:<11}  a case nobody answered in time (OVERDUE)",
            f"  / {show.longest:<11}  a long conversation, internal notes between messages",
            f"  c              closure periods: one from {show.closure.start:%a %d %b}; due dates skip it",
        ]
    )


def run_demo(config, database=None, port=8080):
    from adviser_tui.app import run

    path, log_path, exports, leftovers = _places(database)
    if not config.export_folder:  # so that e on a case (the sample admin) can be tried too
        os.makedirs(exports, mode=0o700, exist_ok=True)
        config = dataclasses.replace(config, export_folder=exports)
    open_database(path)
    password, sample = populate(config)
    reference, code = next((ref, c) for ref, c in sample.codes.items() if c)
    process, url, site_message = start_site(path, port, log_path)
    print(f"Demo database: {path}")
    print(f"Adviser login: username {DEMO_USER}   password {password}")
    print(f"Case exports (e on a case): {config.export_folder}")
    print(site_message)
    if process is not None:
        print(f"Try the reporter side: {url}continue")
        print(f"  with the code {'-'.join(code[i : i + 4] for i in range(0, 16, 4))} (case {reference}).")
    print(guide(sample))
    if sys.stdin.isatty():
        input("Press Enter to start the adviser app… ")
    try:
        run(config, path)
    finally:
        stop_site(process)
        if process is not None:
            print("The reporter site has been stopped.")
        print(f"The demo database is at {path} ({leftovers}).")
