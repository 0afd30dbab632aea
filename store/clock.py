"""The current time, in one place (naive UTC, as stored), and the one place it becomes local time."""

import datetime as dt
from zoneinfo import ZoneInfo


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def to_minute(moment):
    """``moment`` without its seconds. Every time a reporter's action sets is stored
    like this: a time to the second lines up with a network log kept elsewhere
    and names the person (see ARCHITECTURE.md, anonymity)."""
    return moment.replace(second=0, microsecond=0)


def local_time(utc_naive, timezone):
    """A stored (naive UTC) time as the organisation's wall-clock time, aware of ``timezone``."""
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(timezone))
