"""Load and concurrency proof: reporters over HTTP, advisers through the store.

    python bench/load.py [--clients 50] [--seconds 60] [--advisers 3]
    python bench/load.py --postgres postgresql://127.0.0.1:5432/test --instances 2

Starts `tellus web` (one or more instances sharing one database) on
loopback and runs, for a bounded time:

* ``--clients`` simulated reporters, each a thread with its own loopback
  source address (127.0.x.y: all of 127/8 is loopback on Linux), so the
  site's per-client throttles count each reporter apart, as they would
  real people. Each GETs forms for their CSRF tokens and then sends new
  reports (with two-way messaging), logs in with one of its codes and sends
  replies. With several instances every request goes to a random one, so a
  session begun on one instance continues on another.
* ``--advisers`` processes working cases through the store services
  (store.conversation.post_adviser_reply / add_note, store.cases.set_status).

Every client keeps a ledger of what the server *acknowledged* (a 200 code
page for a report, a 303 for a message; the store call returning for an
adviser), each write carrying a unique marker. Afterwards the database is
checked: every acknowledged write is present exactly once (and each
reporter message sits on the report it was sent to), no marker is stored
twice, and SQLite's ``PRAGMA integrity_check`` says ok.

Answers that are the site doing its job are counted apart, not as errors:
429 (a throttle: 5 reports an hour and 10 code attempts per 15 minutes per
client) and 409 (writing to a case an adviser closed). Pass: zero 5xx, zero
"database is locked" (in answers, adviser processes and the servers'
output), no other unexpected answer, and the ledger check. Exit status 1 on
failure. bench/crash.py runs the same load while killing the server.
"""

import argparse
import collections
import dataclasses
import http.client
import multiprocessing
import pathlib
import queue as queue_mod
import random
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run as a script: the repository root

from bench.spawn import spawn_server, stop_process, tellus_web_argv

ROOT = pathlib.Path(__file__).resolve().parent.parent

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r'id="reporter-code">([^<]+)<')
COOKIE = re.compile(r"tellus_session=([^;]*)")
MARKER = re.compile(r"\[L([0-9a-f]{8}):([a-z]+):(\d+):(\d+)\]")
CONNECTION_ERRORS = (OSError, http.client.HTTPException)
SERVER_TROUBLE = re.compile(rb"database is locked|Traceback|Error|ERROR|CRITICAL", re.I)


# ---- the server -----------------------------------------------------------------


class WebServer:
    """One `tellus web` process; what it prints is kept. ``spawned_at``/``healthy_at`` time a (re)start."""

    def __init__(self, database, port=0, threads=8):
        self.database, self.threads = database, threads
        self.output = []
        self.start(port)

    def start(self, port):
        self.spawned_at = time.monotonic()
        self.proc, first, self.port = spawn_server(tellus_web_argv(self.database, port, self.threads))
        self.listening_after = time.monotonic() - self.spawned_at
        self.output.append(first)
        proc = self.proc
        threading.Thread(target=self._drain, args=(proc,), daemon=True).start()
        return self

    def _drain(self, proc):
        for line in iter(proc.stdout.readline, b""):
            self.output.append(line)

    def wait_healthy(self, timeout=30):
        """Seconds from spawn to the first 200 from /healthz."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                res = conn.getresponse()
                ok = res.status == 200 and res.read() == b"ok"
                conn.close()
                if ok:
                    self.healthy_at = time.monotonic()
                    return self.healthy_at - self.spawned_at
            except CONNECTION_ERRORS:
                pass
            time.sleep(0.01)
        raise RuntimeError("tellus web did not become healthy")

    def kill(self):
        """SIGKILL: no cleanup, no flush, like a power cut for the process."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def restart(self):
        """Start again on the same port; returns seconds from spawn to healthy."""
        self.start(self.port)
        return self.wait_healthy()

    def stop(self):
        stop_process(self.proc)

    def printed(self):
        return b"".join(self.output)


# ---- measurements ---------------------------------------------------------------


class Stats:
    """Per kind: latencies of answered requests, counts of expected refusals and of errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = collections.defaultdict(list)
        self.limited = collections.Counter()  # 429
        self.closed = collections.Counter()  # 409: the case was closed
        self.server_errors = collections.Counter()  # 5xx
        self.unexpected = collections.Counter()  # any other wrong answer
        self.connection = collections.Counter()  # refused/reset (expected only while a server is down)
        self.examples = collections.defaultdict(list)

    def answered(self, kind, seconds):
        with self.lock:
            self.latency[kind].append(seconds)

    def count(self, counter, kind, example=None):
        with self.lock:
            counter[kind] += 1
            named = {
                id(self.connection): "connection",
                id(self.unexpected): "unexpected",
                id(self.server_errors): "5xx",
            }
            if example and len(self.examples[named.get(id(counter), "other")]) < 5:
                self.examples[named.get(id(counter), "other")].append(f"{kind}: {example}")


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


# ---- a reporter -------------------------------------------------------------------


class Reporter:
    """One simulated person at one loopback address; keeps the ledger of acknowledged writes."""

    def __init__(self, number, run, ports, stats, ledger, rng, think):
        self.n, self.run, self.ports, self.stats, self.rng, self.think = number, run, ports, stats, rng, think
        self.address = f"127.0.{1 + number // 250}.{2 + number % 250}"
        self.ledger = ledger  # {"reports": [marker], "messages": {marker: report marker}}
        self.conns = {}
        self.codes = []  # (code, report marker)
        self.session = None  # (cookie token, report marker)
        self.browser = None  # the site's browser cookie
        # A login whose answer was lost (server killed) may have ended the old
        # session without the new cookie arriving: the next page then says
        # "session ended", which is right, not an error.
        self.session_doubtful = False
        self.seq = 0

    # -- HTTP ---------------------------------------------------------------
    def _conn(self, port):
        conn = self.conns.get(port)
        if conn is None:
            conn = self.conns[port] = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=30, source_address=(self.address, 0)
            )
        return conn

    def request(self, kind, method, path, fields=None):
        """(status, headers, text) or None when the connection failed (nothing acknowledged)."""
        port = self.rng.choice(self.ports)
        headers = {}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        cookies = [f"tellus_session={self.session[0]}"] if self.session else []
        if self.browser:  # the random value the site's report and code forms are bound to
            cookies.append(f"tellus_browser={self.browser}")
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        t0 = time.perf_counter()
        try:
            conn = self._conn(port)
            conn.request(method, path, body, headers)
            res = conn.getresponse()
            text = res.read().decode("utf-8", "replace")
        except CONNECTION_ERRORS as exc:
            self.conns.pop(port).close() if port in self.conns else None
            self.stats.count(self.stats.connection, kind, f"{type(exc).__name__}: {exc}")
            time.sleep(0.05 + self.rng.random() * 0.1)
            return None
        self.stats.answered(kind, time.perf_counter() - t0)
        for cookie in res.headers.get_all("Set-Cookie") or []:
            if cookie.startswith("tellus_session="):
                token = COOKIE.search(cookie).group(1)
                self.session = (token, self._pending_report) if token else None
            elif cookie.startswith("tellus_browser="):
                self.browser = cookie.split(";")[0].split("=", 1)[1]
        if res.status >= 500:
            self.stats.count(self.stats.server_errors, kind, f"HTTP {res.status}")
        elif "database is locked" in text:
            self.stats.count(self.stats.server_errors, kind, "database is locked")
        return res.status, res, text

    def marker(self, kind):
        self.seq += 1
        return f"[L{self.run}:{kind}:{self.n}:{self.seq}]"

    def form_token(self, kind, path):
        got = self.request(kind, "GET", path)
        if got is None:
            return None
        status, _, text = got
        match = CSRF.search(text)
        if status == 303 and kind == "thread" and self.session_doubtful:
            self.session = None
            self.session_doubtful = False
            return None
        if status != 200 or not match:
            self.stats.count(self.stats.unexpected, kind, f"HTTP {status} without a form")
            return None
        return match.group(1)

    # -- what a person does --------------------------------------------------
    _pending_report = None

    def new_report(self):
        token = self.form_token("report_form", "/report")
        if token is None:
            return
        mark = self.marker("r")
        got = self.request(
            "report",
            "POST",
            "/report",
            {
                "csrf_token": token,
                "way": "anonymous",
                "role": "student",
                "category": "Harassment",
                "description": f"Load test report {mark}. Someone followed me from the library.",
                "location": "Library",
                "two_way": "on",
                "support": "on",
            },
        )
        if got is None:
            return
        status, _, text = got
        code = CODE.search(text)
        if status == 200 and code:
            self.ledger["reports"].append(mark)
            self.codes.append((code.group(1), mark))
        elif status == 429:
            self.stats.count(self.stats.limited, "report")
        elif status < 500:
            self.stats.count(self.stats.unexpected, "report", f"HTTP {status}")

    def log_in(self):
        code, mark = self.rng.choice(self.codes)
        token = self.form_token("continue_form", "/continue")
        if token is None:
            return
        self._pending_report = mark
        got = self.request("login", "POST", "/continue", {"csrf_token": token, "code": code.lower()})
        self._pending_report = None
        if got is None:
            self.session_doubtful = True
            return
        self.session_doubtful = False
        status, res, _ = got
        if status == 303 and res.getheader("Location", "").endswith("/conversation"):
            return
        if status == 429:
            self.stats.count(self.stats.limited, "login")
        elif status < 500:
            self.stats.count(self.stats.unexpected, "login", f"HTTP {status}")

    def reply(self):
        token = self.form_token("thread", "/conversation")
        if token is None or self.session is None:
            return
        mark = self.marker("m")
        report_mark = self.session[1]
        got = self.request(
            "reply",
            "POST",
            "/conversation",
            {"csrf_token": token, "body": f"A reply from the reporter {mark}, with more detail."},
        )
        if got is None:
            return
        status, res, _ = got
        if status == 303 and "/conversation" in res.getheader("Location", ""):
            self.ledger["messages"][mark] = report_mark
        elif status == 409:
            self.stats.count(self.stats.closed, "reply")
        elif status < 500:
            self.stats.count(self.stats.unexpected, "reply", f"HTTP {status}")

    def run_until(self, stop_at):
        try:
            while time.monotonic() < stop_at:
                roll = self.rng.random()
                if not self.codes or roll < 0.12:
                    self.new_report()
                elif self.session is None or roll < 0.24:
                    self.log_in()
                else:
                    self.reply()
                if self.think:
                    time.sleep(self.rng.uniform(0, 2 * self.think))
        except Exception as exc:  # a bug in this script must not pass silently
            self.stats.count(self.stats.unexpected, "client", repr(exc))
        finally:
            for conn in self.conns.values():
                conn.close()


# ---- an adviser process -----------------------------------------------------------


def adviser_worker(database, username, run, seconds, seed, results, ready, go):
    """Replies, notes and status changes through the store until the time is up.

    Signs in first (argon2id, slow on purpose), says so on ``ready`` and waits for ``go``: the
    timed load starts once every adviser holds their keys, so signing in does not eat into it.
    """
    import peewee as pw

    from store import CaseClosed, open_database
    from store.advisers import sign_in
    from store.cases import set_status
    from store.conversation import add_note, post_adviser_reply
    from store.models import Report
    from store.models import database as db_proxy

    rng = random.Random(seed)
    out = {
        "latency": collections.defaultdict(list),
        "closed": collections.Counter(),
        "errors": [],
        "locked": 0,
        "replies": [],
        "notes": [],
        "statuses": 0,
    }
    seq = 0
    try:
        open_database(database)
        # Signed in as the adviser app does: the adviser carries their unlocked keys (.keyring), which
        # open the case keys the web process sealed to them; replies and notes are sealed with those.
        try:
            adviser = sign_in(username, PASSWORD)
        finally:
            db_proxy.close()
            ready.put(username)
        go.wait(120)
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at:
            ids = [
                r
                for (r,) in Report.select(Report.id)
                .where(Report.two_way == True)  # noqa: E712 — peewee makes SQL of ==; `is True` would be plain Python
                .order_by(Report.id.desc())
                .limit(40)
                .tuples()
            ]
            db_proxy.close()
            if not ids:
                time.sleep(0.05)
                continue
            report_id = rng.choice(ids)
            roll = rng.random()
            seq += 1
            mark = f"[L{run}:{'a' if roll < 0.5 else 'n'}:{seed}:{seq}]"
            t0 = time.perf_counter()
            try:
                if roll < 0.5:
                    kind = "adviser_reply"
                    post_adviser_reply(report_id, adviser, f"An adviser answers {mark}.")
                    out["replies"].append(mark)
                elif roll < 0.8:
                    kind = "adviser_note"
                    add_note(report_id, adviser, f"Internal note {mark}.")
                    out["notes"].append(mark)
                else:
                    kind = "adviser_status"
                    status = rng.choices(["open", "waiting", "closed"], [5, 4, 1])[0]
                    if Report.get_by_id(report_id).status == "closed":
                        status = "open"  # reopen, so reporters can write again
                    set_status(report_id, adviser, status)
                    out["statuses"] += 1
                out["latency"][kind].append(time.perf_counter() - t0)
            except CaseClosed:
                out["latency"][kind].append(time.perf_counter() - t0)
                out["closed"][kind] += 1
            except (pw.OperationalError, pw.DatabaseError) as exc:
                if "locked" in str(exc):
                    out["locked"] += 1
                out["errors"].append(f"{kind}: {type(exc).__name__}: {exc}")
            finally:
                if not db_proxy.is_closed():
                    db_proxy.close()
            time.sleep(rng.uniform(0, 0.04))
    except Exception as exc:
        out["errors"].append(f"adviser {username}: {type(exc).__name__}: {exc}")
    out["latency"] = dict(out["latency"])
    out["closed"] = dict(out["closed"])
    results.put((username, out))


# ---- checking the database against the ledgers -----------------------------------


def opened_texts(keyring):
    """Every report's description, message and note in the database, opened in memory with ``keyring``
    (an admin's: every case key is sealed to every admin). The texts are sealed, so a LIKE query can no
    longer find this run's markers: everything is opened and the markers are looked for in the plain text.

    Returns ({report id: description}, [(message body, report id)], [note body], texts that did not open).
    """
    from store import casetext, sealing
    from store.models import Message, Note, Report

    sealed = {
        i: (ref, blob)
        for i, ref, blob in Report.select(Report.id, Report.reference, Report.sealed_description).tuples()
    }
    keys = keyring.case_keys(sealed)
    unreadable = 0
    descriptions = {}
    for report_id, (reference, blob) in sealed.items():
        try:
            descriptions[report_id] = sealing.open_text(keys[report_id], blob, f"{reference}|description")
        except (KeyError, sealing.Unreadable):
            descriptions[report_id] = casetext.UNREADABLE
            unreadable += 1

    def opened(kind, rows):
        nonlocal unreadable
        out = []
        for item_id, report_id, author, adviser_id, blob in rows:
            body = casetext.open_body(
                sealed[report_id][0], keys.get(report_id), kind, item_id, author, blob, adviser_id=adviser_id
            )
            unreadable += body == casetext.UNREADABLE
            out.append((body, report_id))
        return out

    messages = opened(
        "message",
        Message.select(Message.id, Message.report, Message.author, Message.adviser, Message.sealed_body).tuples(),
    )
    note_rows = Note.select(Note.id, Note.report, Note.adviser, Note.sealed_body).tuples()
    notes = [body for body, _ in opened("note", ((i, r, "adviser", a, blob) for i, r, a, blob in note_rows))]
    return descriptions, messages, notes, unreadable


def verify(database, run, reports, messages, replies, notes, statuses, adviser_ids, keyring):
    """Problems found (empty when every acknowledged write is present exactly once).

    ``keyring``: an admin's unlocked keys (prepare), held in this process's memory only.
    """
    from store import open_database
    from store.db import is_sqlite
    from store.models import AuditEvent

    problems = []
    db = open_database(database)
    try:
        descriptions, stored_bodies, note_bodies, unreadable = opened_texts(keyring)
        if unreadable:
            problems.append(f"{unreadable} sealed texts did not open with an admin's keys")
        stored_reports = collections.Counter(
            m.group(0) for text in descriptions.values() for m in MARKER.finditer(text) if m.group(1) == run
        )
        stored_messages = collections.Counter()
        on_report = {}
        for body, report_id in stored_bodies:
            for m in MARKER.finditer(body):
                if m.group(1) != run:
                    continue
                stored_messages[m.group(0)] += 1
                owner = MARKER.search(descriptions[report_id])
                on_report[m.group(0)] = owner.group(0) if owner else None
        stored_notes = collections.Counter(
            m.group(0) for text in note_bodies for m in MARKER.finditer(text) if m.group(1) == run
        )

        def check(what, acknowledged, stored):
            missing = [m for m in acknowledged if stored[m] == 0]
            doubled = [m for m, n in stored.items() if n > 1]
            if missing:
                problems.append(f"{len(missing)} acknowledged {what} missing, e.g. {missing[:3]}")
            if doubled:
                problems.append(f"{len(doubled)} {what} stored more than once, e.g. {doubled[:3]}")

        check("reports", reports, stored_reports)
        check("reporter messages", list(messages), stored_messages)
        check("adviser replies", replies, stored_messages)
        check("notes", notes, stored_notes)
        wrong = [m for m, owner in messages.items() if stored_messages[m] and on_report.get(m) != owner]
        if wrong:
            problems.append(f"{len(wrong)} reporter messages stored on another report, e.g. {wrong[:3]}")
        audited = (
            AuditEvent.select().where((AuditEvent.action == "status") & AuditEvent.adviser_id.in_(adviser_ids)).count()
        )
        if audited != statuses:
            problems.append(f"{statuses} status changes acknowledged but {audited} audited")
        if is_sqlite():
            integrity = db.execute_sql("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                problems.append(f"PRAGMA integrity_check: {integrity[:5]}")
        counts = {"reports": len(stored_reports), "messages": len(stored_messages), "notes": len(stored_notes)}
    finally:
        db.close()
    return problems, counts


# ---- the run ------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    passed: bool
    lines: list
    problems: list
    figures: dict
    restarts: list

    def text(self):
        return "\n".join(self.lines)


PASSWORD = "a long enough passphrase for load"
ADMIN = "loadadmin"


def prepare(database, advisers):
    """Create the schema, an admin and the adviser accounts, before the load starts.

    Returns the advisers' (username, id) and the admin's unlocked keyring, kept in this process's
    memory only: the ledger check opens the sealed texts with it. The admin comes first, so every
    report the load sends is sealed to an admin (and none to the intake key).
    """
    from store import advisers as accounts
    from store import open_database
    from store.models import Adviser

    db = open_database(database)
    try:
        made = []
        keyring = None
        for name, is_admin in [(ADMIN, True)] + [(f"loadadviser{n}", False) for n in range(advisers)]:
            # Made with the admin's keys, as the app or --granted-by makes them: on the roster at once.
            adviser = Adviser.get_or_none(Adviser.username == name) or accounts.create_adviser(
                name, PASSWORD, is_admin=is_admin, keyring=keyring
            )
            if is_admin:
                keyring = accounts.sign_in(name, PASSWORD).keyring
            else:
                made.append((name, adviser.id))
        return made, keyring
    finally:
        db.close()


def run_load(
    database,
    clients=50,
    seconds=60.0,
    advisers=3,
    instances=1,
    kills=0,
    think=0.05,
    threads=8,
    seed=None,
    label=None,
    echo=print,
):
    """Run the load against ``instances`` `tellus web` processes on ``database``; return a Result.

    With ``kills`` > 0 the first instance is killed with SIGKILL that many
    times, evenly through the run, and started again on the same port.
    """
    run = uuid.uuid4().hex[:8]
    rng = random.Random(seed)
    label = label or ("PostgreSQL" if str(database).startswith("postgres") else "SQLite") + f" x{instances}"
    accounts, admin_keys = prepare(database, advisers)
    servers = [WebServer(database, threads=threads) for _ in range(instances)]
    for s in servers:
        s.wait_healthy()
    ports = [s.port for s in servers]
    stats = Stats()
    ledgers = [{"reports": [], "messages": {}} for _ in range(clients)]
    restarts = []
    ctx = multiprocessing.get_context("spawn")
    results, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    adviser_procs = [
        ctx.Process(target=adviser_worker, args=(str(database), name, run, seconds, n, results, ready, go), daemon=True)
        for n, (name, _id) in enumerate(accounts)
    ]
    try:
        for p in adviser_procs:
            p.start()
        for _ in adviser_procs:
            ready.get(timeout=120)
        go.set()
        started = time.monotonic()
        stop_at = started + seconds
        reporters = [
            Reporter(i, run, ports, stats, ledgers[i], random.Random(rng.random()), think) for i in range(clients)
        ]
        workers = [threading.Thread(target=r.run_until, args=(stop_at,), daemon=True) for r in reporters]
        for w in workers:
            w.start()
        for k in range(kills):
            time.sleep(max(0.0, started + seconds * (k + 1) / (kills + 1) - time.monotonic()))
            servers[0].kill()
            restarts.append(servers[0].restart())
            echo(
                f"  killed the server (SIGKILL) and restarted it: listening {servers[0].listening_after:.2f} s and "
                f"serving /healthz {restarts[-1]:.2f} s after spawn"
            )
        for w in workers:
            w.join(max(1.0, stop_at - time.monotonic() + 60))
        elapsed = time.monotonic() - started
        adviser_out = {}
        for _ in adviser_procs:
            try:
                name, out = results.get(timeout=90)
                adviser_out[name] = out
            except queue_mod.Empty:
                break
        for p in adviser_procs:
            p.join(10)
    finally:
        for s in servers:
            s.stop()
        for p in adviser_procs:
            if p.is_alive():
                p.kill()

    # -- figures ---------------------------------------------------------------
    latency = {k: list(v) for k, v in stats.latency.items()}
    closed = collections.Counter(stats.closed)
    adviser_errors, locked = [], 0
    for name, _id in accounts:
        out = adviser_out.get(name)
        if out is None:
            adviser_errors.append(f"adviser process {name} reported nothing")
            continue
        for kind, values in out["latency"].items():
            latency.setdefault(kind, []).extend(values)
        closed.update(out["closed"])
        adviser_errors += out["errors"]
        locked += out["locked"]
    printed = b"".join(s.printed() for s in servers)
    trouble = [line.decode("utf-8", "replace").strip() for line in printed.splitlines() if SERVER_TROUBLE.search(line)]
    locked += printed.count(b"database is locked")

    lines = [
        f"{label}: {clients} reporter clients, {advisers} adviser processes, {elapsed:.1f} s"
        + (f", {kills} SIGKILL restarts" if kills else ""),
        f"  {'kind':<16}{'answered':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'429':>6}{'409':>6}{'5xx':>6}{'other':>6}{'conn':>6}",
    ]
    figures = {"elapsed": elapsed, "kinds": {}}
    total = 0
    for kind in sorted(set(latency) | set(stats.connection) | set(stats.unexpected)):
        values = latency.get(kind, [])
        total += len(values)
        row = {
            "n": len(values),
            "rate": len(values) / elapsed,
            "p50": percentile(values, 0.5),
            "p99": percentile(values, 0.99),
            "limited": stats.limited[kind],
            "closed": closed[kind],
            "5xx": stats.server_errors[kind],
            "other": stats.unexpected[kind],
            "conn": stats.connection[kind],
        }
        figures["kinds"][kind] = row
        lines.append(
            f"  {kind:<16}{row['n']:>9}{row['rate']:>8.1f}{row['p50']:>9.1f}{row['p99']:>9.1f}{row['limited']:>6}"
            f"{row['closed']:>6}{row['5xx']:>6}{row['other']:>6}{row['conn']:>6}"
        )
    everything = [v for vs in latency.values() for v in vs]
    figures.update(total_rate=total / elapsed, p50=percentile(everything, 0.5), p99=percentile(everything, 0.99))
    lines.append(f"  {'all':<16}{total:>9}{total / elapsed:>8.1f}{figures['p50']:>9.1f}{figures['p99']:>9.1f}")

    reports = [m for led in ledgers for m in led["reports"]]
    messages = {m: r for led in ledgers for m, r in led["messages"].items()}
    replies = [m for out in adviser_out.values() for m in out["replies"]]
    notes = [m for out in adviser_out.values() for m in out["notes"]]
    statuses = sum(out["statuses"] for out in adviser_out.values())
    problems, counts = verify(
        database, run, reports, messages, replies, notes, statuses, [i for _, i in accounts], admin_keys
    )
    lines.append(
        f"  acknowledged: {len(reports)} reports, {len(messages)} reporter messages, {len(replies)} adviser replies, "
        f"{len(notes)} notes, {statuses} status changes; stored with this run's markers: {counts}"
    )
    if restarts:
        lines.append(f"  restarts: {', '.join(f'{r:.2f} s' for r in restarts)} from spawn to first 200 /healthz")

    server_errors = sum(stats.server_errors.values())
    if server_errors:
        problems.append(f"{server_errors} answers 5xx or 'database is locked'")
    if locked:
        problems.append(f"'database is locked' {locked} times (advisers and server output)")
    if sum(stats.unexpected.values()):
        problems.append(f"{sum(stats.unexpected.values())} unexpected answers")
    if adviser_errors:
        problems.append(f"{len(adviser_errors)} adviser errors: {adviser_errors[:3]}")
    if trouble:
        problems.append(f"server printed {len(trouble)} error lines: {trouble[:3]}")
    if not kills and sum(stats.connection.values()):
        problems.append(f"{sum(stats.connection.values())} connection failures with no server killed")
    if kills and any(r > 2.0 for r in restarts):
        problems.append(f"a restart took more than 2 s: {restarts}")
    if not reports or not messages or not replies:
        problems.append("the load did too little to prove anything (no reports, messages or replies acknowledged)")
    for what, examples in stats.examples.items():
        lines.append(f"  examples ({what}): " + "; ".join(examples))
    lines.append("  PASS" if not problems else "  FAIL: " + "; ".join(problems))
    return Result(not problems, lines, problems, figures, restarts)


# ---- PostgreSQL: a private schema per run ---------------------------------------------


class PostgresSchema:
    """A fresh schema in ``url``'s database for one run, dropped afterwards."""

    def __init__(self, url):
        self.base, self.schema = url, "load_" + uuid.uuid4().hex[:10]

    def __enter__(self):
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.schema}")
        sep = "&" if "?" in self.base else "?"
        return f"{self.base}{sep}options=-csearch_path%3D{self.schema}"

    def __exit__(self, *exc):
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {self.schema} CASCADE")


def loopback_sources_work():
    """Whether this machine lets a socket use 127.0.1.2 as its source (Linux does)."""
    try:
        with socket.socket() as s:
            s.bind(("127.0.1.2", 0))
        return True
    except OSError:
        return False


def main(argv=None, kills=0, description=__doc__, seconds=60):
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--advisers", type=int, default=3)
    parser.add_argument("--think", type=float, default=0.05, help="mean pause between a reporter's actions (s)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads per instance")
    parser.add_argument("--postgres", metavar="URL", help="run against PostgreSQL (a private schema in this database)")
    parser.add_argument("--instances", type=int, default=1, help="tellus web processes sharing the database")
    parser.add_argument("--database", help="an SQLite path to use (default: a temporary file)")
    args = parser.parse_args(argv)
    if not (
        1 <= args.clients <= 2000 and 0 < args.seconds <= 600 and 0 <= args.advisers <= 16 and 1 <= args.instances <= 8
    ):
        parser.error("keep it bounded: 1-2000 clients, up to 600 s, up to 16 advisers, 1-8 instances")
    if not loopback_sources_work():
        parser.error("this machine does not route 127.0.1.x to loopback; each client needs its own loopback address")
    options = dict(
        clients=args.clients,
        seconds=args.seconds,
        advisers=args.advisers,
        instances=args.instances,
        kills=kills,
        think=args.think,
        threads=args.threads,
    )
    if args.postgres:
        with PostgresSchema(args.postgres) as url:
            result = run_load(url, **options)
    elif args.database:
        result = run_load(args.database, **options)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run_load(str(pathlib.Path(tmp) / "load.db"), **options)
    print(result.text())
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
