"""What the reporter is shown, as data; the site only puts it into words.

The rules live here: which adviser replies are new to the reporter, whether
an adviser has read what the reporter sent last, whose turn it is, when a
reply is due and whether it is late, and when the start page announces a
closure. Times come out in the organisation's local time (clock.local_time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .casetext import ReportText, open_report
from .clock import local_time, utcnow
from .closures import current_closure
from .config import Config
from .conversation import ThreadItem, mark_read_by_reporter, thread
from .deadlines import due_date, today
from .models import Report
from .reports import get_report


@dataclass(frozen=True)
class ShownMessage:
    mine: bool  # the reporter wrote it; otherwise an adviser did
    body: str
    written_at: dt.datetime  # local time
    new: bool  # an adviser's reply the reporter has not been shown yet
    id: int = 0  # the message's id (its files are found by it)


@dataclass(frozen=True)
class AdviserRead:
    """Whether an adviser has read what the reporter sent last: their latest
    message, or the report itself while they have written none."""

    what: str  # "message" | "report"
    at: dt.datetime | None  # local time; None: not read yet


@dataclass(frozen=True)
class ReplyDue:
    by: dt.date  # local date
    late: bool  # that day has passed


@dataclass(frozen=True)
class ConversationView:
    report: Report
    sent_at: dt.datetime  # when the report was sent, local time
    messages: tuple[ShownMessage, ...]  # oldest first
    read: AdviserRead
    reply_due: ReplyDue | None  # None: the conversation is closed, or it is the reporter's turn
    closed: bool
    today: dt.date  # the organisation's date now (dates in this year need no year)
    newest_message_id: int | None  # what the view holds: a message written after it is not in it
    text: ReportText  # the report as they wrote it, opened with their key

    @property
    def has_new(self) -> bool:
        return any(m.new for m in self.messages)


@dataclass(frozen=True)
class ClosureNotice:
    start: dt.date
    end: dt.date
    note: str  # English
    notes: dict[str, str]  # the note in other languages, by language code
    in_force: bool  # it has started; otherwise it starts within two weeks
    today: dt.date

    def note_in(self, language: str) -> str:
        return self.notes.get(language) or self.note


def conversation_view(
    report_id: int, config: Config, now: dt.datetime | None = None, key: bytes | None = None
) -> ConversationView:
    """The reporter's conversation, opened with the session's case ``key``. Raises NotFound if the report is gone."""
    now = now or utcnow()
    report = get_report(report_id)
    items = thread(report.id, key=key)
    zone = config.timezone
    messages = tuple(
        ShownMessage(
            id=i.id,
            mine=i.author == "reporter",
            body=i.body,
            written_at=local_time(i.created_at, zone),
            new=i.author == "adviser" and i.read_at is None,
        )
        for i in items
    )
    mine = [i for i in items if i.author == "reporter"]
    read_at = mine[-1].read_at if mine else report.adviser_read_at
    read = AdviserRead(what="message" if mine else "report", at=read_at and local_time(read_at, zone))
    day = today(config, now)
    closed = report.status == "closed"
    due = None if closed else _reply_due_by(report, items, config)
    return ConversationView(
        report=report,
        sent_at=local_time(report.created_at, zone),
        messages=messages,
        read=read,
        reply_due=None if due is None else ReplyDue(by=due, late=due < day),
        closed=closed,
        today=day,
        newest_message_id=items[-1].id if items else None,
        text=open_report(report, key),
    )


def mark_seen(view: ConversationView, now: dt.datetime | None = None) -> int:
    """The reporter has been shown ``view``: the adviser replies it showed as new are read now,
    and one written since stays new for the next view. Returns how many were marked."""
    if not view.has_new:
        return 0
    return mark_read_by_reporter(view.report.get_id(), now, up_to=view.newest_message_id)


def _reply_due_by(report: Report, items: list[ThreadItem], config: Config) -> dt.date | None:
    """The first reply is due by the report's due date; after that, a reply to the
    reporter's latest message is due working days after it. None: their turn."""
    if report.first_response_at is None:
        return report.due_on
    if items and items[-1].author == "reporter":
        return due_date(items[-1].created_at, config)
    return None


def closure_notice(config: Config, now: dt.datetime | None = None) -> ClosureNotice | None:
    """The closure the start page announces: one in force today, or starting within two weeks."""
    now = now or utcnow()
    closure = current_closure(config, now)
    if closure is None:
        return None
    day = today(config, now)
    notes = {language: closure.note_in(language) for language in config.languages}
    return ClosureNotice(
        start=closure.start, end=closure.end, note=closure.note, notes=notes, in_force=closure.start <= day, today=day
    )
