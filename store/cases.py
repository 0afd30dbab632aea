"""Case work for advisers: opening a case, status, assignment (who may see what: access.py)."""

import datetime as dt
from dataclasses import dataclass, field

from . import attachments, audit, casetext, keys, rotation
from .access import check_visible
from .clock import utcnow
from .config import Config
from .conversation import ThreadItem, _locked_report, _mark_read_by_adviser, thread
from .errors import NotFound, PermissionDenied, ValidationError
from .keyring import NO_KEY, Keyring, keyring_of
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
    text: casetext.ReportText | None = None  # the report's own texts, opened (UNREADABLE without a key)
    files: list[attachments.AttachmentInfo] = field(default_factory=list)  # the case's files, names opened


def case_view(report: Report, config: Config | None, keyring: Keyring | None) -> CaseView:
    """The case opened with the adviser's keys: what open_case and casewatch.refresh_case return."""
    key = keyring.current_key_or_none(report) if keyring is not None else None
    assignee = Adviser.get_or_none(Adviser.id == report.assignee_id) if report.assignee_id else None
    return CaseView(
        report,
        thread(report.id, include_notes=True, key=key),
        assignee.display_name if assignee else "",
        purge_date(report, config) if config is not None else None,
        casetext.open_report(report, key),
        attachments.list_files(report.id, key) if key is not None else [],
    )


def evidence_bytes(report_id: int, attachment_id: int, adviser: Adviser, config: Config | None) -> bytes:
    """One of a case's files, opened with the adviser's keys, for viewing; audited (which file, never its content)."""
    keyring = keyring_of(adviser)
    if keyring is None:
        raise PermissionDenied(NO_KEY)
    # Opened first, audited after: a refused or failed view leaves no entry saying it happened.
    with database.atomic():
        report = _visible_report(report_id, adviser, config)
        owner = attachments.Attachment.get_or_none(attachments.Attachment.id == attachment_id)
        if owner is None or owner.report_id != report_id:
            raise NotFound("That file is no longer there.")
        data = attachments.file_bytes(attachment_id, keyring.current_key(report))
        audit.record("file_viewed", adviser, report, detail=f"file {int(attachment_id)}")
    return data


def open_case(
    report_id: int,
    adviser: Adviser | None,
    config: Config | None,
    now: dt.datetime | None = None,
    mark_read: bool = True,
    keyring: Keyring | None = None,
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
    return case_view(Report.get_by_id(report_id), config, keyring_of(adviser, keyring))


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
    report_id: int,
    adviser: Adviser | None,
    assignee_username: str | None,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> Report:
    """Assign to an adviser by username, or to nobody with None. Last write wins.

    Grants follow: whoever may no longer see the case loses its key at once; whoever may now see
    it is given the key from the assigning adviser's ``keyring`` (without one — the CLI — an
    admin's app grants it later, keys.share_all).
    """
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
        report = Report.get_by_id(report.id)
        keyring = keyring_of(adviser, keyring)
        key = keyring.current_key_or_none(report) if keyring is not None else None
        keys.seal_assignment(report, key)  # without the key: unknown, and only admins are granted it
        if key is not None:
            keys.grant_case(report, key, config)
        else:
            keys.revoke_unallowed(report, config)
        audit.record("assign", adviser, report, detail=f"{old} → {target.username if target else 'nobody'}")
        if keyring is not None:
            # Whoever lost the case may have kept its key: what is written next gets a new one — in this
            # transaction, so there is no moment between in which the case's rows say it is assigned without
            # the rotation (without a key, the command line, an admin's app rotates it at sign-in).
            rotation.rotate_due(keyring, config, [report_id])
    return Report.get_by_id(report_id)
