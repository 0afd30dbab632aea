"""The audit trail: every adviser action, with time and adviser.

Entries are append-only from the application's point of view: there is no
service to edit or delete one (retention removes old ones in bulk).
Details never contain reporter text, codes or passwords.
"""

from .clock import utcnow
from .models import AuditEvent

ACTIONS = (
    "login",
    "login_failed",
    "locked",
    "case_viewed",
    "reply",
    "note",
    "status",
    "assign",
    "adviser_created",
    "adviser_disabled",
    "adviser_enabled",
    "adviser_admin",
    "password_changed",
    "closure_added",
    "closure_removed",
    "export",
    "purge",
)


def record(action, adviser=None, report=None, detail="", adviser_name=None):
    """Write one audit event. Call inside the transaction of the action itself."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEvent.create(
        at=utcnow(),
        adviser_id=adviser.id if adviser is not None else None,
        adviser_name=adviser.username if adviser is not None else (adviser_name or ""),
        action=action,
        report_id=report.id if report is not None else None,
        reference=report.reference if report is not None else "",
        detail=detail[:500],
    )


def events(adviser_id=None, report_id=None, action=None, since=None, until=None, limit=200, offset=0):
    """Newest first, filtered."""
    query = AuditEvent.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if adviser_id is not None:
        query = query.where(AuditEvent.adviser_id == adviser_id)
    if report_id is not None:
        query = query.where(AuditEvent.report_id == report_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return list(query.limit(limit).offset(offset))
