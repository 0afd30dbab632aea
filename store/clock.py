"""The current time, in one place (naive UTC, as stored)."""

import datetime as dt


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def to_minute(moment):
    """``moment`` without its seconds. Every time a reporter's action sets is stored
    like this: a time to the second lines up with a network log kept elsewhere
    and names the person (DESIGN.md, anonymity)."""
    return moment.replace(second=0, microsecond=0)
