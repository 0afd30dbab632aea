"""``tellus demo``: a throwaway database with a year of believable cases, the site, and the app.

The cases come from ``store.sample_data`` (the same realistic data the app's
tests and snapshots use), told up to the moment the demo starts: long threads,
messages in Welsh, Polish and Arabic, notes, hand-overs, closed and overdue
cases. A few open cases get real reporter codes, so the reporter side can be
tried too.
"""

import os
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


def populate(config, now=None):
    """Fill an empty database; returns (password, {reference: code}) for the printout."""
    password = "demo-" + secrets.token_urlsafe(9)
    sample = build(config, now=now or utcnow(), password=password, codes=DEMO_CODES)
    return password, sample.codes


def _port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


def start_site(database, port, log_path, wait=5.0):
    """Start ``tellus web`` in the background; returns (process or None, message)."""
    if _port_answers(port):
        return None, f"Port {port} is already in use, so the reporter site was not started (use --port)."
    log = open(log_path, "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "tellus", "web", "--database", database, "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None, f"The reporter site could not start: {_last_line(log_path)}"
        if _port_answers(port):
            return process, f"The reporter site is running at http://127.0.0.1:{port}/"
        time.sleep(0.1)
    stop_site(process)
    return None, f"The reporter site could not start within {wait:.0f} seconds (see {log_path})."


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


def run_demo(config, database=None, port=8080):
    from .app import run

    if database:
        path = database[len("sqlite:///"):] if database.startswith("sqlite:///") else database
        if "://" in path or os.path.exists(path):
            raise TellusError(f"The demo fills a new SQLite database, and {database} already exists or is not a "
                              f"file path; leave out --database to use a temporary one.")
        log_path = path + "-web.log"
        # The adviser's own file, maybe in a shared folder: say which files to delete, never the folder.
        leftovers = f"delete it and {log_path} when you are done"
    else:
        folder = tempfile.mkdtemp(prefix="tellus-demo-")
        path = os.path.join(folder, "tellus-demo.db")
        log_path = os.path.join(folder, "tellus-demo-web.log")
        leftovers = f"delete the folder {folder} when you are done"
    open_database(path)
    password, codes = populate(config)
    reference, code = next((ref, c) for ref, c in codes.items() if c)
    process, site_message = start_site(path, port, log_path)
    print(f"Demo database: {path}")
    print(f"Adviser login: username {DEMO_USER}   password {password}")
    print(site_message)
    if process is not None:
        print(f"Try the reporter side: http://127.0.0.1:{port}/continue with code "
              f"{'-'.join(code[i:i + 4] for i in range(0, 16, 4))} (case {reference}).")
    if sys.stdin.isatty():
        input("Press Enter to start the adviser app… ")
    try:
        run(config, path)
    finally:
        stop_site(process)
        if process is not None:
            print("The reporter site has been stopped.")
        print(f"The demo database is at {path} ({leftovers}).")
