"""The audit trail: every adviser action, with time and adviser.

Entries are append-only from the application's point of view: there is no
service to edit or delete one (retention removes old ones in bulk).
Details never contain reporter text, codes or passwords.
"""

import csv
import datetime as dt
from typing import TextIO

from .access import require_admin
from .clock import utcnow
from .config import Config
from .dates import Day, local_days, utc_bounds
from .errors import ValidationError
from .models import Adviser, AuditEvent, Report, database

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
    "advisers_confirmed",
    "password_changed",
    "recovered",
    "recovery_checked",
    "closure_added",
    "closure_removed",
    "export",
    "file_viewed",
    "purge",
)


def record(
    action: str,
    adviser: Adviser | None = None,
    report: Report | None = None,
    detail: str = "",
    adviser_name: str | None = None,
) -> AuditEvent:
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


def events(
    adviser_id: int | None = None,
    report_id: int | None = None,
    action: str | None = None,
    since: Day = None,
    until: Day = None,
    limit: int = 200,
    offset: int = 0,
    by: Adviser | None = None,
    adviser_name: str | None = None,
    reference: str | None = None,
    config: Config | None = None,
) -> list[AuditEvent]:
    """Newest first, filtered. ``by``: the admin browsing in the adviser app (None: trusted caller).

    ``since``/``until``: the organisation's local days, both inclusive, as
    dates or as typed (see ``dates.local_days``; ``config`` gives the
    timezone and is needed with them). ``adviser_name`` and ``reference``
    match exactly, ignoring case.
    """
    require_admin(by, "browse the audit trail")
    _check_action(action)
    start, end = _bounds(*local_days(since, until), config)
    query = AuditEvent.select().order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if adviser_id is not None:
        query = query.where(AuditEvent.adviser_id == adviser_id)
    if report_id is not None:
        query = query.where(AuditEvent.report_id == report_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    if adviser_name:
        query = query.where(AuditEvent.adviser_name == adviser_name.strip().lower())
    if reference:
        query = query.where(AuditEvent.reference == reference.strip().upper())
    return list(query.limit(limit).offset(offset))


EXPORT_COLUMNS = ("at_utc", "adviser", "action", "reference", "report_id", "detail")


def export_csv(
    out: TextIO,
    since: Day = None,
    until: Day = None,
    adviser_name: str | None = None,
    action: str | None = None,
    by: Adviser | None = None,
    config: Config | None = None,
) -> int:
    """Write the trail as CSV to the text stream ``out``, oldest first; returns the row count.

    ``since``/``until`` as for ``events``: local days, both inclusive, with
    ``config`` for the timezone. The export is itself audited. Cells that a
    spreadsheet would read as a formula are prefixed with an apostrophe
    (trails written by older versions kept whatever name was typed at a
    failed login; a hand-edited database may hold anything).
    """
    require_admin(by, "export the audit trail")
    _check_action(action)
    first, last = local_days(since, until)
    start, end = _bounds(first, last, config)
    query = AuditEvent.select().order_by(AuditEvent.at, AuditEvent.id)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    if adviser_name:
        query = query.where(AuditEvent.adviser_name == adviser_name.strip().lower())
    if action:
        query = query.where(AuditEvent.action == action)
    filters = ", ".join(
        f"{name}={value}"
        for name, value in (("since", first), ("until", last), ("adviser", adviser_name), ("action", action))
        if value
    )
    filters = f" ({filters})" if filters else ""
    writer = csv.writer(out, lineterminator="\n")
    count = 0
    try:
        writer.writerow(EXPORT_COLUMNS)
        for event in query.iterator():
            writer.writerow(
                [
                    event.at.isoformat(sep=" ", timespec="seconds"),
                    _spreadsheet_safe(event.adviser_name),
                    event.action,
                    event.reference,
                    "" if event.report_id is None else event.report_id,
                    _spreadsheet_safe(event.detail),
                ]
            )
            count += 1
        out.flush()  # so a closed pipe or a full disk is noticed here, not after the audit entry
    except OSError:
        # Whatever was read may have left: the reader (say `| head`) stopped early.
        _record_export(by, f"audit trail, stopped after {count} entries: the output was closed{filters}")
        raise
    _record_export(by, f"audit trail, {count} entries{filters}")
    return count


def _check_action(action: str | None) -> None:
    if action is not None and action not in ACTIONS:
        raise ValidationError({"action": f"Unknown action {action!r}; choose one of {', '.join(ACTIONS)}."})


def _bounds(
    first: dt.date | None, last: dt.date | None, config: Config | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Local days → UTC [start, end); a range needs the organisation's timezone."""
    if first is None and last is None:
        return None, None
    if config is None:
        raise TypeError("audit date bounds are local days: pass config for the organisation's timezone")
    return utc_bounds(first, last, config)


def _record_export(by: Adviser | None, detail: str) -> None:
    with database.atomic():
        record("export", by, detail=detail, adviser_name=None if by else "cli")


def _spreadsheet_safe(text: object) -> str:
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
