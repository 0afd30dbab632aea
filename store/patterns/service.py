"""The entry points: patterns over a window of the database, for an adviser or for everyone.

``read_columns`` is the only database read of the package; the grouping
itself (``grouping.group_reports``) works on what it returns.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt
import peewee as pw

from .. import casetext, sealing
from ..access import visible_to
from ..clock import utcnow
from ..config import Config
from ..errors import ValidationError
from ..keyring import Keyring, keyring_of
from ..models import Adviser, CaseKey, Report, database
from .columns import PatternGroup, ReportColumns, ReportTable
from .grouping import KINDS, MAX_THRESHOLD, check_kinds, check_threshold, group_reports
from .places import location_groups

WINDOWS = {"30": 30, "90": 90, "365": 365, "all": None}
_CHUNK = 2000  # rows read at a time (each batch of libsodium calls, each JSON array)


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
    columns = [Report.id, Report.reference, Report.created_at, Report.category, Report.sealed_details]
    query = Report.select(*columns)
    if keyring is not None:
        # The adviser's wrapped copy of each case key comes with its report (one read, not one per 500 ids).
        query = Report.select(*columns, CaseKey.wrapped_key).join(
            CaseKey,
            pw.JOIN.LEFT_OUTER,
            on=(
                (CaseKey.report == Report.id) & (CaseKey.holder == "adviser") & (CaseKey.adviser == keyring.adviser_id)
            ),
        )
    if days is not None:
        query = query.where(Report.created_at >= (now or utcnow()) - dt.timedelta(days=days))
    visible = visible_to(adviser, config)
    if visible is not None:
        query = query.where(visible)
    # The raw cursor: peewee's per-row conversion was a third of the time at 100,000
    # reports. SQLite hands back timestamps as ISO text, PostgreSQL as datetimes;
    # ReportColumns takes either. Read in the table's order and sorted here (by creation,
    # then id): SQLite sorting whole rows, sealed texts and all, took longer than reading them.
    return _in_order(_columns(database.execute(query), keyring))


def _opened(rows: list[tuple[Any, ...]], keyring: Keyring | None) -> list[Sequence[Any]]:
    """Rows of (id, reference, created_at, category, sealed details[, wrapped case key]) as the six columns.

    Every case key of the rows is unwrapped, and every details text opened, in one batch of libsodium
    calls each (``sealing.open_columns``), and the texts are read as one JSON array: called one by one,
    PyNaCl's checks and ``json.loads`` had cost ten times libsodium's work.
    """
    ids, references, created, categories, *sealed = zip(*rows)
    if keyring is None:
        nothing = (None,) * len(ids)
        return [ids, references, created, categories, nothing, nothing]
    keys = keyring.case_keys_read(ids, sealed[1])
    texts = sealing.open_columns(list(map(keys.get, ids)), sealed[0], list(map("{}|details".format, references)))
    places, people = _places_and_people(texts)
    return [ids, references, created, categories, places, people]


def _places_and_people(texts: list[bytes | None]) -> tuple[list[str | None], list[str | None]]:
    """The location and people of each opened details text, as ``casetext.open_details`` reads them
    ((None, None) where it did not open, or is not such a JSON object).

    All of them parsed as one JSON array, the two fields taken by C loops (``map``) where every text
    is an object whose fields are texts, as every text sealed by ``casetext.seal_report`` is; should one
    not be JSON (it opened, so only whoever holds the case key could have sealed it), each is parsed alone.
    """
    opened = [text for text in texts if text is not None] if None in texts else texts
    try:
        parsed = json.loads(b"[" + b",".join(opened) + b"]") if opened else []  # type: ignore[arg-type]  # (no None)
    except ValueError:
        parsed = None
    if parsed is not None and len(parsed) == len(opened) and set(map(type, parsed)) <= {dict}:
        places = list(map(dict.get, parsed, repeat("location")))
        people = list(map(dict.get, parsed, repeat("people")))
        # A field missing or not a text is read as details_of reads it.
        if not set(map(type, places)) | set(map(type, people)) <= {str}:
            places, people = [str(place or "") for place in places], [str(person or "") for person in people]
    else:
        pairs = list(map(_place_and_person, opened))  # type: ignore[arg-type]  # (no None)
        places, people = [place for place, _person in pairs], [person for _place, person in pairs]
    if opened is texts:
        return places, people
    # Put back the texts that did not open, as (None, None).
    at = [i for i, text in enumerate(texts) if text is not None]
    all_places: list[str | None] = [None] * len(texts)
    all_people: list[str | None] = [None] * len(texts)
    for i, place, person in zip(at, places, people):
        all_places[i], all_people[i] = place, person
    return all_places, all_people


def _place_and_person(text: bytes) -> tuple[str | None, str | None]:
    """The location and people of one opened details text, as ``casetext.open_details`` reads them."""
    try:
        values = casetext.details_of(json.loads(text))
    except ValueError:
        values = None
    return (values["location"], values["people"]) if values else (None, None)


def _columns(cursor: Any, keyring: Keyring | None = None) -> ReportColumns:
    """The cursor's rows as columns, each a numpy object array, which the cyclic collector never walks.

    They are built a few thousand rows at a time: rows freed as fast as they come never add up to a
    collection. (Six tuples of 100,000 values took it 20 ms to look through, all the rows at once 5 ms.)
    """
    chunks = []
    while fetched := cursor.fetchmany(_CHUNK):
        columns = _opened(fetched, keyring)
        chunks.append([np.fromiter(column, dtype=object, count=len(fetched)) for column in columns])
    if not chunks:
        return ReportColumns(*(np.empty(0, dtype=object) for _ in range(6)))
    return ReportColumns(*(np.concatenate([chunk[i] for chunk in chunks]) for i in range(6)))


def _in_order(columns: ReportColumns) -> ReportColumns:
    """The reports by creation, then id, as grouping needs them (one numpy sort of the times and ids)."""
    if not len(columns):
        return columns
    created = np.asarray(columns.created_at)
    # SQLite gives ISO 8601 text, which sorts as the times do (as bytes, ASCII: numpy compares those
    # in half the time it takes over str); PostgreSQL datetimes.
    times = _sortable_text(created) if isinstance(created[0], str) else created.astype("datetime64[us]")
    order = np.lexsort((np.asarray(columns.ids).astype(np.int64), times))
    fields = (
        columns.ids,
        columns.references,
        columns.created_at,
        columns.categories,
        columns.locations,
        columns.people,
    )
    return ReportColumns(*(np.asarray(column)[order] for column in fields))


def _sortable_text(texts: npt.NDArray[np.object_]) -> npt.NDArray[Any]:
    """Texts as a numpy array that sorts as they do: bytes if all are ASCII, else str."""
    try:
        return texts.astype(np.bytes_)
    except UnicodeEncodeError:
        return texts.astype(str)


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
