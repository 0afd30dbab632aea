"""The audit trail's date filters: one kind of bound for browsing and exporting.

Both ``audit.events`` (the adviser app) and ``audit.export_csv`` (``tellus audit``)
take the organisation's local dates, as a person types them, both ends inclusive,
and the store parses and checks them.
"""

import csv
import datetime as dt
import io

import pytest

from store import Config, audit
from store.errors import ValidationError
from store.models import AuditEvent

LONDON = Config()  # Europe/London: an hour ahead of UTC in summer
AUCKLAND = Config(timezone="Pacific/Auckland")  # twelve hours ahead in (its) winter


@pytest.fixture
def midsummer(db):
    """Entries either side of local midnight at the start and end of 1 July 2026 (BST = UTC+1)."""
    for at, name in (
        (dt.datetime(2026, 6, 30, 22, 59), "june_last"),
        (dt.datetime(2026, 6, 30, 23, 1), "july_first"),
        (dt.datetime(2026, 7, 1, 22, 59), "july_last"),
        (dt.datetime(2026, 7, 1, 23, 0), "august_eve"),
    ):
        AuditEvent.create(at=at, adviser_name=name, action="login")


def browsed(**bounds):
    return [e.adviser_name for e in reversed(audit.events(**bounds))]


def exported(**bounds):
    out = io.StringIO()
    audit.export_csv(out, **bounds)
    return [row["adviser"] for row in csv.DictReader(io.StringIO(out.getvalue()))]


@pytest.mark.parametrize(
    "bounds",
    [
        dict(since="2026-07-01", until="2026-07-01"),
        dict(since=dt.date(2026, 7, 1), until=dt.date(2026, 7, 1)),
        dict(since=" 2026-07-01 ", until="2026-07-01\n"),
    ],
    ids=["typed", "dates", "spaces"],
)
def test_one_local_day_is_the_same_entries_to_browse_and_to_export(midsummer, bounds):
    assert browsed(config=LONDON, **bounds) == ["july_first", "july_last"]
    assert exported(config=LONDON, **bounds) == ["july_first", "july_last"]


def test_a_bound_alone_is_inclusive_at_its_end(midsummer):
    assert browsed(config=LONDON, since="2026-07-01") == ["july_first", "july_last", "august_eve"]
    assert exported(config=LONDON, until="2026-06-30") == ["june_last"]
    blank = browsed(config=LONDON, since="", until="  ", action="login")  # no bound: every login
    assert blank == ["june_last", "july_first", "july_last", "august_eve"]


def test_the_organisations_timezone_decides_the_day(midsummer):
    # 1 July in Auckland (UTC+12) runs from 30 June 12:00 to 1 July 12:00 UTC.
    assert browsed(config=AUCKLAND, since="2026-07-01", until="2026-07-01") == ["june_last", "july_first"]
    assert exported(config=AUCKLAND, since="2026-07-01", until="2026-07-01") == ["june_last", "july_first"]


@pytest.mark.parametrize(
    "since,until,sentence",
    [
        ("yesterday", None, "Since date must look like 2026-12-19 (year-month-day)."),
        ("2026-02-30", None, "Since date must look like 2026-12-19 (year-month-day)."),
        (None, "1/7/2026", "Until date must look like 2026-12-19 (year-month-day)."),
        ("2026-07-02", "2026-07-01", "The end date is before the start date."),
    ],
)
def test_a_bad_date_is_one_sentence_from_both(midsummer, since, until, sentence):
    for call in (browsed, exported):
        with pytest.raises(ValidationError) as caught:
            call(config=LONDON, since=since, until=until)
        assert str(caught.value) == sentence
    assert AuditEvent.select().where(AuditEvent.action == "export").count() == 0  # nothing half-done
