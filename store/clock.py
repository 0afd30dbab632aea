"""Time, in one place: the current time, and conversion between stored and local time.

Stored times are naive UTC datetimes. People read the organisation's local
time (``config.timezone``), and local dates (due dates, closures, date
filters) are dates in that zone. Every conversion between the two is one of
the functions below, so a fix near midnight or a clock change is made once.
"""

import datetime as dt
from zoneinfo import ZoneInfo


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def to_minute(moment: dt.datetime) -> dt.datetime:
    """``moment`` without its seconds. Every time a reporter's action sets is stored
    like this: a time to the second lines up with a network log kept elsewhere
    and names the person (ARCHITECTURE.md, anonymity)."""
    return moment.replace(second=0, microsecond=0)


def known_timezone(name: str) -> bool:
    """Whether ``name`` is a time zone this system knows ("Europe/London")."""
    try:
        ZoneInfo(name)
    except (ValueError, TypeError, LookupError):  # LookupError: zoneinfo's ZoneInfoNotFoundError
        return False
    return True


def local_time(utc_naive: dt.datetime, timezone: str) -> dt.datetime:
    """A stored (naive UTC) time as an aware time in ``timezone``, for showing to people."""
    return utc_naive.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(timezone))


def local_date(utc_naive: dt.datetime, timezone: str) -> dt.date:
    """The local date in ``timezone`` at a stored (naive UTC) time."""
    return local_time(utc_naive, timezone).date()


def utc_from_local(local: dt.datetime | dt.date, timezone: str) -> dt.datetime:
    """The stored (naive UTC) form of a local time in ``timezone``; a date means its local midnight.

    An aware time keeps its own offset (and fold, for the hour repeated when
    the clocks go back); a naive one is read as wall-clock time in ``timezone``.
    """
    if not isinstance(local, dt.datetime):
        local = dt.datetime.combine(local, dt.time())
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC).replace(tzinfo=None)
