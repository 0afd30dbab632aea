"""The unread-first inbox.

Cases with unread reporter messages (or an unopened report) come first, the
most urgent first: overdue-and-unanswered before the rest, then by how long
the oldest unread message has waited. Then everything else by latest
activity. The unread half is sorted from the index on (unread_since,
first_response_at, due_on, status, id) alone, the rest read through the
(unread_since, last_activity_at) index, so the first page costs about the
same at 100,000 cases as at 100. Rows come back as named tuples and the
previews are opened in one batch (``casetext.open_previews``): at 50 rows,
peewee models and PyNaCl's per-call checks had cost more than the queries.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import peewee as pw

from . import casetext
from .access import visible_to
from .config import Config
from .deadlines import is_overdue, overdue_clause, today
from .keyring import Keyring, keyring_of
from .models import Adviser, Report
from .search import matching_reports

_Query = TypeVar("_Query", bound=pw.Select)


@dataclass
class InboxRow:
    id: int
    reference: str
    status: str
    category: str  # the category's English label
    language: str  # the language the reporter wrote in (its code: "cy", "en")
    way: str
    role: str
    two_way: bool
    unread_count: int
    unread_since: dt.datetime | None
    due_on: dt.date
    overdue: bool
    answered: bool
    assignee: str
    preview: str
    created_at: dt.datetime
    last_activity_at: dt.datetime


@dataclass
class InboxPage:
    rows: list[InboxRow]
    total: int
    offset: int
    limit: int


@dataclass
class InboxCounts:
    unread: int
    overdue: int
    new: int
    mine: int
    total: int


def _filters(
    config: Config,
    adviser: Adviser | None = None,
    status: str | None = None,
    assignee: str | int | None = None,
    category: str | None = None,
    search: str | None = None,
    keyring: Keyring | None = None,
) -> list[pw.Expression]:
    """The WHERE clauses for the inbox's filters (shared by rows and counts)."""
    clauses = []
    visible = visible_to(adviser, config)
    if visible is not None:
        clauses.append(visible)
    if status == "active":
        clauses.append(Report.status != "closed")
    elif status:
        clauses.append(Report.status == status)
    if assignee == "mine" and adviser is not None:
        clauses.append(Report.assignee == adviser.id)
    elif assignee == "unassigned":
        clauses.append(Report.assignee.is_null())
    elif isinstance(assignee, int):
        clauses.append(Report.assignee == assignee)
    if category:
        # A key, or a label in any language (the key it names); any other text as a key of its own.
        clauses.append(Report.category == (config.category_key(category) or category))
    if search and search.strip():
        # The texts are sealed: a case matches by its reference, or by its words opened with the
        # adviser's keys (store/search.py, in memory only).
        needle = search.strip()
        found = matching_reports(needle, keyring, clauses) if keyring is not None else []
        clauses.append((pw.fn.UPPER(Report.reference) == needle.upper()) | Report.id.in_(found))
    return clauses


def _count(query: pw.Select) -> int:
    """COUNT(*) directly (peewee's .count() wraps a subquery, several times slower)."""
    return query.scalar() or 0


def _where(query: _Query, clauses: Iterable[pw.Expression]) -> _Query:
    for clause in clauses:
        query = query.where(clause)
    return query


# Only what a row shows: never the description or contact details, which
# are large and are not needed until a case is opened.
_ROW_COLUMNS = (
    Report.id,
    Report.reference,
    Report.status,
    Report.category,
    Report.language,
    Report.way,
    Report.role,
    Report.two_way,
    Report.unread_count,
    Report.unread_since,
    Report.due_on,
    Report.first_response_at,
    Report.sealed_preview,
    Report.created_at,
    Report.last_activity_at,
    Report.key_generation,
)


def _row(report: Any, today_: dt.date, config: Config, preview: str) -> InboxRow:
    """``report``: a row of _ROW_COLUMNS and the assignee's name (a named tuple)."""
    return InboxRow(
        id=report.id,
        reference=report.reference,
        status=report.status,
        category=config.category_label(report.category),  # its key, shown by its English label
        language=report.language,
        way=report.way,
        role=report.role,
        two_way=report.two_way,
        unread_count=report.unread_count,
        unread_since=report.unread_since,
        due_on=report.due_on,
        overdue=is_overdue(report, today_),
        answered=report.first_response_at is not None,
        assignee=report.assignee_name or "",
        preview=preview,
        created_at=report.created_at,
        last_activity_at=report.last_activity_at,
    )


def inbox(
    config: Config,
    adviser: Adviser | None = None,
    status: str | None = None,
    assignee: str | int | None = None,
    category: str | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int = 50,
    now: dt.datetime | None = None,
    keyring: Keyring | None = None,
) -> InboxPage:
    """One page of the inbox, unread first. ``assignee``: "mine", "unassigned", an id, or None for all.

    Previews are opened with the adviser's ``keyring``; without one (a copy of the database, the CLI)
    the rows carry none.
    """
    offset = max(int(offset), 0)
    limit = max(min(int(limit), 500), 1)
    today_ = today(config, now)
    keyring = keyring_of(adviser, keyring)
    clauses = _filters(config, adviser, status, assignee, category, search, keyring)
    rows_query = _where(
        Report.select(*_ROW_COLUMNS, Adviser.display_name.alias("assignee_name"))
        .join(Adviser, pw.JOIN.LEFT_OUTER, on=(Report.assignee == Adviser.id))
        # Named tuples, not models: a model per row cost more than the query.
        .namedtuples(),
        clauses,
    )
    # Counting needs no join and no columns: a plain COUNT over the filters.
    count_query = _where(Report.select(pw.fn.COUNT(pw.SQL("*"))), clauses)
    # Unread cases are the work queue: their ids are ordered in SQL from the
    # (unread_since, last_activity_at) index — overdue first, then longest
    # waiting — and only the page's rows are then read in full.
    overdue = overdue_clause(today_)
    unread = Report.unread_since.is_null(False)
    n_unread = _count(count_query.where(unread))
    rows = []
    if offset < n_unread:
        page_ids = list(
            _where(Report.select(Report.id).where(unread), clauses)
            .order_by(pw.Case(None, [(overdue, 0)], 1), Report.unread_since, Report.id)
            .offset(offset)
            .limit(limit)
            .scalars()
        )
        by_id = {r.id: r for r in rows_query.where(Report.id.in_(page_ids))}
        rows = [by_id[rid] for rid in page_ids if rid in by_id]
    if len(rows) < limit:
        rows += list(
            rows_query.where(Report.unread_since.is_null())
            .order_by(Report.last_activity_at.desc(), Report.id.desc())
            .offset(max(offset - n_unread, 0))
            .limit(limit - len(rows))
        )
    total = _count(count_query)
    if keyring is None:
        previews = ["" for _r in rows]
    else:
        keyring.forget_older({r.id: r.key_generation for r in rows})  # rotated by another app since: read again
        keys = keyring.case_keys([r.id for r in rows])
        previews = casetext.open_previews([(r.reference, keys.get(r.id), r.sealed_preview) for r in rows])
    return InboxPage([_row(r, today_, config, p) for r, p in zip(rows, previews)], total, offset, limit)


def inbox_counts(config: Config, adviser: Adviser | None = None, now: dt.datetime | None = None) -> InboxCounts:
    """Header figures: unread cases, overdue cases, new cases, cases assigned to me."""
    today_ = today(config, now)
    base = Report.select(pw.fn.COUNT(pw.SQL("*")))
    visible = visible_to(adviser, config)
    if visible is not None:
        base = base.where(visible)
    return InboxCounts(
        unread=_count(base.where(Report.unread_since.is_null(False))),
        overdue=_count(base.where(overdue_clause(today_))),
        new=_count(base.where(Report.status == "new")),
        mine=_count(base.where(Report.assignee == adviser.id)) if adviser is not None else 0,
        total=_count(base),
    )


def latest_change(config: Config | None = None) -> tuple[object, ...]:
    """A cheap fingerprint of the inbox, for polling: changes when anything arrives."""
    row = (
        Report.select(pw.fn.MAX(Report.last_activity_at), pw.fn.COUNT(Report.id), pw.fn.SUM(Report.unread_count))
        .tuples()
        .first()
    )
    return tuple(row or ())
