"""Response deadlines counted in working days.

A working day is a weekday that is not a public holiday (the ``holidays``
package, region from config) and not inside a closure period. The first
response to a report is due N working days after the day it arrived: a
report sent on Monday with N=5 is due the following Monday.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

import holidays
import peewee as pw

from .clock import local_date, utcnow
from .db import statement
from .errors import TellusError
from .models import Closure, Report

if TYPE_CHECKING:  # config imports this module (to check the holiday region)
    from .config import Config


@functools.lru_cache(maxsize=64)
def holiday_calendar(region: str, year: int) -> holidays.HolidayBase:
    """Public holidays for ``region`` ("GB-ENG", "GB", "DE-BY", …) in ``year``."""
    country, _, subdiv = region.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdiv or None, years=year)
    except (NotImplementedError, KeyError) as exc:
        raise TellusError(f"Unknown holiday region {region!r}.") from exc


class WorkingCalendar:
    """Weekends, public holidays and closure periods, for date arithmetic."""

    def __init__(self, region: str = "GB-ENG", closures: Iterable[tuple[dt.date, dt.date]] = ()) -> None:
        self.region = region
        # (start, end) inclusive local dates
        self.closures = sorted((c[0], c[1]) for c in closures)

    def is_closed(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.closures)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in holiday_calendar(self.region, day.year) and not self.is_closed(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself never counts)."""
        day = start
        counted = 0
        for _ in range(3660):  # ten years: a bound against a calendar with no working days
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
                if counted == n:
                    return day
        raise TellusError("No working days found in the next ten years; check the closure periods.")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def calendar_for(config: Config) -> WorkingCalendar:
    """The working calendar with the closures currently in the store."""
    # Every submitted report asks: the statement is written once (store.db.statement).
    text = statement("closures", lambda: Closure.select(Closure.start, Closure.end), 0)
    return WorkingCalendar(config.holiday_region, [(c.start, c.end) for c in Closure.raw(text)])


def due_date(created_at: dt.datetime, config: Config, calendar: WorkingCalendar | None = None) -> dt.date:
    calendar = calendar or calendar_for(config)
    return calendar.add_working_days(local_date(created_at, config.timezone), config.response_working_days)


def today(config: Config, now: dt.datetime | None = None) -> dt.date:
    """The organisation's local date now (or at ``now``, naive UTC)."""
    return local_date(now or utcnow(), config.timezone)


# "Overdue", the one definition: still waiting for its first response (not
# answered, not closed) and due before the organisation's local today. The
# SQL clause (inbox, header counts, notifications) and the predicate (a case
# already loaded) are written side by side so that they cannot drift apart.


def overdue_clause(today_: dt.date) -> pw.Expression:
    """WHERE clause: the reports overdue on the local date ``today_`` (served by the (first_response_at, due_on) index)."""
    return Report.first_response_at.is_null() & (Report.status != "closed") & (Report.due_on < today_)


def awaiting_first_response(report: Report) -> bool:
    """The case still waits for an adviser's first response: it has a due date that matters."""
    return report.first_response_at is None and report.status != "closed"


def is_overdue(report: Report, today_: dt.date) -> bool:
    """``report`` is overdue on the local date ``today_`` (the Python twin of ``overdue_clause``)."""
    return awaiting_first_response(report) and report.due_on < today_
