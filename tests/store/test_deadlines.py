import datetime as dt

import pytest

from store.clock import local_date
from store.deadlines import WorkingCalendar, holiday_calendar
from store.errors import TellusError

D = dt.date


@pytest.mark.parametrize(
    "start, expected",
    [
        (D(2026, 11, 23), D(2026, 11, 30)),  # Monday → next Monday
        (D(2026, 11, 27), D(2026, 12, 4)),  # Friday → next Friday, weekend skipped
        (D(2026, 11, 28), D(2026, 12, 4)),  # Saturday counts from Monday
        (D(2026, 8, 27), D(2026, 9, 4)),  # across the August bank holiday (31 Aug)
        (D(2027, 3, 24), D(2027, 4, 2)),  # Good Friday 26 Mar and Easter Monday 29 Mar 2027
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, expected):
    assert WorkingCalendar("GB-ENG").add_working_days(start, 5) == expected


def test_a_closure_across_new_year_does_not_count():
    calendar = WorkingCalendar("GB-ENG", [(D(2026, 12, 19), D(2027, 1, 3))])
    # Thursday 17 Dec: Fri 18 counts, then nothing until Mon 4 Jan.
    assert calendar.add_working_days(D(2026, 12, 17), 5) == D(2027, 1, 7)
    # Submitted during the closure: counting starts when it ends.
    assert calendar.add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 8)
    assert calendar.working_days_between(D(2026, 12, 17), D(2027, 1, 7)) == 5


def test_without_the_closure_bank_holidays_still_apply():
    calendar = WorkingCalendar("GB-ENG")
    # Christmas, Boxing Day (substitute 28 Dec) and New Year's Day skipped.
    assert calendar.add_working_days(D(2026, 12, 23), 3) == D(2026, 12, 30)


def test_regions_differ():
    scotland = WorkingCalendar("GB-SCT")
    england = WorkingCalendar("GB-ENG")
    assert not scotland.is_working_day(D(2027, 1, 4))  # 2 January holiday substitute in Scotland
    assert england.is_working_day(D(2027, 1, 4))


def test_an_unknown_region_is_a_clear_error():
    with pytest.raises(TellusError):
        holiday_calendar("XX-NOPE", 2026)


def test_local_date_uses_the_organisation_timezone():
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    assert local_date(dt.datetime(2026, 6, 30, 23, 30), "Europe/London") == D(2026, 7, 1)


def test_a_calendar_with_no_working_days_fails_clearly():
    calendar = WorkingCalendar("GB-ENG", [(D(2026, 1, 1), D(2040, 1, 1))])
    with pytest.raises(TellusError):
        calendar.add_working_days(D(2026, 6, 1), 5)
