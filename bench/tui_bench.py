"""The adviser app's performance numbers: the app on 100,000 cases and 1,000,000 messages.

    python bench/tui_bench.py [--cases 100000] [--messages 1000000] [--runs 5]
                              [--sizes 120x36,80x24] [--database PATH] [--headless]

The database is bulk-loaded with ``bench.store_bench.fill`` into a temporary
folder (or into --database PATH, kept and reused on the next run). Then, for
each terminal size, --runs fresh processes each start the real ``AdviserApp``
inside a tmux pane of exactly that size (``run_test(headless=False)``: the app
writes real escape sequences to a real terminal; --headless skips tmux), and
a pilot drives it. A moment is "painted" when the app hands the screen update
showing it to the terminal (a hook on ``App._display``), so every figure
includes the worker, the message round trip, layout and rendering.

(a) login → painted inbox: from Enter on the filled-in login form (an admin,
    who sees all cases) to the first paint of the inbox with its rows.
    Target ≤ 1 s. Baseline: the bare store calls the app makes for it
    (sign_in() + latest_change() + inbox() + inbox_counts()).
(b) cursor move: key event sent → paint showing the cursor on the next row
    and the detail line for that row; 200 moves one at a time (latency), and
    99 presses sent at once then waiting for the screen to settle
    (throughput). Target ≤ 30 ms. Baseline: a bare Textual app with only
    Textual's own DataTable holding the same 100 rows (same cells), same
    terminal, same procedure, in its own process — what the inbox would cost
    with the stock widget (the inbox draws its rows with ``InboxList``).
    Then moves while the inbox's pattern count (a thread worker grouping
    100,000 reports, every 60 s) is running, as long as it runs.
(c) live arrival: ``post_reporter_message`` in another process (commit time
    stamped with CLOCK_MONOTONIC, which is system-wide) → paint of the
    inbox row with its higher unread count. Messages go to active cases on
    the visible part of page 1, at random moments relative to the 1 s poll.
    Target ≤ 2 s.
(d) memory: VmRSS and VmHWM from /proc/self/status of the app's process
    after all of the above. Target ≤ 200 MB. Baseline: the bare DataTable
    app's process.

Medians throughout (the machine is shared); the ranges are printed too.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

USERNAME, PASSWORD = "benchadmin", "bench password for the adviser app"
MOVES = 200
ARRIVALS = 5


def proc_status():
    fields = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024  # kB → MB
    return fields


# Painting -------------------------------------------------------------------


class PaintWatch:
    """Records when the app hands a screen update to the terminal, and what state it showed."""

    def __init__(self, app):
        self.app = app
        self.predicate = None
        self.hit = None  # monotonic time of the first paint for which predicate() held
        self.hit_cpu = None  # the process's CPU time (all threads) at that paint
        self.event = asyncio.Event()
        original = app._display

        def display(screen, renderable):
            written = renderable is not None and not app._batch_count
            original(screen, renderable)
            if written and self.predicate is not None and self.hit is None:
                try:
                    ok = self.predicate()
                except Exception:  # state half-built: not this paint
                    ok = False
                if ok:
                    self.hit, self.hit_cpu = time.monotonic(), time.process_time()
                    self.event.set()

        app._display = display

    def expect(self, predicate):
        self.predicate, self.hit = predicate, None
        self.event.clear()

    async def wait(self, timeout=10.0, what="paint"):
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            raise SystemExit(f"timed out waiting for {what}") from None
        self.predicate = None
        return self.hit


def send_key(app, key):
    from textual import events

    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)


async def settle(pilot):
    await pilot.pause(0.2)


async def one_move(app, watch, table, shown, direction):
    """One key press; returns (latency, CPU time, whether the table scrolled) and the direction for the next."""
    row = table.cursor_row
    if row + direction < 0 or row + direction >= table.row_count:
        direction = -direction
    target = row + direction
    watch.expect(lambda: table.cursor_row == target and shown(target))
    t0, c0, y0 = time.monotonic(), time.process_time(), table.scroll_y
    send_key(app, "down" if direction > 0 else "up")
    latency = await watch.wait(what="cursor move") - t0
    return (latency, watch.hit_cpu - c0, table.scroll_y != y0), direction


async def cursor_moves(app, watch, table, shown):
    """One key at a time: latency from key to paint. ``shown(row)``: the row's state is on screen."""
    latencies, cpu, scrolled = [], [], []
    direction = 1
    for _ in range(MOVES):
        (latency, used, scroll), direction = await one_move(app, watch, table, shown, direction)
        latencies.append(latency)
        cpu.append(used)
        scrolled.append(scroll)  # a scroll shows other rows in every line of the table
    # Throughput: a burst to the bottom and back, waiting for the screen to settle each way.
    bursts = []
    if table.cursor_row != 0:
        watch.expect(lambda: table.cursor_row == 0 and shown(0))
        table.move_cursor(row=0)
        await watch.wait(what="first row")
    for key, target in (("down", table.row_count - 1), ("up", 0)):
        watch.expect(lambda target=target: table.cursor_row == target and shown(target))
        t0 = time.monotonic()
        for _ in range(table.row_count - 1):
            send_key(app, key)
        bursts.append((await watch.wait(what="burst") - t0) / (table.row_count - 1))
    return latencies, cpu, scrolled, bursts


# The adviser app in one process --------------------------------------------


async def child_app(args):
    from textual.widgets import Input, Static

    from adviser_tui.app import AdviserApp
    from adviser_tui.screens.inbox import InboxScreen
    from adviser_tui.widgets.inbox_list import InboxList
    from adviser_tui.widgets.oversight_bar import OversightBar
    from store import Config, open_database

    width, height = args.size
    config = Config()
    open_database(args.database)
    app = AdviserApp(config, args.database)
    result = {}
    async with app.run_test(headless=args.headless, size=(width, height), notifications=True) as pilot:
        watch = PaintWatch(app)
        await pilot.pause(0.3)
        screen = app.screen
        screen.query_one("#username", Input).value = USERNAME
        screen.query_one("#password", Input).value = PASSWORD
        screen.query_one("#password", Input).focus()
        await settle(pilot)

        def inbox_painted():
            s = app.screen
            return isinstance(s, InboxScreen) and s._loaded_once and s.query_one(InboxList).row_count > 0

        watch.expect(inbox_painted)
        t0 = time.monotonic()
        send_key(app, "enter")
        result["login"] = await watch.wait(what="inbox after login") - t0
        await settle(pilot)

        inbox = app.screen
        table = inbox.query_one(InboxList)
        detail = inbox.query_one("#row-detail", Static)

        def detail_shows(index):
            return inbox.rows[index].reference in str(detail.visual)

        result["moves"], result["moves_cpu"], result["scrolled"], result["bursts"] = await cursor_moves(
            app, watch, table, detail_shows
        )
        await settle(pilot)

        # The inbox's pattern count (every 60 s, 100,000 reports) runs in a thread: moves while it runs.
        bar = inbox.query_one(OversightBar)

        def counting():
            return any(w.group == "oversight" and not w.is_finished for w in app.workers)

        bar.refresh_now()
        during, direction, started = [], 1, time.monotonic()
        while not counting() and time.monotonic() - started < 2:
            await asyncio.sleep(0.001)
        while counting() and len(during) < MOVES:
            (latency, _, _), direction = await one_move(app, watch, table, detail_shows, direction)
            during.append(latency)
        result["moves_counting"] = during
        result["count_seconds"] = time.monotonic() - started
        await settle(pilot)

        # Live arrival: a reporter writes on an active case in sight; the poster process commits and stamps.
        poster = await asyncio.create_subprocess_exec(
            sys.executable,
            os.path.abspath(__file__),
            "--child",
            "poster",
            "--database",
            args.database,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        visible = max(table.size.height - 1, 1)  # minus the header row
        candidates = [r for r in inbox.rows[:visible] if r.status != "closed"]
        arrivals = []
        rng = random.Random()
        for i in range(ARRIVALS):
            row = candidates[i % len(candidates)]
            before = next(r.unread_count for r in inbox.rows if r.id == row.id)

            def arrived(row_id=row.id, before=before):
                s = app.screen
                return s is inbox and any(r.id == row_id and r.unread_count > before for r in s.rows)

            await asyncio.sleep(rng.uniform(0.1, 1.1))  # any phase of the poll
            watch.expect(arrived)
            poster.stdin.write(f"{row.id}\n".encode())
            await poster.stdin.drain()
            stored = float((await poster.stdout.readline()).decode())
            arrivals.append(await watch.wait(what="arrival") - stored)
            await settle(pilot)
        poster.stdin.close()
        await poster.wait()
        result["arrivals"] = arrivals
        result["memory"] = proc_status()
        result["terminal"] = list(app.size)
    return result


# The baseline: bare store calls, and a bare DataTable app -------------------


async def child_bare(args):
    from textual.app import App
    from textual.widgets import DataTable

    from adviser_tui.screens.inbox import COLUMNS, InboxScreen
    from store import Config, open_database
    from store.advisers import sign_in
    from store.clock import utcnow
    from store.inbox import inbox, inbox_counts, latest_change

    width, height = args.size
    config = Config()
    open_database(args.database)
    t0 = time.monotonic()
    adviser = sign_in(USERNAME, PASSWORD)  # as the app signs in: password check and key unlock
    latest_change(config)
    page = inbox(config, adviser=adviser, limit=100)
    inbox_counts(config, adviser)
    result = {"login": time.monotonic() - t0}
    now = utcnow()
    cells = [InboxScreen._cells(None, row, now) for row in page.rows]

    class Bare(App):
        def compose(self):
            yield DataTable(cursor_type="row")

        def on_mount(self):
            table = self.query_one(DataTable)
            for key, label, column_width, _drop in COLUMNS:
                table.add_column(label, width=column_width, key=key)
            for row, row_cells in zip(page.rows, cells):
                table.add_row(*row_cells, key=str(row.id))
            table.focus()

    app = Bare()
    async with app.run_test(headless=args.headless, size=(width, height)) as pilot:
        watch = PaintWatch(app)
        await settle(pilot)
        table = app.query_one(DataTable)
        result["moves"], result["moves_cpu"], result["scrolled"], result["bursts"] = await cursor_moves(
            app, watch, table, lambda index: True
        )
        await settle(pilot)
        result["memory"] = proc_status()
        result["terminal"] = list(app.size)
    return result


def child_poster(args):
    """Reads case ids on stdin; posts a reporter message on each; prints the commit's monotonic time."""
    from store import open_database
    from store.advisers import sign_in
    from store.conversation import post_reporter_message
    from store.models import database

    open_database(args.database)
    # A reporter's session holds its case's key; this process, standing in for many reporters,
    # takes each from the bench admin's keys.
    keyring = sign_in(USERNAME, PASSWORD).keyring
    for line in sys.stdin:
        with database.connection_context():
            key = keyring.case_key(int(line))
            post_reporter_message(int(line), "Benchmark: a reporter writes again. 🙂 Diolch.", case_key=key)
        print(time.monotonic(), flush=True)


# The conductor ----------------------------------------------------------------


def prepare(path, n_cases, n_messages):
    from bench.store_bench import fill
    from store import open_database
    from store.models import Report, database

    open_database(path)
    if Report.select().count() == 0:
        s = time.monotonic()
        fill(n_cases, n_messages, USERNAME, PASSWORD)  # sealed, to this admin (and the recovery key)
        print(f"Loaded {n_cases:,} cases and {n_messages:,} messages in {time.monotonic() - s:.0f} s into {path}")
    else:
        print(f"Reusing {path} ({Report.select().count():,} cases)")
    database.close()


def run_child(kind, database, size, headless, workdir, index):
    """One measuring process; in a tmux pane of exactly ``size`` unless headless."""
    out = os.path.join(workdir, f"{kind}-{size[0]}x{size[1]}-{index}.json")
    command = [
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        kind,
        "--database",
        database,
        "--size",
        f"{size[0]}x{size[1]}",
        "--out",
        out,
    ] + (["--headless"] if headless else [])
    if headless:
        subprocess.run(command, check=True, cwd=os.path.join(HERE, ".."))
    else:
        # Textual paints on stderr, so stderr stays the pane; the child writes its own failure to out + ".err".
        tmux = ["tmux", "-L", f"tuibench-{os.getpid()}"]  # a private server, gone with its last session
        shell = f"cd {shlex.quote(os.path.join(HERE, '..'))} && {shlex.join(command)}"
        subprocess.run(
            tmux + ["new-session", "-d", "-s", "bench", "-x", str(size[0]), "-y", str(size[1]), shell], check=True
        )
        try:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                if subprocess.run(tmux + ["has-session", "-t", "bench"], capture_output=True).returncode:
                    break
                time.sleep(0.5)
        finally:  # also on a timeout or ^C: no measuring process left behind
            subprocess.run(tmux + ["kill-server"], capture_output=True)
        if not os.path.exists(out):
            error = out + ".err"
            reason = open(error, errors="replace").read()[-2000:] if os.path.exists(error) else "no result"
            raise SystemExit(f"{kind} run failed at {size[0]}x{size[1]}: {reason}")
    with open(out) as fh:
        return json.load(fh)


def ms(seconds):
    return seconds * 1000


def spread(samples, unit=ms):
    values = sorted(unit(s) for s in samples)
    return statistics.median(values), values[0], values[-1]


def verdict(value, target):
    return "PASS" if value <= target else "FAIL"


def summarise(size, apps, bares):
    w, h = size
    print(f"\nTerminal {w}×{h} ({len(apps)} app processes, {len(bares)} baseline processes; medians, [min–max]):")
    login = spread([r["login"] for r in apps])
    base_login = spread([r["login"] for r in bares])
    print(
        f"  (a) login → painted inbox   {login[0]:7.0f} ms [{login[1]:.0f}–{login[2]:.0f}]   "
        f"baseline store calls {base_login[0]:.0f} ms, ratio {login[0] / base_login[0]:.1f}×   "
        f"target ≤ 1000 ms {verdict(login[0], 1000)}"
    )
    move = spread([m for r in apps for m in r["moves"]])
    base_move = spread([m for r in bares for m in r["moves"]])
    print(
        f"  (b) cursor move, key → paint {move[0]:6.1f} ms [{move[1]:.1f}–{move[2]:.1f}]   "
        f"bare DataTable {base_move[0]:.1f} ms, ratio {move[0] / base_move[0]:.1f}×   "
        f"target ≤ 30 ms {verdict(move[0], 30)}"
    )
    for label, scrolled in (("within the window", False), ("scrolling the table", True)):
        part = [m for r in apps for m, s in zip(r["moves"], r["scrolled"]) if s == scrolled]
        base_part = [m for r in bares for m, s in zip(r["moves"], r["scrolled"]) if s == scrolled]
        if part and base_part:
            p, b = spread(part), spread(base_part)
            print(
                f"      {label:<20} {p[0]:6.1f} ms ({len(part)} moves)   bare DataTable {b[0]:.1f} ms, "
                f"ratio {p[0] / b[0]:.1f}×"
            )
    under = sum(m <= 0.030 for r in apps for m in r["moves"]) / sum(len(r["moves"]) for r in apps)
    print(f"      moves painted within 30 ms: {under:.0%}")
    cpu = spread([m for r in apps for m in r["moves_cpu"]])
    base_cpu = spread([m for r in bares for m in r["moves_cpu"]])
    print(
        f"      CPU time per move           {cpu[0]:5.1f} ms [{cpu[1]:.1f}–{cpu[2]:.1f}]   "
        f"bare DataTable {base_cpu[0]:.1f} ms, ratio {cpu[0] / base_cpu[0]:.1f}×"
    )
    burst = spread([b for r in apps for b in r["bursts"]])
    base_burst = spread([b for r in bares for b in r["bursts"]])
    print(
        f"      99 keys sent at once, per move {burst[0]:5.1f} ms [{burst[1]:.1f}–{burst[2]:.1f}]   "
        f"bare DataTable {base_burst[0]:.1f} ms, ratio {burst[0] / base_burst[0]:.1f}×"
    )
    during = [m for r in apps for m in r["moves_counting"]]
    if during:
        d = spread(during)
        counted = spread([r["count_seconds"] for r in apps], unit=float)
        print(
            f"      while the pattern count runs ({counted[0]:.1f} s, a thread, every 60 s): {d[0]:5.1f} ms "
            f"[{d[1]:.1f}–{d[2]:.1f}] ({len(during)} moves), {sum(m <= 0.030 for m in during) / len(during):.0%} "
            f"within 30 ms"
        )
    arrival = spread([a for r in apps for a in r["arrivals"]])
    print(
        f"  (c) message stored → row painted {arrival[0]:5.0f} ms [{arrival[1]:.0f}–{arrival[2]:.0f}] "
        f"({sum(len(r['arrivals']) for r in apps)} messages, 1 s poll)   target ≤ 2000 ms {verdict(arrival[0], 2000)}"
    )
    rss = spread([r["memory"]["VmRSS"] for r in apps], unit=float)
    hwm = spread([r["memory"]["VmHWM"] for r in apps], unit=float)
    base_rss = spread([r["memory"]["VmRSS"] for r in bares], unit=float)
    print(
        f"  (d) memory VmRSS {rss[0]:.0f} MB, VmHWM {hwm[0]:.0f} MB   bare DataTable app VmRSS {base_rss[0]:.0f} MB, "
        f"ratio {rss[0] / base_rss[0]:.1f}×   target ≤ 200 MB {verdict(max(rss[0], hwm[0]), 200)}"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5, help="measuring processes per terminal size (each kind)")
    ap.add_argument("--sizes", default="120x36,80x24")
    ap.add_argument("--database", help="SQLite file to fill (or reuse, if already filled) and keep")
    ap.add_argument("--headless", action="store_true", help="no tmux: Textual's headless driver")
    ap.add_argument("--child", choices=["app", "bare", "poster"], help=argparse.SUPPRESS)
    ap.add_argument("--size", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child == "poster":
        child_poster(args)
        return
    if args.child:
        args.size = tuple(int(n) for n in args.size.split("x"))
        try:
            result = asyncio.run(child_app(args) if args.child == "app" else child_bare(args))
        except BaseException:
            import traceback

            with open(args.out + ".err", "w") as fh:
                fh.write(traceback.format_exc())
            raise
        with open(args.out, "w") as fh:
            json.dump(result, fh)
        return

    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes, also into a file
    if not args.headless and shutil.which("tmux") is None:
        print("tmux not found: measuring with the headless driver instead.")
        args.headless = True
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as tmp:
        database = args.database or os.path.join(tmp, "bench.db")
        prepare(database, args.cases, args.messages)
        print(
            f"Adviser app on {database}; {'headless driver' if args.headless else 'real terminal (tmux)'}; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {dt.date.today()}"
        )
        for size in sizes:
            apps, bares = [], []
            for i in range(args.runs):  # alternate, so machine noise hits both alike
                bares.append(run_child("bare", database, size, args.headless, tmp, i))
                apps.append(run_child("app", database, size, args.headless, tmp, i))
            summarise(size, apps, bares)
            print(f"  (load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
