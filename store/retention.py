"""Retention: what is deleted, when, and making sure it is really gone.

The policy (``tellus purge`` applies it; ``--dry-run`` only lists):

* **Closed cases** are deleted ``retention_days`` after they were closed.
* **Abandoned conversations** are deleted ``abandoned_days`` after an
  adviser first answered, when the reporter chose two-way messaging but never
  came back: no message from them and never seen since the report. Cases an
  adviser has not answered are never purged this way, however old — an
  unanswered report is work, not rubbish. One-way reports (anonymous without
  a conversation, or named) can only become purgeable by being closed.
* With a case go its messages, files, internal notes and reporter sessions (deleted
  explicitly here, and ``ON DELETE CASCADE`` backs it up for any other path).
* **Audit entries** older than ``audit_retention_days`` that no longer concern
  an existing case (or never did) are deleted; the trail of a live case stays
  whole however old.
* **Form tokens** older than a day, **expired reporter sessions** and the
  notification records of cases that are gone go too.

Each run writes one ``purge`` audit event with counts only.

On SQLite, ``secure_delete`` overwrites deleted rows in place; afterwards the
WAL is checkpointed and truncated, the file is rebuilt with ``VACUUM`` (which
cannot run inside a transaction, so it runs after the delete commits) and the
WAL truncated again, so neither the database file nor the WAL holds the old
pages. VACUUM rewrites the whole file — acceptable for a nightly job.
PostgreSQL reclaims space with autovacuum; deleted tuples stay in its files
until then, which is the engine's usual behaviour and documented in README.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

import peewee as pw

from . import audit
from .access import require_admin
from .clock import utcnow
from .config import Config
from .db import is_sqlite
from .errors import ValidationError
from .models import (
    Adviser,
    Attachment,
    AttachmentChunk,
    AuditEvent,
    FormToken,
    Message,
    Note,
    Notification,
    Report,
    ReporterSession,
    database,
)

FORM_TOKEN_DAYS = 1


@dataclass
class PurgeCandidate:
    id: int
    reference: str
    reason: str  # "closed" | "abandoned"
    since: dt.datetime  # closed_at, or first response for abandoned ones


@dataclass
class PurgeResult:
    dry_run: bool
    cases: list[PurgeCandidate] = field(default_factory=list)
    messages: int = 0
    notes: int = 0
    sessions: int = 0
    audit_events: int = 0
    form_tokens: int = 0
    expired_sessions: int = 0
    space_reclaimed: bool = False

    @property
    def closed(self) -> int:
        """How many of the cases go because they were closed (the rest were abandoned)."""
        return sum(1 for c in self.cases if c.reason == "closed")


def _audit_detail(result: PurgeResult) -> str:
    """The purge's audit entry: counts only, in a fixed form that reads the same in every trail."""
    return (
        f"cases={len(result.cases)} (closed {result.closed}, abandoned {len(result.cases) - result.closed}), "
        f"messages={result.messages}, notes={result.notes}, sessions={result.sessions + result.expired_sessions}, "
        f"audit={result.audit_events}, form_tokens={result.form_tokens}"
    )


def _check(config: Config) -> None:
    for name in ("retention_days", "abandoned_days", "audit_retention_days"):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValidationError({name: f"{name} must be at least 1 day; refusing to purge."})


def _closed_clause(config: Config, now: dt.datetime) -> pw.Expression:
    return (
        (Report.status == "closed")
        & Report.closed_at.is_null(False)
        & (Report.closed_at < now - dt.timedelta(days=config.retention_days))
    )


def _abandoned_clause(config: Config, now: dt.datetime) -> pw.Expression:
    reporter_wrote = Message.select(Message.report).where(Message.author == "reporter")
    return (
        (Report.two_way == True)  # noqa: E712 — peewee makes SQL of ==; `is True` would be plain Python
        & Report.first_response_at.is_null(False)
        & (Report.first_response_at < now - dt.timedelta(days=config.abandoned_days))
        & Report.reporter_last_seen_at.is_null()
        & Report.id.not_in(reporter_wrote)
    )


def candidates(config: Config, now: dt.datetime | None = None) -> list[PurgeCandidate]:
    """The cases the policy would delete now, oldest first."""
    _check(config)
    now = now or utcnow()
    found: dict[int, PurgeCandidate] = {}
    for report in Report.select(Report.id, Report.reference, Report.closed_at).where(_closed_clause(config, now)):
        # cast: the WHERE clause admits only cases with the time set.
        found[report.id] = PurgeCandidate(report.id, report.reference, "closed", cast(dt.datetime, report.closed_at))
    abandoned = Report.select(Report.id, Report.reference, Report.first_response_at).where(
        _abandoned_clause(config, now)
    )
    for report in abandoned:
        since = cast(dt.datetime, report.first_response_at)
        found.setdefault(report.id, PurgeCandidate(report.id, report.reference, "abandoned", since))
    return sorted(found.values(), key=lambda c: (c.since, c.id))


def _old_audit(config: Config, now: dt.datetime) -> pw.Expression:
    return (AuditEvent.at < now - dt.timedelta(days=config.audit_retention_days)) & (
        AuditEvent.report_id.is_null() | AuditEvent.report_id.not_in(Report.select(Report.id))
    )


def _expired_sessions(config: Config, now: dt.datetime) -> pw.Expression:
    idle = dt.timedelta(minutes=config.session_idle_minutes)
    return (ReporterSession.expires_at <= now) | (ReporterSession.last_seen_at <= now - idle)


def purge(
    config: Config,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    by: Adviser | None = None,
    reclaim: bool = True,
) -> PurgeResult:
    """Apply the retention policy. Returns a PurgeResult (what went, or would go)."""
    require_admin(by, "purge cases")
    _check(config)
    now = now or utcnow()
    result = PurgeResult(dry_run=dry_run)
    old_tokens = FormToken.created_at < now - dt.timedelta(days=FORM_TOKEN_DAYS)
    with database.atomic():
        result.cases = candidates(config, now)
        ids = [c.id for c in result.cases]
        result.messages = _count_children(Message, ids)
        result.notes = _count_children(Note, ids)
        result.sessions = _count_children(ReporterSession, ids)
        # Audit entries of the cases purged now are kept until they are old.
        result.audit_events = AuditEvent.select().where(_old_audit(config, now)).count()
        result.form_tokens = FormToken.select().where(old_tokens).count()
        expired = _expired_sessions(config, now)
        if ids:
            expired = expired & ReporterSession.report.not_in(ids)
        result.expired_sessions = ReporterSession.select().where(expired).count()
        if dry_run:
            return result
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            # Files first, piece by piece: the foreign keys would cascade, but saying it here keeps the
            # purge complete on a database whose constraints were ever created without it.
            files = Attachment.select(Attachment.id).where(Attachment.report.in_(batch))
            AttachmentChunk.delete().where(AttachmentChunk.attachment.in_(files)).execute()
            Attachment.delete().where(Attachment.report.in_(batch)).execute()
            for model in (Message, Note, ReporterSession):
                model.delete().where(model.report.in_(batch)).execute()
            Report.delete().where(Report.id.in_(batch)).execute()
        AuditEvent.delete().where(_old_audit(config, now)).execute()
        FormToken.delete().where(old_tokens).execute()
        # Notification bookkeeping of cases that no longer exist.
        Notification.delete().where(Notification.report_id.not_in(Report.select(Report.id))).execute()
        ReporterSession.delete().where(_expired_sessions(config, now)).execute()
        audit.record("purge", by, detail=_audit_detail(result), adviser_name=None if by else "cli")
    if reclaim and is_sqlite():
        result.space_reclaimed = reclaim_space()
    return result


def _count_children(model: type[Message] | type[Note] | type[ReporterSession], ids: list[int]) -> int:
    total = 0
    for start in range(0, len(ids), 500):
        total += model.select().where(model.report.in_(ids[start : start + 500])).count()
    return total


def reclaim_space() -> bool:
    """SQLite: fold the WAL into the file, rebuild it, truncate the WAL. True if all of it happened.

    A checkpoint cannot finish while another connection is reading; then the
    old pages stay in the WAL until the next checkpoint (the next purge, or
    SQLite's automatic checkpoints) — the rows are already overwritten in the
    main file by secure_delete.
    """
    busy, _log, _done = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    database.execute_sql("VACUUM")
    busy_after, _log, _done = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy and not busy_after


def purge_date(report: Report, config: Config) -> dt.datetime | None:
    """When ``report`` will be purged under the current policy, or None if it is not scheduled.

    For the case screen. The date can move: reopening a closed case, or a
    reporter coming back, takes it off the schedule.
    """
    dates = []
    if report.status == "closed" and report.closed_at is not None:
        dates.append(report.closed_at + dt.timedelta(days=config.retention_days))
    if report.two_way and report.first_response_at is not None and report.reporter_last_seen_at is None:
        wrote = Message.select().where((Message.report == report.id) & (Message.author == "reporter")).exists()
        if not wrote:
            dates.append(report.first_response_at + dt.timedelta(days=config.abandoned_days))
    return min(dates) if dates else None
