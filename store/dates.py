"""Dates as people type them (YYYY-MM-DD), and a range of the organisation's local days as UTC bounds.

Every date a person gives Tellus (closure periods, the audit trail's and the
statistics' ranges) is a day in the organisation's timezone; stored times are
naive UTC. A local day therefore starts at a different UTC moment in summer and
in winter, and an entry at 23:30 UTC in July belongs to the next local day in
London.
"""

import datetime as dt

from .clock import utc_from_local
from .config import Config
from .errors import ValidationError

Day = dt.date | str | None  # a date, as typed, or blank


def parse_date(text: object, field: str) -> dt.date:
    """A date typed as YYYY-MM-DD (spaces around it ignored); ValidationError naming ``field`` otherwise."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        sentence = f"{field.capitalize()} date must look like 2026-12-19 (year-month-day)."
        raise ValidationError({field: sentence}) from None


def _day(value: Day, field: str) -> dt.date | None:
    """A date, a typed date, or None for a blank field."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str) and not value.strip():
        return None
    return parse_date(value, field)


def local_days(since: Day, until: Day) -> tuple[dt.date | None, dt.date | None]:
    """``since`` and ``until`` (dates, typed text, or blank) → (date or None, date or None), checked.

    Raises a ValidationError with one sentence for a date that is not a date,
    or a range that ends before it starts.
    """
    first, last = _day(since, "since"), _day(until, "until")
    if first is not None and last is not None and last < first:
        raise ValidationError({"until": "The end date is before the start date."})
    return first, last


def utc_bounds(
    first: dt.date | None, last: dt.date | None, config: Config
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Local days ``first`` to ``last`` (both inclusive; either None) → UTC (start inclusive, end exclusive)."""
    start = utc_from_local(first, config.timezone) if first is not None else None
    end = utc_from_local(last + dt.timedelta(days=1), config.timezone) if last is not None else None
    return start, end
