"""What ``tellus demo`` adds to the sample year, so that a newcomer sees every feature in a minute.

Among real-looking background cases the patterns screen would light up
everywhere (fourteen places over 200 cases repeat), so in showcase mode the
background reports of the last ``QUIET_DAYS`` name no place or person, and
five recent reports, sent through the real service, name:

* one place three ways ("Library, second floor", "library 2nd floor", "the
  libary, 2nd flr"): a pattern to act on;
* one person twice ("Dr J. Morgan", "dr morgan"): a group under the threshold.

One of the library reports has waited well past its due date: an overdue case.
A closure period (a week, starting next Monday that is at least a week away)
is coming up, so due dates skip it and the reporter site's start page says so.
The long conversation with its notes comes from the background year.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .. import closures
from ..config import Config
from ..deadlines import today
from ..models import Closure, Report
from ..reports import submit_report

QUIET_DAYS = 120  # background reports this recent name no place or person

# (days ago, location, people, category, two-way, description): the oldest first.
PLACE_REPORTS = (
    (
        16,
        "library 2nd floor",
        "",
        "Harassment",
        True,
        (
            "A man sits at the desk next to mine on the second floor of the library most evenings and follows me to the "
            "stairs when I leave. It has happened four times now."
        ),
    ),
    (
        3,
        "Library, second floor",
        "",
        "Harassment",
        True,
        (
            "Someone photographs students working at the desks by the windows on the library's second floor. "
            "I saw him do it to two other people this week."
        ),
    ),
    (
        1,
        "the libary, 2nd flr",
        "",
        "Sexual misconduct",
        False,
        (
            "He sat right next to me in the libary again and put his hand on my leg. I moved and he followed me. "
            "Sorry, writing this on my phone."
        ),
    ),
)
PERSON_REPORTS = (
    (
        4,
        "",
        "Dr J. Morgan",
        "Bullying",
        True,
        (
            "My supervisor, Dr J. Morgan, shouts at me in lab meetings and has told me my contract depends on "
            "working weekends."
        ),
    ),
    (
        2,
        "",
        "dr morgan",
        "Bullying",
        True,
        (
            "Dr Morgan made fun of my accent in front of the whole tutorial group again. Others laughed. "
            "I don't want to go back."
        ),
    ),
)
OVERDUE_DAYS = 16  # the oldest library report: past its due date even across a bank holiday weekend


@dataclass
class Showcase:
    """References a newcomer can look up (``/`` in the inbox finds a case by its reference)."""

    place: list[str]  # the three reports naming the library
    person: list[str]  # the two naming Dr Morgan
    overdue: str  # a case nobody has answered in time
    longest: str  # the long conversation, notes in between
    closure: Closure  # the closure period coming up


def quiet(report: dict[str, Any], now: dt.datetime) -> None:
    """Background reports of the last QUIET_DAYS name no place or person (the showcase's stand out)."""
    if now - report["created_at"] < dt.timedelta(days=QUIET_DAYS):
        report.update(location="", people="")


def add_showcase(config: Config, now: dt.datetime, longest_id: int) -> Showcase:
    """Send the showcase's reports, add the closure; returns a ``Showcase``."""
    place = [_report(config, now, *story) for story in PLACE_REPORTS]
    person = [_report(config, now, *story) for story in PERSON_REPORTS]
    start = _next_monday(today(config, now) + dt.timedelta(days=7))
    closure = closures.add_closure(
        start,
        start + dt.timedelta(days=4),
        "Staff training week: reports are read again from the Monday after.",
        config=config,
    )
    overdue = place[[days for days, *_ in PLACE_REPORTS].index(OVERDUE_DAYS)]
    return Showcase(
        place=place, person=person, overdue=overdue, longest=Report.get_by_id(longest_id).reference, closure=closure
    )


def _report(
    config: Config,
    now: dt.datetime,
    days: int,
    location: str,
    people: str,
    category: str,
    two_way: bool,
    description: str,
) -> str:
    form: dict[str, str] = {
        "way": "anonymous",
        "role": "student",
        "category": category,
        "description": description,
        "location": location,
        "people": people,
    }
    if two_way:
        form["two_way"] = "on"
    return submit_report(form, config, now=now - dt.timedelta(days=days, hours=3)).report.reference


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)
