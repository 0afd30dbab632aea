"""Closure periods (e.g. the winter break): reports are not monitored then.

Closures do not count as working days; adding or removing one recomputes the
due date of every case still waiting for its first response.
"""

import datetime as dt
import json

from . import audit
from .access import require_admin
from .clock import utcnow
from .config import Config
from .dates import parse_date
from .deadlines import calendar_for, due_date, today
from .errors import NotFound, ValidationError
from .models import Adviser, Closure, Report, database
from .sanitize import clean_text


def add_closure(
    start: dt.date | str,
    end: dt.date | str,
    note: str = "",
    config: Config | None = None,
    by: Adviser | None = None,
    translations: dict[str, str] | None = None,
) -> Closure:
    """``by``: the admin doing it in the adviser app; None for the CLI. With ``config``, due dates re-compute.

    ``note`` is English; ``translations`` ({language: text}) the note in the site's other languages.
    """
    require_admin(by, "manage closure periods")
    start = start if isinstance(start, dt.date) else parse_date(start, "start")
    end = end if isinstance(end, dt.date) else parse_date(end, "end")
    if end < start:
        raise ValidationError({"end": "The end of a closure cannot be before its start."})
    if (end - start).days > 366:
        raise ValidationError({"end": "A closure can last at most a year."})
    note = clean_text(note, multiline=False)[:300]
    translated = {language: clean_text(text, multiline=False)[:300] for language, text in (translations or {}).items()}
    translated = {language: text for language, text in translated.items() if text}
    if translated and not note:
        raise ValidationError({"note": "Give the note in English too: it is shown where a language has none."})
    with database.atomic():
        closure = Closure.create(
            start=start, end=end, note=note, note_translations=json.dumps(translated), created_at=utcnow()
        )
        audit.record("closure_added", by, detail=f"{start} to {end}", adviser_name=None if by else "cli")
        if config is not None:
            recompute_due_dates(config)
    return closure


def remove_closure(closure_id: int, config: Config | None = None, by: Adviser | None = None) -> None:
    require_admin(by, "manage closure periods")
    with database.atomic():
        closure = Closure.get_or_none(Closure.id == closure_id)
        if closure is None:
            raise NotFound(f"There is no closure with id {closure_id}.")
        closure.delete_instance()
        audit.record(
            "closure_removed", by, detail=f"{closure.start} to {closure.end}", adviser_name=None if by else "cli"
        )
        if config is not None:
            recompute_due_dates(config)


def list_closures(by: Adviser | None = None) -> list[Closure]:
    """Every closure period, earliest first. ``by``: the admin in the adviser app; None for the CLI."""
    require_admin(by, "manage closure periods")
    return list(Closure.select().order_by(Closure.start))


def state(closure: Closure, config: Config, now: dt.datetime | None = None) -> str:
    """ "past", "now" (in force) or "coming", by the organisation's date (closures are local dates)."""
    day = today(config, now)
    if closure.end < day:
        return "past"
    return "now" if closure.start <= day else "coming"


def current_closure(config: Config, now: dt.datetime | None = None) -> Closure | None:
    """The closure in force today or starting within 14 days, if any (for notices)."""
    day = today(config, now)
    return (
        Closure.select()
        .where((Closure.end >= day) & (Closure.start <= day + dt.timedelta(days=14)))
        .order_by(Closure.start)
        .first()
    )


def recompute_due_dates(config: Config) -> int:
    """Re-derive due dates for cases still waiting for a first response."""
    calendar = calendar_for(config)
    pending = Report.select(Report.id, Report.created_at, Report.due_on).where(Report.first_response_at.is_null())
    changed = 0
    for report in pending:
        due = due_date(report.created_at, config, calendar)
        if due != report.due_on:
            Report.update(due_on=due).where(Report.id == report.id).execute()
            changed += 1
    return changed
