"""Snapshots of the inbox and case screens at 80×24 and 120×40 (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the pictures in the report before committing them.
"""

import datetime as dt

import pytest

from adviser_tui.app import AdviserApp
from store import conversation
from store.advisers import create_adviser
from store.clock import utcnow
from store.models import Message, Note, Report

from .helpers import submit
from .tui_support import case_ready, inbox_ready, wait_for

FIXED = dt.datetime(2026, 3, 2, 9, 15)  # a Monday; every shown date is derived from it


@pytest.fixture
def scene(config, sqlite_db):
    """Four cases with fixed references and dates; ages are relative to now so they do not drift."""
    ann = create_adviser("ann", "correct horse battery", "Ann Adviser")
    now = utcnow()
    specs = [
        ("TL-AAAA01", "Harassment", "named", "Someone keeps following me after the evening seminar.", 3, True),
        ("TL-BBBB02", "Bullying", "anonymous", "My flatmates post jokes about me in the group chat.", 2, True),
        ("TL-CCCC03", "Wellbeing concern", "anonymous", "A friend said something worrying last night.", 1, False),
        ("TL-DDDD04", "Assault", "anonymous", "I saw a man push someone near the bike sheds.", 0, False),
    ]
    for index, (reference, category, way, text, days, unread) in enumerate(specs):
        extra = dict(name="Sam Lee", email="sam@example.ac.uk") if way == "named" else {}
        report = submit(config, category=category, way=way, description=text, **extra).report
        created = FIXED + dt.timedelta(days=index)
        Report.update(
            reference=reference, created_at=created, due_on=(created + dt.timedelta(days=7)).date(),
            unread_since=now - dt.timedelta(days=days, hours=3) if unread else None,
            unread_count=1 if unread else 0, adviser_read_at=None if unread else created,
            last_activity_at=now - dt.timedelta(days=days), preview=text,
        ).where(Report.id == report.id).execute()
        if index == 0:
            conversation.add_note(report.id, ann, "Security have been told.", now=created + dt.timedelta(hours=1))
            Message.create(report=report.id, author="adviser", adviser=ann, body="Thank you for telling us.",
                           created_at=created + dt.timedelta(hours=2), read_at=created + dt.timedelta(hours=5))
            # Already read (at a fixed time): opening the case must not stamp "now" into the picture.
            Message.create(report=report.id, author="reporter", body="It happened again on Friday.",
                           created_at=created + dt.timedelta(hours=6), read_at=created + dt.timedelta(hours=7))
            Note.update(created_at=created + dt.timedelta(hours=1)).execute()
        if index >= 2:
            Report.update(first_response_at=created).where(Report.id == report.id).execute()
    return ann


def make_app(config, sqlite_url, ann):
    # A long poll: nothing moves while the picture is taken.
    return AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=60)


async def _inbox(pilot):
    await wait_for(pilot, lambda: inbox_ready(pilot.app) and len(pilot.app.screen.rows) == 4, what="inbox")
    # The oversight line is counted in its own worker: wait for it, so the picture does not depend on timing.
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#oversight").count is not None, what="pattern count")
    await pilot.pause()


async def _case(pilot):
    await _inbox(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: case_ready(pilot.app), what="case")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_inbox_snapshot(snap_compare, config, sqlite_url, scene, size):
    assert snap_compare(make_app(config, sqlite_url, scene), terminal_size=size, run_before=_inbox)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_case_snapshot(snap_compare, config, sqlite_url, scene, size):
    assert snap_compare(make_app(config, sqlite_url, scene), terminal_size=size, run_before=_case)
