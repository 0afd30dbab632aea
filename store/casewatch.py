"""Keeping an open case current on an adviser's screen.

The adviser app polls ``case_fingerprint`` (one indexed row read and one
count) and re-reads the case with ``refresh_case`` only when the fingerprint
changes. A refresh is not a new view, so unlike ``cases.open_case`` it is not
audited again; reporter messages that arrive while the adviser is looking at
the case are marked read, as they would be by opening it.
"""

import peewee as pw

from .access import check_visible
from .cases import CaseView
from .conversation import mark_read_by_adviser, thread
from .errors import NotFound
from .models import Adviser, Note, Report
from .retention import purge_date

GONE = "This case no longer exists; it may have been deleted under the retention policy."


def case_fingerprint(report_id, adviser=None, config=None):
    """Changes whenever anything an adviser sees on the case changes; NotFound when it is gone.

    With ``adviser`` and ``config`` (the adviser app passes both), PermissionDenied
    once the case is no longer theirs to see.
    """
    row = (
        Report.select(
            Report.status, Report.assignee, Report.id, Report.last_activity_at, Report.reporter_last_seen_at,
            Report.unread_count, Report.first_response_at,
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


def refresh_case(report_id, adviser, config, now=None):
    """The case as ``open_case`` returns it, without a new audit event."""
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        raise NotFound(GONE)
    check_visible(adviser, report, config)
    if report.unread_count or report.unread_since is not None:
        mark_read_by_adviser(report_id, now)
        report = Report.get_or_none(Report.id == report_id)
        if report is None:
            raise NotFound(GONE)
    assignee = Adviser.get_or_none(Adviser.id == report.assignee_id) if report.assignee_id else None
    return CaseView(report, thread(report_id, include_notes=True), assignee.display_name if assignee else "",
                    purge_date(report, config) if config is not None else None)
