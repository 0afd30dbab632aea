"""Messages, internal notes and read state, for both sides.

Read state is kept per side: ``Message.read_at`` is when the *other* side
read it. Internal notes are adviser-only and never touch the reporter's
unread state or the inbox order.
"""

import datetime as dt
import heapq
from dataclasses import dataclass

import peewee as pw

from . import attachments as files
from . import audit
from .access import check_visible
from .clock import to_minute, utcnow
from .config import Config
from .db import is_sqlite
from .errors import CaseClosed, NotFound, ValidationError
from .evidence import Cleaned
from .i18n import N_, Say
from .models import Adviser, Message, Note, Report, database
from .reports import MESSAGE_LIMIT
from .sanitize import clean_text, one_line

# Why a text is refused: (empty, too long, too long with its length). A reporter reads
# the messages' sentences, so those are translated; replies and notes are advisers'.
_REFUSALS = {
    "message": (
        N_("Write a message before sending."),
        N_("Your message must be {limit} characters or fewer."),
        N_("Your message must be {limit} characters or fewer (it has {length})."),
    ),
    "reply": (
        "Write a reply before sending.",
        "Your reply must be {limit} characters or fewer.",
        "Your reply must be {limit} characters or fewer (it has {length}).",
    ),
    "note": (
        "Write a note before sending.",
        "Your note must be {limit} characters or fewer.",
        "Your note must be {limit} characters or fewer (it has {length}).",
    ),
}


def clean_body(body: object, what: str = "message", allow_empty: bool = False) -> str:
    """``allow_empty``: a message may be only its files."""
    empty, too_long, too_long_by = _REFUSALS[what]
    raw = body if isinstance(body, str) else ("" if body is None else str(body))
    if len(raw) > MESSAGE_LIMIT * 4:
        raise ValidationError({"body": Say(too_long, limit=MESSAGE_LIMIT)})
    text = clean_text(raw, multiline=True)
    if not text and not allow_empty:
        raise ValidationError({"body": Say(empty)})
    if len(text) > MESSAGE_LIMIT:
        raise ValidationError({"body": Say(too_long_by, limit=MESSAGE_LIMIT, length=len(text))})
    return text


def _locked_report(report_id: int) -> Report:
    """Re-read the report inside the write transaction, locked until it ends.

    SQLite's write transactions already exclude each other; on PostgreSQL the
    row lock makes a reply or a read wait for a reporter's message committing
    at the same moment (else its unread count could be overwritten with 0).
    """
    query = Report.select().where(Report.id == report_id)
    report = (query if is_sqlite() else query.for_update()).first()
    if report is None:
        raise NotFound("That case no longer exists.")
    return report


def post_reporter_message(
    report_id: int, body: object, now: dt.datetime | None = None, attachments: list[Cleaned] | None = None
) -> Message:
    """The reporter's message, with its ``attachments`` (cleaned files) stored in the same transaction."""
    text = clean_body(body, allow_empty=bool(attachments))
    now = to_minute(now or utcnow())
    with database.atomic():
        report = _locked_report(report_id)
        if report.status == "closed":
            raise CaseClosed(Say(N_("This conversation has been closed, so it cannot take new messages.")))
        if not report.two_way:
            raise NotFound("This report has no conversation.")
        message = Message.create(report=report, author="reporter", body=text, created_at=now)
        if attachments:
            files.store_files(report, attachments, files.interim_case_key(report), message=message, now=now)
        Report.update(
            unread_count=Report.unread_count + 1,
            unread_since=report.unread_since or now,
            last_activity_at=now,
            reporter_last_seen_at=now,
            preview=one_line(text, 120),
            # A reporter answering a case that waited on them makes it active again.
            status="open" if report.status == "waiting" else report.status,
        ).where(Report.id == report.id).execute()
    return message


def post_adviser_reply(
    report_id: int, adviser: Adviser, body: object, now: dt.datetime | None = None, config: Config | None = None
) -> Message:
    """With ``config`` (the adviser app always passes it), only on a case the adviser may see."""
    text = clean_body(body, "reply")
    now = now or utcnow()
    with database.atomic():
        report = _locked_report(report_id)
        check_visible(adviser, report, config)
        if report.status == "closed":
            raise CaseClosed("This case was closed, so the reply was not sent. Reopen it first.")
        if not report.two_way:
            raise ValidationError(
                {"body": "This reporter did not choose two-way messaging, so they cannot receive replies."}
            )
        message = Message.create(report=report, author="adviser", adviser=adviser, body=text, created_at=now)
        _mark_read_by_adviser(report, now)
        Report.update(
            first_response_at=report.first_response_at or now,
            status="open" if report.status == "new" else report.status,
            last_activity_at=now,
        ).where(Report.id == report.id).execute()
        audit.record("reply", adviser, report)
    return message


def record_first_response(
    report_id: int, adviser: Adviser, now: dt.datetime | None = None, config: Config | None = None
) -> None:
    """For named reports answered outside Tellus (phone, e-mail): stops the clock."""
    now = now or utcnow()
    with database.atomic():
        report = _locked_report(report_id)
        check_visible(adviser, report, config)
        Report.update(
            first_response_at=report.first_response_at or now,
            status="open" if report.status == "new" else report.status,
        ).where(Report.id == report.id).execute()
        audit.record("status", adviser, report, detail="first response recorded")


def add_note(
    report_id: int, adviser: Adviser, body: object, now: dt.datetime | None = None, config: Config | None = None
) -> Note:
    """With ``config`` (the adviser app always passes it), only on a case the adviser may see."""
    text = clean_body(body, "note")
    now = now or utcnow()
    with database.atomic():
        report = _locked_report(report_id)
        check_visible(adviser, report, config)
        note = Note.create(report=report, adviser=adviser, body=text, created_at=now)
        audit.record("note", adviser, report)
    return note


def _mark_read_by_adviser(report: Report, now: dt.datetime) -> None:
    Message.update(read_at=now).where(
        (Message.report == report.id) & (Message.author == "reporter") & Message.read_at.is_null()
    ).execute()
    Report.update(
        unread_count=0,
        unread_since=None,
        adviser_read_at=report.adviser_read_at or now,
    ).where(Report.id == report.id).execute()


def mark_read_by_adviser(report_id: int, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    with database.atomic():
        _mark_read_by_adviser(_locked_report(report_id), now)


def mark_read_by_reporter(report_id: int, now: dt.datetime | None = None, up_to: int | None = None) -> int:
    """Adviser replies shown to the reporter — with ``up_to``, only those up to that message id
    (the newest one shown; a reply written since stays new). Returns how many were new."""
    now = to_minute(now or utcnow())
    replies = (Message.report == report_id) & (Message.author == "adviser") & Message.read_at.is_null()
    if up_to is not None:
        replies &= Message.id <= up_to
    with database.atomic():
        count = Message.update(read_at=now).where(replies).execute()
        Report.update(reporter_last_seen_at=now).where(Report.id == report_id).execute()
    return count


@dataclass
class ThreadItem:
    kind: str  # "message" | "note"
    author: str  # "reporter" | "adviser"
    adviser_name: str
    body: str
    created_at: dt.datetime
    read_at: dt.datetime | None  # for messages: read by the other side; None for notes
    id: int


def thread(report_id: int, include_notes: bool = False) -> list[ThreadItem]:
    """The conversation oldest first; with notes interleaved for advisers.

    Messages are in the order they were written, which is their id: a
    reporter's message carries only its minute (clock.to_minute), so by time
    it could sort before the adviser reply it answers.
    """
    messages = (
        Message.select(Message, Adviser)
        .join(Adviser, pw.JOIN.LEFT_OUTER)
        .where(Message.report == report_id)
        .order_by(Message.id)
    )
    items = [ThreadItem("message", m.author, _adviser_name(m), m.body, m.created_at, m.read_at, m.id) for m in messages]
    if not include_notes:
        return items
    notes = (
        Note.select(Note, Adviser).join(Adviser, pw.JOIN.LEFT_OUTER).where(Note.report == report_id).order_by(Note.id)
    )
    noted = [ThreadItem("note", "adviser", _adviser_name(n), n.body, n.created_at, None, n.id) for n in notes]
    # A merge by time that only ever takes the next item of either list, so both
    # keep their own order (a message before a note at the same time).
    return list(heapq.merge(items, noted, key=lambda i: i.created_at))


def _adviser_name(written: Message | Note) -> str:
    """Who wrote it, from the joined adviser row: "" for the reporter, or an adviser whose account is gone."""
    return written.adviser.display_name if written.adviser_id is not None and written.adviser is not None else ""


def unread_for_reporter(report_id: int) -> int:
    return (
        Message.select()
        .where((Message.report == report_id) & (Message.author == "adviser") & Message.read_at.is_null())
        .count()
    )
