import csv
import dataclasses
import datetime as dt
import io

import pytest

from store import advisers, conversation
from store.errors import PermissionDenied
from store.models import AuditEvent
from store.reports import submit_report
from store.stats import SUPPRESSED, compute_statistics, export_statistics, suppress, to_csv

NOW = dt.datetime(2026, 3, 16, 12, 0)  # a Monday


def submit(config, when, **fields):
    form = {"way": "anonymous", "role": "student", "category": "Harassment", "description": "x", "location": ""}
    form.update(fields)
    if form["way"] == "named":
        form.setdefault("email", "someone@example.com")
    return submit_report(form, config, now=when).report


def table(result, title):
    found = next(t for t in result.tables if t.title == title)
    return dict(found.rows), found.total


def test_small_cells_are_suppressed_and_cannot_be_recovered_by_subtraction():
    rows, total = suppress([("a", 20), ("b", 3), ("c", 7), ("d", 0)])
    assert rows == [("a", 20), ("b", SUPPRESSED), ("c", SUPPRESSED), ("d", SUPPRESSED)]
    assert total == 30
    # What subtraction reveals is the hidden sum, and it is never 1–4.
    hidden = total - sum(n for _l, n in rows if n != SUPPRESSED)
    assert hidden == 0 or hidden >= 5


def test_a_table_under_five_is_hidden_whole():
    assert suppress([("a", 2), ("b", 1)]) == ([("a", SUPPRESSED), ("b", SUPPRESSED)], SUPPRESSED)


def test_nothing_is_hidden_when_every_cell_is_large_enough():
    assert suppress([("a", 5), ("b", 9)]) == ([("a", 5), ("b", 9)], 14)


@pytest.mark.parametrize(
    "counts", [[("a", 1), ("b", 6), ("c", 6)], [("a", 4), ("b", 4), ("c", 100)], [("a", 0), ("b", 5)]]
)
def test_hidden_sums_are_never_between_one_and_four(counts):
    rows, total = suppress(counts)
    hidden = total - sum(n for _l, n in rows if n != SUPPRESSED)
    assert hidden == 0 or hidden >= 5


def test_counts_by_dimension(db, config):
    config = dataclasses.replace(config, locations=("Library",))
    for i in range(6):
        submit(
            config,
            NOW - dt.timedelta(days=40),
            location="library 2nd floor" if i % 2 else "Libary",
            category="Bullying",
        )
    for _ in range(5):
        submit(config, NOW - dt.timedelta(days=5), way="named", role="staff", two_way="on")
    submit(config, NOW - dt.timedelta(days=5), location="my flat, 12 Acacia Road", role="visitor")
    result = compute_statistics(config, now=NOW)
    months, total = table(result, "Reports by month")
    assert months == {"2026-02": 6, "2026-03": 6} and total == 12
    categories, _t = table(result, "By category")
    assert categories["Bullying"] == 6 and categories["Harassment"] == 6 and categories["Assault"] == SUPPRESSED
    roles, _t = table(result, "By role")
    # One visitor is hidden; staff (5, the smallest visible) is hidden too, or total minus students would show it.
    assert roles["Student"] == 6 and roles["Visitor"] == SUPPRESSED and roles["Staff"] == SUPPRESSED
    places, _t = table(result, "By location")
    assert places["Library"] == 6
    assert not any("Acacia" in label for label in places)  # one reporter's own words are not listed
    ways, _t = table(result, "By way of reporting")
    assert ways == {"Anonymous": 7, "Named": 5}
    uptake, _t = table(result, "Two-way messaging")
    assert uptake == {"Chosen": 5, "Not chosen": 7}


def test_response_figures(db, config):
    alex = advisers.create_adviser("alex", "a long enough password")
    monday = NOW - dt.timedelta(days=28)
    # Calendar days after a Monday → working days: 1, 2, 2, 3, and 11 days = 9 working days (misses the target).
    for calendar_days in (1, 2, 2, 3, 11):
        report = submit(config, monday, two_way="on")
        conversation.post_adviser_reply(report.id, alex, "Hello", now=monday + dt.timedelta(days=calendar_days))
    figures = dict(compute_statistics(config, now=NOW).figures)
    assert figures["First responses within 5 working days"] == "80% of 5"
    assert figures["Median time to first response"] == "2 working days"


def test_response_figures_on_few_cases_are_not_shown(db, config):
    submit(config, NOW - dt.timedelta(days=30))
    figures = dict(compute_statistics(config, now=NOW).figures)
    assert figures["Reports"] == SUPPRESSED
    assert figures["Median time to first response"].startswith("not shown")


def test_only_admins_get_statistics(db, config):
    alex = advisers.create_adviser("alex", "a long enough password")
    with pytest.raises(PermissionDenied):
        compute_statistics(config, adviser=alex)


def test_csv_keeps_spreadsheets_from_reading_configured_text_as_formulas(db, config):
    # Reporters' own words never reach statistics (they are sealed); a configured place's name does.
    config = dataclasses.replace(config, locations=("=HYPERLINK(1)",))
    for _ in range(5):
        submit(config, NOW, location="=HYPERLINK(1)")
    rows = list(csv.reader(io.StringIO(to_csv(compute_statistics(config, now=NOW)))))
    assert rows[0] == ["section", "label", "value"]
    assert ["By location", "'=HYPERLINK(1)", "5"] in rows


def exports():
    return [
        (e.adviser_name, e.detail)
        for e in AuditEvent.select().where(AuditEvent.action == "export").order_by(AuditEvent.id)
    ]


def test_an_export_is_written_and_audited_in_one_call(db, config):
    for _ in range(5):
        submit(config, NOW)
    out = io.StringIO()
    result = export_statistics(config, out, now=NOW)
    assert out.getvalue() == to_csv(result)
    assert ["By category", "Harassment", "5"] in list(csv.reader(io.StringIO(out.getvalue())))
    ada = advisers.create_adviser("ada", "a long enough password", is_admin=True)
    shown = io.StringIO()
    export_statistics(config, shown, render=lambda r: f"{len(r.tables)} tables\n", by=ada, now=NOW)
    assert shown.getvalue() == f"{len(result.tables)} tables\n"
    assert exports() == [("cli", "statistics (csv)"), ("ada", "statistics")]


def test_a_non_admin_gets_no_export_and_no_audit_entry(db, config):
    alex = advisers.create_adviser("alex", "a long enough password")
    out = io.StringIO()
    with pytest.raises(PermissionDenied):
        export_statistics(config, out, by=alex, now=NOW)
    assert out.getvalue() == "" and exports() == []


class ClosedPipe(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_an_export_whose_reader_went_away_is_audited_as_stopped(db, config):
    with pytest.raises(BrokenPipeError):
        export_statistics(config, ClosedPipe(), now=NOW)
    assert exports() == [("cli", "statistics (csv), stopped: the output could not be written")]
