"""The current time, in one place (naive UTC, as stored)."""

import datetime as dt


def utcnow():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
