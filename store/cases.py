"""Case work for advisers: opening a case, status, assignment (who may see what: access.py)."""

import datetime as dt
from dataclasses import dataclass

from . import audit
from .access import check_visible
from .clock import utcnow
from .config import Config
from .conversation import ThreadItem, _locked_report, _mark_read_by_adviser, thread
from .errors import NotFound, ValidationError
from .models import STATUSES, Adviser, Report, database
from .retention import purge_date


def _visible_report(report_id: int, adviser: Adviser | None, config: Config | None) -> Report:
    report = _locked_report(report_id)
    check_visible(adviser, report, config)
    return report


@dataclass
class CaseView:
    report: Report
    items: list[ThreadItem]  # notes interleaved
    assignee_name: str
    purge_on: dt.datetime | None = None  # when the retention policy will delete the case (UTC), or None


def open_case(
    report_id: int,
    adviser: Adviser | None,
    config: Config | None,
    now: dt.datetime | None = None,
    mark_read: bool = True,
) -> CaseView:
    """Everything the case screen shows. Audits the view and marks the reporter's messages read.

    The adviser app passes ``mark_read=False``: it marks what it has actually shown,
    once its case screen is on view (``casewatch.mark_seen``).
    """
    now = now or utcnow()
    with database.atomic():
        report = _visible_report(report_id, adviser, config)
        if mark_read:
            _mark_read_by_adviser(report, now)
        audit.record("case_viewed", adviser, report)
    report = Report.get_by_id(report_id)
    assignee = Adviser.get_or_none(Adviser.id == report.assignee_id) if report.assignee_id else None
    return CaseView(
        report,
        thread(report_id, include_notes=True),
        assignee.display_name if assignee else "",
        purge_date(report, config) if config is not None else None,
    )


def set_status(
    report_id: int, adviser: Adviser | None, status: str, config: Config | None = None, now: dt.datetime | None = None
) -> Report:
    if status not in STATUSES:
        raise ValidationError({"status": f"Status must be one of {', '.join(STATUSES)}."})
    now = now or utcnow()
    with database.atomic():
        report = _visible_report(report_id, adviser, config)
        old = report.status
        Report.update(
            status=status,
            closed_at=(report.closed_at or now) if status == "closed" else None,
        ).where(Report.id == report.id).execute()
        audit.record("status", adviser, report, detail=f"{old} → {status}")
    return Report.get_by_id(report_id)


def assign(
    report_id: int, adviser: Adviser | None, assignee_username: str | None, config: Config | None = None
) -> Report:
    """Assign to an adviser by username, or to nobody with None. Last write wins."""
    with database.atomic():
        report = _visible_report(report_id, adviser, config)
        target = None
        if assignee_username:
            target = Adviser.get_or_none(Adviser.username == assignee_username.strip().lower())
            if target is None:
                raise NotFound(f"There is no adviser called {assignee_username}.")
            if not target.active:
                raise ValidationError({"assignee": f"{target.username} is disabled and cannot take cases."})
        old = report.assignee.username if report.assignee is not None else "nobody"
        Report.update(assignee=target).where(Report.id == report.id).execute()
        audit.record("assign", adviser, report, detail=f"{old} → {target.username if target else 'nobody'}")
    return Report.get_by_id(report_id)
