"""Messages, internal notes and read state, for both sides.

Read state is kept per side: ``Message.read_at`` is when the *other* side
read it. Internal notes are adviser-only and never touch the reporter's
unread state or the inbox order.
"""

import datetime as dt
import heapq
from dataclasses import dataclass
from typing import Any, cast

import peewee as pw

from . import attachments as files
from . import audit, casetext, sealing
from .access import check_visible
from .clock import to_minute, utcnow
from .config import Config
from .db import get_setting, locked_report, set_setting_if_absent, tuples
from .errors import CaseClosed, NotFound, PermissionDenied, ValidationError
from .evidence import Cleaned
from .i18n import N_, Say
from .keyring import NO_KEY, Keyring, keyring_of
from .models import Adviser, Message, Note, Report, database
from .reports import MESSAGE_LIMIT
from .sanitize import clean_text
from .sessions import SESSION_KEY_LOST

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
    """Re-read the report inside the write transaction, locked until it ends (db.locked_report): on
    PostgreSQL a reply or a read waits for a reporter's message committing at the same moment (else its
    unread count could be overwritten with 0), and a message for a key rotated meanwhile is refused."""
    report = locked_report(report_id)
    if report is None:
        raise NotFound("That case no longer exists.")
    return cast(Report, report)


FILES_ONLY_PREVIEW = "(files only)"  # the inbox preview of a message that is files alone


def _sealed_message(
    report: Report, key: bytes, author: str, text: str, now: dt.datetime, adviser: Adviser | None = None
) -> Message:
    """Insert a message and seal its body bound to its id and author (inside the caller's transaction)."""
    message = Message.create(report=report, author=author, created_at=now, adviser=adviser)
    message.sealed_body = casetext.seal_body(
        report.reference, key, "message", message.id, author, text, adviser_id=adviser.id if adviser else None
    )
    Message.update(sealed_body=message.sealed_body).where(Message.id == message.id).execute()
    message.body = text
    return message


def post_reporter_message(
    report_id: int,
    body: object,
    now: dt.datetime | None = None,
    case_key: bytes | None = None,
    attachments: list[Cleaned] | None = None,
) -> Message:
    """The reporter's message, sealed with ``case_key`` (the reporter session's, sessions.case_key), with
    its ``attachments`` (cleaned files) sealed and stored in the same transaction."""
    if case_key is None:
        raise NotFound(SESSION_KEY_LOST)
    text = clean_body(body, allow_empty=bool(attachments))
    now = to_minute(now or utcnow())
    with database.atomic():
        report = _locked_report(report_id)
        if report.status == "closed":
            raise CaseClosed(Say(N_("This conversation has been closed, so it cannot take new messages.")))
        if not report.two_way:
            raise NotFound("This report has no conversation.")
        if sealing.generation(case_key) != report.key_generation:
            # The case key was rotated after this session began (someone lost the case): sealed with the
            # old key, the message could be read by them. The site ends the session; signing in again
            # gives the new key.
            raise NotFound(SESSION_KEY_LOST)
        message = _sealed_message(report, case_key, "reporter", text, now)
        if attachments:
            files.store_files(report, attachments, case_key, message=message, now=now)
        Report.update(
            unread_count=Report.unread_count + 1,
            unread_since=report.unread_since or now,
            last_activity_at=now,
            reporter_last_seen_at=now,
            sealed_preview=casetext.seal_preview(report.reference, case_key, text or FILES_ONLY_PREVIEW),
            # A reporter answering a case that waited on them makes it active again.
            status="open" if report.status == "waiting" else report.status,
        ).where(Report.id == report.id).execute()
    return message


def post_adviser_reply(
    report_id: int,
    adviser: Adviser,
    body: object,
    now: dt.datetime | None = None,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> Message:
    """With ``config`` (the adviser app always passes it), only on a case the adviser may see;
    sealed with the case key from the adviser's ``keyring``."""
    text = clean_body(body, "reply")
    now = now or utcnow()
    with database.atomic():
        report = _locked_report(report_id)
        check_visible(adviser, report, config)
        key = _case_key(keyring_of(adviser, keyring), report)
        if report.status == "closed":
            raise CaseClosed("This case was closed, so the reply was not sent. Reopen it first.")
        if not report.two_way:
            raise ValidationError(
                {"body": "This reporter did not choose two-way messaging, so they cannot receive replies."}
            )
        message = _sealed_message(report, key, "adviser", text, now, adviser=adviser)
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


def _case_key(keyring: Keyring | None, report: Report) -> bytes:
    """The key to seal with: the case's current one (``report`` is its row, locked by the caller)."""
    if keyring is None:
        raise PermissionDenied(NO_KEY)
    return keyring.current_key(report)


def add_note(
    report_id: int,
    adviser: Adviser,
    body: object,
    now: dt.datetime | None = None,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> Note:
    """With ``config`` (the adviser app always passes it), only on a case the adviser may see."""
    text = clean_body(body, "note")
    now = now or utcnow()
    with database.atomic():
        report = _locked_report(report_id)
        check_visible(adviser, report, config)
        key = _case_key(keyring_of(adviser, keyring), report)
        note = Note.create(report=report, adviser=adviser, created_at=now)
        note.sealed_body = casetext.seal_body(
            report.reference, key, "note", note.id, "adviser", text, adviser_id=adviser.id
        )
        Note.update(sealed_body=note.sealed_body).where(Note.id == note.id).execute()
        note.body = text
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


def thread(report_id: int, include_notes: bool = False, key: bytes | None = None) -> list[ThreadItem]:
    """The conversation oldest first, opened with the case ``key``; with notes interleaved for advisers.

    Messages are in the order they were written, which is their id: a
    reporter's message carries only its minute (clock.to_minute), so by time
    it could sort before the adviser reply it answers. A text that does not
    open reads casetext.UNREADABLE.
    """
    reference = Report.select(Report.reference).where(Report.id == report_id).scalar() or ""
    messages = (
        Message.select(Message, Adviser)
        .join(Adviser, pw.JOIN.LEFT_OUTER)
        .where(Message.report == report_id)
        .order_by(Message.id)
    )
    items = [
        ThreadItem(
            "message",
            m.author,
            _adviser_name(m),
            casetext.open_body(reference, key, "message", m.id, m.author, m.sealed_body, adviser_id=m.adviser_id),
            m.created_at,
            m.read_at,
            m.id,
        )
        for m in messages
    ]
    if not include_notes:
        return items
    notes = (
        Note.select(Note, Adviser).join(Adviser, pw.JOIN.LEFT_OUTER).where(Note.report == report_id).order_by(Note.id)
    )
    noted = [
        ThreadItem(
            "note",
            "adviser",
            _adviser_name(n),
            casetext.open_body(reference, key, "note", n.id, "adviser", n.sealed_body, adviser_id=n.adviser_id),
            n.created_at,
            None,
            n.id,
        )
        for n in notes
    ]
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


# ---- binding old replies and notes to their advisers ------------------------------------------------------

AUTHORS_BOUND_SETTING = "authors_bound"  # set once a pass found no reply or note left sealed the old way
BIND_BATCH = 500


@dataclass
class Binding:
    """What one ``bind_authors`` pass did."""

    resealed: int = 0  # replies and notes sealed the old way, now sealed naming their adviser
    no_key: int = 0  # in cases this keyring holds no key to: left for another admin's pass
    unreadable: int = 0  # opening under neither seal (changed or damaged): left as they are
    skipped: bool = False  # an earlier pass had found nothing left to do

    @property
    def complete(self) -> bool:
        return self.no_key == 0


def bind_authors(keyring: Keyring, force: bool = False, batch: int = BIND_BATCH) -> Binding:
    """Re-seal the replies and notes written before authors were bound so that each names its adviser.

    Run with an admin's keys (who hold every case): by an admin's app after sign-in and by
    ``tellus migrate --admin NAME``. In batches of ``batch`` rows, each batch one transaction, so a crash
    leaves every row either as it was (still opening the old way) or re-sealed; and idempotent: a row that
    opens under its new seal is left alone, and a row is only overwritten if it still holds the very blob
    read and the adviser it was read with (another app binding it meanwhile, or an edit, wins).

    A row's adviser is taken as the row says *now*: a row moved by hand before this pass stays moved, now
    bound (README, "Sealed case files", Known limits). Once a pass leaves nothing behind it records so
    (``AUTHORS_BOUND_SETTING``) and later passes return at once unless ``force``d; deleting the setting
    only makes the next pass look again.
    """
    if not force and get_setting(AUTHORS_BOUND_SETTING):
        return Binding(skipped=True)
    done = Binding()
    for kind, model in (("message", Message), ("note", Note)):
        last = 0
        while True:
            query = model.select(model.id, model.report_id, model.adviser_id, model.sealed_body)
            if model is Message:
                query = query.where(Message.author == "adviser")
            rows = list(tuples(query.where(model.id > last).order_by(model.id).limit(batch)))
            if not rows:
                break
            last = rows[-1][0]
            _bind_batch(kind, model, rows, keyring, done)
    if done.complete:
        set_setting_if_absent(AUTHORS_BOUND_SETTING, utcnow().isoformat(timespec="seconds"))
    return done


def _bind_batch(
    kind: str, model: type[Message] | type[Note], rows: list[tuple[Any, ...]], keyring: Keyring, done: Binding
) -> None:
    report_ids = {report_id for _id, report_id, _adviser, _blob in rows}
    keys = keyring.case_keys(report_ids)
    references = dict(tuples(Report.select(Report.id, Report.reference).where(Report.id.in_(list(report_ids)))))
    rebound: list[tuple[int, object, bytes, bytes]] = []
    for item_id, report_id, adviser_id, blob in rows:
        key, reference = keys.get(report_id), references.get(report_id)
        if key is None or reference is None:
            done.no_key += 1
            continue
        try:
            text, legacy = casetext.open_body_status(
                reference, key, kind, item_id, "adviser", blob, adviser_id=adviser_id
            )
        except sealing.Unreadable:
            done.unreadable += 1
            continue
        if legacy:
            sealed = casetext.seal_body(reference, key, kind, item_id, "adviser", text, adviser_id=adviser_id)
            rebound.append((item_id, adviser_id, bytes(blob), sealed))
    if not rebound:
        return
    # Written as one statement a row, by hand: building each through peewee took most of the pass.
    p, table = database.param, model._meta.table_name
    unchanged = f"id = {p} AND sealed_body = {p}" + (" AND author = 'adviser'" if model is Message else "")
    update = f"UPDATE {table} SET sealed_body = {p} WHERE {unchanged} AND "
    with database.atomic():
        for item_id, adviser_id, old, sealed in rebound:
            if adviser_id is None:
                cursor = database.execute_sql(update + "adviser_id IS NULL", (sealed, item_id, old))
            else:
                cursor = database.execute_sql(update + f"adviser_id = {p}", (sealed, item_id, old, adviser_id))
            done.resealed += cursor.rowcount
