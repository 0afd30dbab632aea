"""Dates, ages and labels as the adviser reads them (no reporter text here)."""

from babel import Locale, UnknownLocaleError

from store.clock import local_time, utcnow

WAY_LABELS = {"anonymous": "anon", "named": "named"}
ROLE_LABELS = {
    "student": "student",
    "staff": "staff",
    "visitor": "visitor",
    "other": "other",
    "prefer_not_to_say": "—",
}
OVERDUE_MARK = "!"  # a symbol as well as a colour: survives monochrome terminals
UNREAD_MARK = "●"


def language_name(code):
    """The language a report was written in, as an English speaker names it ("Welsh"); its code if unknown."""
    try:
        return Locale.parse(code).get_display_name("en")
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def local(when, config):
    """A stored naive-UTC time in the organisation's timezone."""
    return local_time(when, config.timezone)


def when(value, config):
    if value is None:
        return ""
    return local(value, config).strftime("%a %d %b %Y %H:%M")


def short_date(value):
    return value.strftime("%d %b") if value else ""


def age(since, now=None):
    """How long ago, compactly: 45m, 5h, 3d."""
    if since is None:
        return ""
    seconds = max(((now or utcnow()) - since).total_seconds(), 0)
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"
