"""The entry points: patterns over a window of the database, for an adviser or for everyone.

``read_columns`` is the only database read of the package; the grouping
itself (``grouping.group_reports``) works on what it returns.
"""

import datetime as dt
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

import numpy as np

from .. import casetext
from ..access import visible_to
from ..clock import utcnow
from ..config import Config
from ..errors import ValidationError
from ..keyring import Keyring, keyring_of
from ..models import Adviser, Report, database
from .columns import PatternGroup, ReportColumns, ReportTable
from .grouping import KINDS, MAX_THRESHOLD, check_kinds, check_threshold, group_reports
from .places import location_groups

WINDOWS = {"30": 30, "90": 90, "365": 365, "all": None}
_CHUNK = 500  # rows read at a time: fewer than the 700 new objects that start a collection


def parse_window(window: object) -> int | None:
    """30, 90, 365 (days) or "all"/None. Raises ValidationError otherwise."""
    if window is None:
        return None
    key = str(window).strip().lower().removesuffix("d")
    if key not in WINDOWS:
        raise ValidationError({"window": "Choose a window of 30, 90 or 365 days, or all."})
    return WINDOWS[key]


def read_columns(
    config: Config,
    days: int | None,
    adviser: Adviser | None = None,
    now: dt.datetime | None = None,
    keyring: Keyring | None = None,
) -> ReportColumns:
    """The reports of the last ``days`` days (None: all), those ``adviser`` may see (None: all), as columns.

    Places and people are sealed: they are opened with ``keyring`` here, in memory only; a case
    without a key (or no keyring) counts for its category alone.
    """
    query = Report.select(Report.id, Report.reference, Report.created_at, Report.category, Report.sealed_details)
    if days is not None:
        query = query.where(Report.created_at >= (now or utcnow()) - dt.timedelta(days=days))
    visible = visible_to(adviser, config)
    if visible is not None:
        query = query.where(visible)
    # The raw cursor: peewee's per-row conversion was a third of the time at 100,000
    # reports. SQLite hands back timestamps as ISO text, PostgreSQL as datetimes;
    # ReportColumns takes either.
    return _columns(database.execute(query.order_by(Report.created_at, Report.id)), keyring)


def _opened(rows: list[tuple[Any, ...]], keyring: Keyring | None) -> list[tuple[Any, ...]]:
    """Rows of (id, reference, created_at, category, sealed details) as the six columns' values."""
    keys = keyring.case_keys([row[0] for row in rows]) if keyring is not None else {}
    opened = []
    for report_id, reference, created_at, category, sealed in rows:
        key = keys.get(report_id)
        details = casetext.open_details(reference, key, sealed) if key is not None else None
        location, people = (details["location"], details["people"]) if details else (None, None)
        opened.append((report_id, reference, created_at, category, location, people))
    return opened


def _columns(cursor: Any, keyring: Keyring | None = None) -> ReportColumns:
    """The cursor's rows as columns, each a numpy object array, which the cyclic collector never walks.

    They are built a few hundred rows at a time: rows freed as fast as they come never add up to a
    collection. (Six tuples of 100,000 values took it 20 ms to look through, all the rows at once 5 ms.)
    """
    chunks = []
    while fetched := cursor.fetchmany(_CHUNK):
        rows = _opened(fetched, keyring)
        chunks.append([np.fromiter(map(itemgetter(i), rows), dtype=object, count=len(rows)) for i in range(6)])
    if not chunks:
        return ReportColumns(*(np.empty(0, dtype=object) for _ in range(6)))
    return ReportColumns(*(np.concatenate([chunk[i] for chunk in chunks]) for i in range(6)))


def find_patterns(
    config: Config,
    window: object = 90,
    adviser: Adviser | None = None,
    now: dt.datetime | None = None,
    threshold: object = None,
    kinds: Iterable[str] = KINDS,
    min_count: int = 2,
    keyring: Keyring | None = None,
) -> list[PatternGroup]:
    """Groups of reports naming the same place, person or category in the window.

    ``window``: 30, 90, 365 or "all". With ``adviser``, only cases they may see.
    Groups of fewer than ``min_count`` reports are left out. Patterns (groups
    reaching the threshold) come first, then by size and most recent report.
    """
    days = parse_window(window)
    checked = check_threshold(config.pattern_threshold if threshold is None else threshold)
    kinds = check_kinds(kinds)  # before reading: a bad request costs no query
    keyring = keyring_of(adviser, keyring)
    return group_reports(read_columns(config, days, adviser, now, keyring), config, checked, kinds, min_count)


def active_pattern_count(
    config: Config,
    window: object = 90,
    adviser: Adviser | None = None,
    now: dt.datetime | None = None,
    keyring: Keyring | None = None,
) -> int:
    """How many groups reach the threshold (for the inbox header)."""
    threshold = check_threshold(config.pattern_threshold)
    found = find_patterns(config, window, adviser, now, min_count=threshold, keyring=keyring)
    return sum(1 for g in found if g.is_pattern)


def location_groups_for(rows: Iterable[tuple[int, str | None]], config: Config) -> dict[int, str]:
    """Location grouping for other services (statistics): rows of (id, location) → {id: label}."""
    rows = list(rows)
    ids = [rid for rid, _loc in rows]
    blank = [""] * len(ids)
    columns = ReportColumns(ids, blank, [dt.datetime.min] * len(ids), blank, [loc or "" for _rid, loc in rows], blank)
    labels = {}
    for group in location_groups(ReportTable(columns), config, threshold=MAX_THRESHOLD):
        for rid in group.report_ids:
            labels[rid] = group.label
    return labels
