"""Statistics for committees: aggregates only, small numbers suppressed.

Every count below ``MIN_CELL`` (5) is shown as "<5", zero included, so a
reader cannot tell "none" from "one". Suppressing small cells is not enough
when the total is printed: total minus the visible cells would give the
hidden ones back. So in each table, while the hidden cells together hold
between 1 and 4 reports, the smallest visible cell is hidden too
(secondary suppression); subtraction then only yields a sum of at least 5
spread over several cells. A table whose total is under 5 is hidden whole.

Shares and medians are shown only when they rest on at least 5 cases.
Locations are counted by the configured place each one matched when the
report came in (spellings and languages tolerated, as on the patterns
screen); the words a reporter typed are sealed, so any other place is
counted under "Other places" — statistics need no keys.
"""

import csv
import datetime as dt
import io
import statistics as pystats
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from . import audit
from .access import require_admin
from .clock import local_date
from .config import ROLES, Config
from .db import tuples
from .deadlines import calendar_for, today
from .models import Adviser, Report, database

MIN_CELL = 5
SUPPRESSED = "<5"
NOT_GIVEN = "Not given"
OTHER_PLACES = "Other places"

Cell = int | str  # a count, or SUPPRESSED


@dataclass
class Table:
    title: str
    rows: list[tuple[str, Cell]]
    total: Cell


@dataclass
class Statistics:
    since: dt.date | None
    until: dt.date | None
    tables: list[Table] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, text)


def suppress(counts: Sequence[tuple[str, int]]) -> tuple[list[tuple[str, Cell]], Cell]:
    """[(label, n)] → [(label, n or "<5")] with primary and secondary suppression."""
    total = sum(n for _l, n in counts)
    if total < MIN_CELL:
        return [(label, SUPPRESSED) for label, _n in counts], SUPPRESSED
    hidden = {i for i, (_l, n) in enumerate(counts) if n < MIN_CELL}
    while 0 < sum(counts[i][1] for i in hidden) < MIN_CELL:
        visible = [i for i in range(len(counts)) if i not in hidden]
        if not visible:
            break
        hidden.add(min(visible, key=lambda i: (counts[i][1], i)))
    return [(label, SUPPRESSED if i in hidden else n) for i, (label, n) in enumerate(counts)], total


def _table(title: str, counts: Iterable[tuple[str, int]]) -> Table:
    rows, total = suppress(list(counts))
    return Table(title, rows, total)


def compute_statistics(
    config: Config,
    since: dt.date | None = None,
    until: dt.date | None = None,
    adviser: Adviser | None = None,
    now: dt.datetime | None = None,
) -> Statistics:
    """Aggregates over reports received from ``since`` up to and including ``until`` (local dates)."""
    require_admin(adviser, "see statistics")
    fields = (
        Report.id,
        Report.created_at,
        Report.category,
        Report.role,
        Report.place,
        Report.way,
        Report.two_way,
        Report.first_response_at,
        Report.due_on,
    )
    rows: list[tuple[Any, ...]] = []
    for row in tuples(Report.select(*fields).order_by(Report.id)):
        day = local_date(row[1], config.timezone)
        if (since is None or day >= since) and (until is None or day <= until):
            rows.append((day, *row))
    result = Statistics(since, until)

    months = Counter(day.strftime("%Y-%m") for day, *_r in rows)
    if rows:
        first, last = min(months), max(months)
        month, in_range = first, []
        while month <= last:  # every month in range, so empty months are not conspicuous by absence
            in_range.append(month)
            year, mon = int(month[:4]), int(month[5:])
            month = f"{year + mon // 12}-{mon % 12 + 1:02d}"
        result.tables.append(_table("Reports by month", [(m, months[m]) for m in in_range]))

    categories = Counter(r[3] for r in rows)
    names = list(config.categories) + sorted(set(categories) - set(config.categories))
    # Counted by key (so reports in every language count together), shown by English label.
    result.tables.append(_table("By category", [(config.category_label(c), categories[c]) for c in names]))

    roles = Counter(r[4] for r in rows)
    result.tables.append(_table("By role", [(label, roles[key]) for key, label in ROLES.items()]))

    # Places are the reporters' own words and sealed; statistics need no keys, so they count the
    # configured place each location matched when it was received (Report.place), and the rest together.
    counts: Counter[str] = Counter(
        NOT_GIVEN if not r[5] else r[5] if r[5] in config.locations else OTHER_PLACES for r in rows
    )
    named = {p for p in counts if p in config.locations}
    order = sorted(named, key=lambda p: (-counts[p], p)) + list(config.locations)
    order = list(dict.fromkeys(order)) + [OTHER_PLACES, NOT_GIVEN]
    result.tables.append(_table("By location", [(p, counts[p]) for p in order]))

    ways = Counter(r[6] for r in rows)
    result.tables.append(_table("By way of reporting", [("Anonymous", ways["anonymous"]), ("Named", ways["named"])]))
    two_way = Counter(bool(r[7]) for r in rows)
    result.tables.append(_table("Two-way messaging", [("Chosen", two_way[True]), ("Not chosen", two_way[False])]))

    result.figures = _response_figures(rows, config, now)
    return result


def _response_figures(rows: list[tuple[Any, ...]], config: Config, now: dt.datetime | None) -> list[tuple[str, str]]:
    calendar = calendar_for(config)
    today_ = today(config, now)
    within = eligible = 0
    days_taken = []
    for day, _id, _created, _c, _r, _l, _w, _t, responded, due in rows:
        if responded is not None:
            answered_on = local_date(responded, config.timezone)
            eligible += 1
            within += answered_on <= due
            days_taken.append(calendar.working_days_between(day, answered_on))
        elif due < today_:
            eligible += 1  # past its due date with no response (closed or not): outside the target
    target = f"{config.response_working_days} working days"
    figures = [("Reports", str(len(rows)) if len(rows) >= MIN_CELL else SUPPRESSED)]
    if eligible >= MIN_CELL:
        figures.append((f"First responses within {target}", f"{round(100 * within / eligible)}% of {eligible}"))
    else:
        figures.append((f"First responses within {target}", f"not shown (fewer than {MIN_CELL} cases)"))
    if len(days_taken) >= MIN_CELL:
        median = pystats.median(days_taken)
        figures.append(("Median time to first response", f"{median:g} working days"))
    else:
        figures.append(("Median time to first response", f"not shown (fewer than {MIN_CELL} cases)"))
    return figures


def to_csv(result: Statistics) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "label", "value"])
    for label, text in result.figures:
        writer.writerow(["Summary", label, text])
    for table in result.tables:
        for label, value in table.rows:
            writer.writerow([table.title, _safe(label), value])
        writer.writerow([table.title, "Total", table.total])
    return out.getvalue()


def export_statistics(
    config: Config,
    out: TextIO,
    render: Callable[[Statistics], str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    by: Adviser | None = None,
    now: dt.datetime | None = None,
) -> Statistics:
    """Compute the statistics, write them to the text stream ``out`` and audit the export; returns them.

    Written as CSV (the export format) unless ``render`` turns them into the
    caller's own text (the command line's tables). ``by`` is the admin; None
    is the command line. An export that could not be written (its reader went
    away, the disk is full) is audited as stopped, and the error raised.
    """
    result = compute_statistics(config, since, until, adviser=by, now=now)
    detail = "statistics" if render is not None else "statistics (csv)"
    try:
        out.write(render(result) if render is not None else to_csv(result))
        out.flush()  # so a closed pipe or a full disk is noticed here, before the audit entry
    except OSError:
        _record_export(by, f"{detail}, stopped: the output could not be written")
        raise
    _record_export(by, detail)
    return result


def _record_export(by: Adviser | None, detail: str) -> None:
    with database.atomic():
        audit.record("export", by, detail=detail, adviser_name=None if by else "cli")


def _safe(text: object) -> str:
    """Location labels are reporter text: keep spreadsheets from reading them as formulas."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
