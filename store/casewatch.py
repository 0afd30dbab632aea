"""Keeping an open case current on an adviser's screen, and knowing what they have seen.

The adviser app polls ``case_fingerprint`` (one indexed row read and one
count) and re-reads the case with ``refresh_case`` only when the fingerprint
changes. A refresh is not a new view, so unlike ``cases.open_case`` it is not
audited again, and it marks nothing read: the app may fetch while the case is
covered (locked, or a dialog on top). Reporter messages count as read by
advisers only once the case screen is the one on view, and then only those it
shows: the app calls ``mark_seen`` with the newest message id it has drawn.
"""

import datetime as dt

import peewee as pw

from .access import check_visible
from .cases import CaseView, case_view
from .clock import utcnow
from .config import Config
from .db import is_sqlite
from .errors import NotFound
from .keyring import Keyring, keyring_of
from .models import Adviser, Message, Note, Report, database

GONE = "This case no longer exists; it may have been deleted under the retention policy."


def case_fingerprint(
    report_id: int, adviser: Adviser | None = None, config: Config | None = None
) -> tuple[object, ...]:
    """Changes whenever anything an adviser sees on the case changes; NotFound when it is gone.

    With ``adviser`` and ``config`` (the adviser app passes both), PermissionDenied
    once the case is no longer theirs to see.
    """
    row = (
        Report.select(
            Report.status,
            Report.assignee,
            Report.id,
            Report.last_activity_at,
            Report.reporter_last_seen_at,
            Report.unread_count,
            Report.first_response_at,
        )
        .where(Report.id == report_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound(GONE)
    if adviser is not None:
        check_visible(adviser, Report(id=row[2], assignee=row[1]), config)
    notes = Note.select(pw.fn.COUNT(Note.id)).where(Note.report == report_id).scalar() or 0
    return (*row, notes)


def refresh_case(
    report_id: int, adviser: Adviser | None, config: Config | None, keyring: Keyring | None = None
) -> CaseView:
    """The case as ``open_case`` returns it, without a new audit event and without marking anything read."""
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        raise NotFound(GONE)
    check_visible(adviser, report, config)
    return case_view(report, config, keyring_of(adviser, keyring))


def mark_seen(
    report_id: int, adviser: Adviser | None, config: Config | None, up_to: int, now: dt.datetime | None = None
) -> int:
    """The case was on an adviser's screen with reporter messages up to id ``up_to``: those are read now.

    The report itself counts as read too. A message that arrived after the screen
    was drawn (a higher id) stays unread, and the inbox columns are recounted from
    the messages. Returns how many messages became read.
    """
    now = now or utcnow()
    with database.atomic():
        # Locked first on PostgreSQL, so a reporter message committing meanwhile is counted
        # afterwards (its +1 lands on our recount), not lost under it. SQLite's write
        # transactions already run one at a time.
        query = Report.select().where(Report.id == report_id)
        report = (query if is_sqlite() else query.for_update()).first()
        if report is None:
            raise NotFound(GONE)
        check_visible(adviser, report, config)
        reporter_unread = (Message.report == report_id) & (Message.author == "reporter") & Message.read_at.is_null()
        marked = Message.update(read_at=now).where(reporter_unread & (Message.id <= up_to)).execute()
        left, oldest = (
            Message.select(pw.fn.COUNT(Message.id), pw.fn.MIN(Message.created_at))
            .where(reporter_unread)
            .tuples()
            .first()
        )
        Report.update(
            unread_count=left,
            unread_since=oldest,
            adviser_read_at=report.adviser_read_at or now,
        ).where(Report.id == report_id).execute()
    return marked
