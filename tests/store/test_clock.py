"""Times are stored as naive UTC; people read the organisation's local time. store/clock.py converts, alone."""

import ast
import datetime as dt
import pathlib

import pytest

from store.clock import local_date, local_time, utc_from_local

ROOT = pathlib.Path(__file__).resolve().parents[2]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe", "UTC"]


def test_summer_and_winter_in_london():
    assert local_time(dt.datetime(2026, 1, 15, 12, 0), "Europe/London").strftime("%H:%M %Z") == "12:00 GMT"
    assert local_time(dt.datetime(2026, 7, 15, 12, 0), "Europe/London").strftime("%H:%M %Z") == "13:00 BST"


def test_the_local_date_runs_ahead_of_utc_east_of_greenwich_and_behind_it_west():
    late = dt.datetime(2026, 6, 30, 23, 30)
    assert local_date(late, "Europe/London") == dt.date(2026, 7, 1)
    assert local_date(late, "America/New_York") == dt.date(2026, 6, 30)
    early = dt.datetime(2026, 7, 1, 2, 0)
    assert local_date(early, "America/New_York") == dt.date(2026, 6, 30)
    assert local_date(early, "Asia/Kolkata") == dt.date(2026, 7, 1)


def test_a_local_day_begins_at_its_own_midnight_in_utc():
    assert utc_from_local(dt.date(2026, 7, 1), "Europe/London") == dt.datetime(2026, 6, 30, 23, 0)
    assert utc_from_local(dt.date(2026, 1, 1), "Europe/London") == dt.datetime(2026, 1, 1, 0, 0)
    assert utc_from_local(dt.date(2026, 7, 1), "Asia/Kolkata") == dt.datetime(2026, 6, 30, 18, 30)
    assert utc_from_local(dt.datetime(2026, 7, 1, 9, 15), "America/New_York") == dt.datetime(2026, 7, 1, 13, 15)


@pytest.mark.parametrize("zone", ZONES)
def test_every_stored_minute_of_a_year_comes_back_from_its_local_time(zone):
    """Round trip through both clock changes, the repeated hour included (the local time carries its fold)."""
    moment = dt.datetime(2026, 1, 1)
    while moment.year == 2026:
        shown = local_time(moment, zone)
        assert shown.utcoffset() is not None
        assert utc_from_local(shown, zone) == moment
        assert local_date(moment, zone) == shown.date()
        moment += dt.timedelta(minutes=30)


def test_results_are_naive_utc_as_stored():
    back = utc_from_local(dt.date(2026, 3, 29), "Europe/London")
    assert back.tzinfo is None


def _conversions(path):
    """Places in ``path`` that convert between time zones by hand: astimezone(), tzinfo=…, ZoneInfo(…)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "astimezone":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} astimezone")
        elif isinstance(node, ast.keyword) and node.arg == "tzinfo":
            found.append(f"{path.relative_to(ROOT)}:{node.value.lineno} tzinfo=")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "ZoneInfo":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} ZoneInfo")
    return found


def test_no_module_but_the_clock_converts_time_zones():
    """One place for UTC and local time, so a fix near midnight or a clock change is made once."""
    allowed = {ROOT / "store" / "clock.py"}
    found = []
    for package in ("store", "adviser_tui", "reporter_web", "tellus"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path not in allowed:
                found += _conversions(path)
    assert found == []


@pytest.mark.parametrize("name", ["Europe/Lndon", "", "../../etc/passwd", "/etc/localtime", "Europe/London\x00"])
def test_a_time_zone_nobody_knows_is_refused_when_the_config_loads(name):
    from store.clock import known_timezone
    from store.config import Config, ConfigError

    assert not known_timezone(name)
    with pytest.raises(ConfigError, match="Unknown timezone"):
        Config(timezone=name)
    assert known_timezone("Europe/London") and known_timezone("Pacific/Chatham")
