"""A case of real length on the case screen: every line reachable by keyboard and wheel, at 80×24 and 250×70.

The case: 50 messages of 40 lines, an internal note after every fifth, every tenth at the
20,000-character limit with a 300-character word and a 400-character link that must wrap.
Each line starts with a label ("Message 07 · line 12 of 40"), so the painted screen says
exactly which parts of the case an adviser has been shown.
"""

import datetime as dt
import itertools
import re
import time

import pytest

from adviser_tui.app import AdviserApp
from adviser_tui.widgets.thread_view import ThreadView
from store import conversation
from store.conversation import thread
from store.models import Report
from store.reports import MESSAGE_LIMIT
from store.sample_data import build

from ..helpers import bodies, reporter_message, submit
from .support import SAMPLE_NOW, case_ready, screen_text, wait_for, wait_inbox, wheel

MESSAGES, LINES = 50, 40
LABEL = re.compile(r"Message (\d\d) · line (\d\d) of 40")
LAST = f"Message {MESSAGES} · line {LINES} of {LINES}"
FILLER = "Dw i'n ysgrifennu eto. Zażółć gęślą jaźń 🇵🇱 👩‍💻 شكراً على الرد السريع."
GUTTER = "▌┃│┆╎ "


# Every labelled line (in the messages at the limit, lines 20 and 21 are the unbroken ones).
ALL_LABELS = {(i, j) for i in range(1, MESSAGES + 1) for j in range(1, LINES + 1) if i % 10 or j not in (20, 21)}


def label(i, j):
    return f"Message {i:02d} · line {j:02d} of {LINES}"


def unbroken_word(i):
    return f"W{i:02d}" + "".join(chr(ord("a") + k % 26) for k in range(297))


def unbroken_link(i):
    return f"https://drive.example.ac.uk/share/{i:02d}/" + "".join("0123456789abcdef"[k * 7 % 16] for k in range(360))


def body(i):
    lines = [label(i, j) for j in range(1, LINES + 1)]
    if i % 10:
        return "\n".join(lines)
    # At the limit: two unbroken lines, every other line long enough to wrap several times.
    lines[19] = unbroken_word(i)
    lines[20] = unbroken_link(i)
    text = "\n".join(lines)
    for j in (k for k in range(LINES) if k not in (19, 20, LINES - 1)):
        room = MESSAGE_LIMIT - len(text)
        if room <= 0:
            break
        extra = (" " + FILLER) * (min(room, 520) // (len(FILLER) + 1))
        lines[j] += extra
        text = "\n".join(lines)
    lines[LINES - 2] += " " + "." * (MESSAGE_LIMIT - len(text) - 1)
    return "\n".join(lines)


def long_case(config, adviser):
    """Through the services, as people would make it: an adviser answers first, the reporter writes last."""
    start = SAMPLE_NOW - dt.timedelta(days=30)
    report = submit(config, now=start, description="What the reporter wrote first.").report
    for i in range(1, MESSAGES + 1):
        at = start + dt.timedelta(hours=6 * i)
        if i % 2:
            conversation.post_adviser_reply(report.id, adviser, body(i), now=at, config=config)
        else:
            reporter_message(report.id, body(i), now=at)
        if i % 5 == 0:
            conversation.add_note(
                report.id,
                adviser,
                f"Internal note after message {i:02d}.",
                now=at + dt.timedelta(minutes=30),
                config=config,
            )
    assert any(len(text) == MESSAGE_LIMIT for text in bodies(report.id))
    return report


def rows(app):
    """The painted lines of the case's body (between the title bar and the footer, left of the scrollbar)."""
    width = app.screen.query_one(ThreadView).scrollable_content_region.width
    return [line[:width] for line in screen_text(app).splitlines()[1:-1]]


def labels(lines):
    return {(int(i), int(j)) for line in lines for i, j in LABEL.findall(line)}


def joined(lines):
    """The painted rows without gutters and padding, run together: a wrapped word reads whole again."""
    return "".join(line.strip().strip(GUTTER) for line in lines)


async def open_long_case(pilot):
    """Open it (at its first unread message, the reporter's last one), then go to the start with Home."""
    await wait_inbox(pilot, rows=1)
    await pilot.press("enter")
    await wait_for(pilot, lambda: case_ready(pilot.app), what="case screen")
    assert rows(pilot.app)[0].lstrip(GUTTER).startswith("Reporter · "), "the case did not open at its unread message"
    assert label(MESSAGES, 1) in screen_text(pilot.app)
    await pilot.press("home")
    await wait_for(pilot, lambda: "What happened" in screen_text(pilot.app), what="the start of the case")


@pytest.mark.parametrize("size", [(80, 24), (250, 70)])
async def test_every_line_of_a_long_case_is_reached_by_keyboard(config, sqlite_url, ann, size):
    long_case(config, ann)
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=60)
    async with app.run_test(size=size) as pilot:
        await open_long_case(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("↑↓", "PgUp", "PgDn", "Home", "End"):
            assert key in footer, f"{key} is not shown in the footer: {footer!r}"
        # Page by page to the end: the pages together are the whole case, every line of it.
        document = list(rows(app))
        for _ in range(2000):
            if LAST in screen_text(app):
                break
            await pilot.press("pagedown")
            document += rows(app)
        assert LAST in screen_text(app), "PgDn never reached the last line of the last message"
        assert labels(document) == ALL_LABELS
        assert all(f"Internal note after message {i:02d}." in "\n".join(document) for i in range(5, 51, 5))
        run_together = joined(document)
        for i in range(10, 51, 10):  # long unbroken lines wrap; nothing runs off the side
            assert unbroken_word(i) in run_together and unbroken_link(i) in run_together
        assert all(len(line) <= size[0] for line in document)
        # Home brings back the start, End the last line; ↑/↓ move one line.
        await pilot.press("home")
        await wait_for(pilot, lambda: "What happened" in screen_text(app) and LAST not in screen_text(app), what="home")
        top = rows(app)
        await pilot.press("down")
        assert rows(app)[:-1] == top[1:]
        await pilot.press("up")
        assert rows(app) == top
        await pilot.press("end")
        await wait_for(pilot, lambda: LAST in screen_text(app), what="end")


@pytest.mark.parametrize("size", [(80, 24), (250, 70)])
async def test_every_line_of_a_long_case_is_reached_by_mouse_wheel(config, sqlite_url, ann, size):
    long_case(config, ann)
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=60)
    async with app.run_test(size=size) as pilot:
        await open_long_case(pilot)
        x, y = size[0] // 2, size[1] // 2
        for _ in range(500):  # the wheel in bursts, as a hand spins it
            if LAST in screen_text(app):
                break
            await wheel(pilot, x, y, down=True, turns=20)
        assert LAST in screen_text(app), "the wheel never reached the last line of the last message"
        for _ in range(500):
            if "What the reporter wrote first." in screen_text(app):
                break
            await wheel(pilot, x, y, down=False, turns=20)
        assert "What the reporter wrote first." in screen_text(app), "the wheel never came back to the start"


async def test_a_live_refresh_keeps_the_adviser_s_place_or_follows_the_end(config, sqlite_url, ann):
    report = long_case(config, ann)
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_long_case(pilot)
        for _ in range(30):
            await pilot.press("pagedown")
        place = rows(app)
        assert labels(place) and LAST not in screen_text(app)
        reporter_message(report.id, "A new message while the adviser reads the middle.")
        await wait_for(pilot, lambda: "A new message while" in app.screen.view.items[-1].body, what="refreshed")
        await pilot.pause(0.5)  # several polls later
        assert rows(app) == place  # the adviser's place is kept
        await pilot.press("end")
        await wait_for(
            pilot, lambda: "A new message while the adviser reads the middle." in screen_text(app), what="end"
        )
        reporter_message(report.id, "And one more, while the adviser is at the end.")
        await wait_for(
            pilot, lambda: "And one more, while the adviser is at the end." in screen_text(app), what="the end followed"
        )


@pytest.mark.alone  # the app's longest pause is bounded (0.5 s): no other test may take the cores meanwhile
async def test_a_case_of_a_thousand_messages_does_not_freeze_the_app(config, sqlite_url, sqlite_db):
    sample = build(config, now=SAMPLE_NOW, cases=1, longest_thread=1000, password="correct horse battery")
    adviser = sample.advisers[0]
    last = thread(sample.longest, key=adviser.keyring.case_key(sample.longest))[-1]
    tail = last.body.splitlines()[-1][-12:]
    app = AdviserApp(config, sqlite_url, signed_in=adviser, poll_seconds=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_inbox(pilot, rows=1)
        ticks = []
        app.set_interval(0.02, lambda: ticks.append(time.perf_counter()))
        started = time.perf_counter()
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_ready(app), timeout=30, what="case screen")
        opened = time.perf_counter() - started
        await pilot.press("end")
        await wait_for(pilot, lambda: tail in screen_text(app), what="the last message")
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        print(f"\n1000 messages: case shown after {opened:.2f} s; longest pause of the app {max(gaps):.2f} s")
        assert max(gaps) < 0.5, f"the app stopped answering for {max(gaps):.2f} s"
        started = time.perf_counter()
        await pilot.press("home")
        await wait_for(pilot, lambda: "What happened" in screen_text(app), what="home")
        assert time.perf_counter() - started < 0.5
    assert Report.get_by_id(sample.longest).unread_count == 0
