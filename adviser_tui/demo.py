"""``tellus demo``: a throwaway database with believable cases, the site, and the app.

Everything here goes through the store's own services (submit_report,
post_reporter_message, post_adviser_reply, …) with times set in the past,
so the sample data is exactly what real use would produce.
"""

import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time

from store import TellusError, open_database
from store.advisers import create_adviser
from store.cases import assign, set_status
from store.clock import utcnow
from store.conversation import add_note, mark_read_by_adviser, mark_read_by_reporter, post_adviser_reply, post_reporter_message
from store.reports import submit_report

DEMO_USER = "demo"

# (days ago, form fields, then the conversation: (hours after the report, who, text))
SAMPLES = [
    (12, dict(way="anonymous", role="student", category="Harassment",
              description="A postgraduate in my lab keeps making comments about my body and stands too close "
                          "when I am at the bench. It has happened most weeks since October.",
              occurred="Most weeks since October", location="Chemistry building, lab 2.14",
              people="A postgraduate student in the same group"), []),
    (9, dict(way="named", role="staff", category="Bullying", name="Priya Shah", email="p.shah@example.ac.uk",
             description="My line manager shouts at me in team meetings and has twice told me in front of others "
                         "that I am useless. I would like to talk to someone about my options.",
             occurred="Team meetings, last three weeks", location="Estates office"), []),
    (7, dict(way="anonymous", role="student", category="Hate incident or discrimination",
             description="Someone wrote a slur on the whiteboard outside our seminar room and it was still there "
                         "the next morning. Nobody seems to have reported it.",
             occurred="Wednesday night", location="Humanities block, 3rd floor corridor"),
     [(20, "adviser", "Thank you for telling us. Facilities removed it this morning. Do you know whether it has "
                      "happened before?"),
      (30, "reporter", "I think there was something similar last term on the same floor."),
      (46, "adviser", "That is helpful. We are asking security to check the corridor cameras.")]),
    (6, dict(way="anonymous", role="prefer_not_to_say", category="Sexual misconduct",
             description="At a society social a member kept touching me after I said no, and followed me to the "
                         "taxi rank. I don't want to go to the police but I don't want it to happen to anyone else.",
             occurred="Saturday, around midnight", location="Student union bar",
             people="An older member of the climbing society"),
     [(3, "adviser", "I'm sorry this happened. You are in control of what happens next. Would it help to talk "
                     "about support options, even if you don't want to make a formal complaint?"),
      (27, "reporter", "Yes please. What options are there?")]),
    (4, dict(way="anonymous", role="staff", category="Wellbeing concern",
             description="A student in my tutorial group has seemed very withdrawn and said something worrying about "
                         "not seeing the point any more. I don't know who else to tell.",
             occurred="Tuesday tutorial"), []),
    (3, dict(way="named", role="student", category="Domestic or relationship abuse", name="Alex",
             phone="+44 7700 900123",
             description="My partner checks my phone and gets angry if I go out without him. I'd like to talk to "
                         "someone about moving accommodation.",
             occurred="Ongoing"), []),
    (2, dict(way="anonymous", role="visitor", category="Assault",
             description="I saw a man push a woman against the wall near the bike sheds and she looked scared. "
                         "I shouted and he left.",
             occurred="Thursday, about 6pm", location="Bike sheds behind the sports centre",
             people="Man, tall, dark jacket"),
     [(1, "adviser", "Thank you for stepping in. Could you tell us roughly how old they both looked?")]),
    (1, dict(way="anonymous", role="student", category="Bullying",
             description="A group in my flat has been leaving me out of everything and posting jokes about me "
                         "in the flat group chat.",
             location="Halls, block C"), []),
    (0, dict(way="anonymous", role="student", category="Something else / not sure",
             description="Not sure if this counts, but a lecturer keeps messaging me on social media late at night."),
     []),
    (30, dict(way="anonymous", role="staff", category="Harassment",
              description="Repeated unwanted emails from a colleague in another department.", location="By email"),
     [(5, "adviser", "We've spoken to the colleague's head of department. Has it stopped?"),
      (50, "reporter", "Yes, nothing since. Thank you."),
      (52, "adviser", "Glad to hear it. We'll close this case now; you can still use your code to reach us.")]),
]


def populate(config, now=None):
    """Fill an empty database; returns (password, {reference: code}) for the printout."""
    now = now or utcnow()
    password = "demo-" + secrets.token_urlsafe(9)
    me = create_adviser(DEMO_USER, password, display_name="Demo Adviser", is_admin=True)
    colleague = create_adviser("sam", secrets.token_urlsafe(18), display_name="Sam Okafor")
    codes = {}
    for index, (days_ago, fields, conversation) in enumerate(SAMPLES):
        created = now - dt.timedelta(days=days_ago, hours=2 + index)
        form = {"two_way": "on", "support": "on" if index % 2 else "", **fields}
        submission = submit_report(form, config, now=created)
        report = submission.report
        codes[report.reference] = submission.code
        for hours, who, text in conversation:
            at = min(created + dt.timedelta(hours=hours), now - dt.timedelta(minutes=5))
            if who == "adviser":
                post_adviser_reply(report.id, me, text, now=at)
                if index != 6:  # one reply the reporter has not seen yet
                    mark_read_by_reporter(report.id, now=min(at + dt.timedelta(hours=2), now))
            else:
                post_reporter_message(report.id, text, now=at)
        if index == 2:
            mark_read_by_adviser(report.id, now=now - dt.timedelta(hours=3))
            add_note(report.id, me, "Security asked for footage from the 3rd floor camera.", now=now - dt.timedelta(hours=2))
            assign(report.id, me, DEMO_USER, config)
        if index == 4:
            assign(report.id, me, colleague.username, config)
        if index == 9:
            set_status(report.id, me, "closed", config)
    return password, codes


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
