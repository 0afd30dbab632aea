"""Case work for advisers: who may see a case, opening it, status, assignment."""

from dataclasses import dataclass

from . import audit
from .clock import utcnow
from .conversation import _locked_report, _mark_read_by_adviser, thread
from .errors import NotFound, PermissionDenied, ValidationError
from .models import STATUSES, Adviser, Report, database


def can_see(adviser, report, config):
    """Admins see every case; advisers their own and (if allowed) unassigned ones."""
    if adviser.is_admin:
        return True
    if report.assignee_id == adviser.id:
        return True
    return report.assignee_id is None and config.advisers_see_unassigned


def visible_to(adviser, config):
    """A WHERE clause restricting reports to those ``adviser`` may see."""
    if adviser is None or adviser.is_admin:
        return None
    clause = Report.assignee == adviser.id
    if config.advisers_see_unassigned:
        clause = clause | Report.assignee.is_null()
    return clause


def _visible_report(report_id, adviser, config):
    report = _locked_report(report_id)
    if config is not None and not can_see(adviser, report, config):
        raise PermissionDenied("This case is assigned to another adviser.")
    return report


@dataclass
class CaseView:
    report: Report
    items: list  # ThreadItems, notes interleaved
    assignee_name: str


def open_case(report_id, adviser, config, now=None):
    """Everything the case screen shows. Marks the reporter's messages read and audits the view."""
    now = now or utcnow()
    with database.atomic():
        report = _visible_report(report_id, adviser, config)
        _mark_read_by_adviser(report, now)
        audit.record("case_viewed", adviser, report)
    report = Report.get_by_id(report_id)
    assignee = Adviser.get_or_none(Adviser.id == report.assignee_id) if report.assignee_id else None
    return CaseView(report, thread(report_id, include_notes=True), assignee.display_name if assignee else "")


def set_status(report_id, adviser, status, config=None, now=None):
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


def assign(report_id, adviser, assignee_username, config=None):
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
        old = report.assignee.username if report.assignee_id else "nobody"
        Report.update(assignee=target).where(Report.id == report.id).execute()
        audit.record("assign", adviser, report, detail=f"{old} → {target.username if target else 'nobody'}")
    return Report.get_by_id(report_id)
