"""Snapshots of the inbox and case screens at 80×24 and 120×40 (pytest-textual-snapshot), on realistic data.

The data is a year of cases from store.sample_data with a fixed seed, seen through a clock
fixed at the moment the data ends, so nothing in the pictures drifts from run to run.
Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the pictures in the report before committing them.
"""

import pytest

from adviser_tui.app import AdviserApp
from adviser_tui.screens.case import CaseScreen
from store.models import Report

from .support import SAMPLE_NOW, case_ready, inbox_ready, wait_for

SIZES = [(80, 24), (120, 40)]


def make_app(config, sqlite_url, sample):
    # A long poll: nothing moves while the picture is taken.
    return AdviserApp(config, sqlite_url, signed_in=sample.advisers[0], poll_seconds=60, clock=lambda: SAMPLE_NOW)


async def _inbox(pilot):
    await wait_for(pilot, lambda: inbox_ready(pilot.app) and len(pilot.app.screen.rows) == 100, what="inbox")
    # The oversight line is counted in its own worker: wait for it, so the picture does not depend on timing.
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#oversight").count is not None, what="pattern count")
    await pilot.pause()


def _case(report_id, *keys):
    async def run_before(pilot):
        await _inbox(pilot)
        pilot.app.push_screen(CaseScreen(report_id, Report.get_by_id(report_id).reference))
        await wait_for(pilot, lambda: case_ready(pilot.app), what="case")
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_inbox_snapshot(snap_compare, config, sqlite_url, sample, size):
    assert snap_compare(make_app(config, sqlite_url, sample), terminal_size=size, run_before=_inbox)


@pytest.mark.parametrize("size", SIZES)
def test_case_snapshot(snap_compare, config, sqlite_url, sample, size):
    """The case with the longest thread, from the top: details, the report, the first replies."""
    app = make_app(config, sqlite_url, sample)
    assert snap_compare(app, terminal_size=size, run_before=_case(sample.longest))


@pytest.mark.parametrize("size", SIZES)
def test_case_end_snapshot(snap_compare, config, sqlite_url, sample, size):
    """The same case at its end: the last message with its read marker, a note, the state line."""
    app = make_app(config, sqlite_url, sample)
    assert snap_compare(app, terminal_size=size, run_before=_case(sample.longest, "end"))
