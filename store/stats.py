"""Statistics for committees: aggregates only, small numbers suppressed.

Every count below ``MIN_CELL`` (5) is shown as "<5", zero included, so a
reader cannot tell "none" from "one". Suppressing small cells is not enough
when the total is printed: total minus the visible cells would give the
hidden ones back. So in each table, while the hidden cells together hold
between 1 and 4 reports, the smallest visible cell is hidden too
(secondary suppression); subtraction then only yields a sum of at least 5
spread over several cells. A table whose total is under 5 is hidden whole.

Shares and medians are shown only when they rest on at least 5 cases.
Locations are grouped as on the patterns screen, so spellings of one place
count together; only known locations and places named by at least 5 reports
are listed by name (a place typed by one reporter may identify them).
"""

import csv
import datetime as dt
import io
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field

from .access import require_admin
from .config import ROLES
from .deadlines import calendar_for, local_date, today
from .models import Report
from .patterns import location_groups_for

MIN_CELL = 5
SUPPRESSED = "<5"
NOT_GIVEN = "Not given"
OTHER_PLACES = "Other places"


@dataclass
class Table:
    title: str
    rows: list  # (label, count or "<5")
    total: object  # int or "<5"


@dataclass
class Statistics:
    since: dt.date | None
    until: dt.date | None
    tables: list = field(default_factory=list)
    figures: list = field(default_factory=list)  # (label, text)


def suppress(counts):
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


def _table(title, counts):
    rows, total = suppress(list(counts))
    return Table(title, rows, total)


def compute_statistics(config, since=None, until=None, adviser=None, now=None):
    """Aggregates over reports received from ``since`` up to and including ``until`` (local dates)."""
    require_admin(adviser, "see statistics")
    fields = (Report.id, Report.created_at, Report.category, Report.role, Report.location, Report.way,
              Report.two_way, Report.first_response_at, Report.due_on)
    rows = []
    for row in Report.select(*fields).order_by(Report.id).tuples():
        day = local_date(row[1], config.timezone)
        if (since is None or day >= since) and (until is None or day <= until):
            rows.append((day, *row))
    result = Statistics(since, until)

    months = Counter(day.strftime("%Y-%m") for day, *_r in rows)
    if rows:
        first, last = min(months), max(months)
        month, labels = first, []
        while month <= last:  # every month in range, so empty months are not conspicuous by absence
            labels.append(month)
            year, mon = int(month[:4]), int(month[5:])
            month = f"{year + mon // 12}-{mon % 12 + 1:02d}"
        result.tables.append(_table("Reports by month", [(m, months[m]) for m in labels]))

    categories = Counter(r[3] for r in rows)
    names = list(config.categories) + sorted(set(categories) - set(config.categories))
    # Counted by key (so reports in every language count together), shown by English label.
    result.tables.append(_table("By category", [(config.category_label(c), categories[c]) for c in names]))

    roles = Counter(r[4] for r in rows)
    result.tables.append(_table("By role", [(label, roles[key]) for key, label in ROLES.items()]))

    labels = location_groups_for([(r[1], r[5]) for r in rows if r[5]], config)
    places = Counter(labels.get(r[1], NOT_GIVEN) for r in rows)
    # A place typed by fewer than 5 reporters is their own words and may say
    # who they are ("my flat, 12 …"): only known places and places named by
    # at least 5 reports are listed by name; the rest are counted together.
    named = {p for p, n in places.items() if n >= MIN_CELL or p in config.locations} - {NOT_GIVEN}
    counts = Counter()
    for place, n in places.items():
        counts[place if place in named or place == NOT_GIVEN else OTHER_PLACES] += n
    order = sorted(named, key=lambda p: (-counts[p], p)) + list(config.locations)
    order = list(dict.fromkeys(order)) + [OTHER_PLACES, NOT_GIVEN]
    result.tables.append(_table("By location", [(p, counts[p]) for p in order]))

    ways = Counter(r[6] for r in rows)
    result.tables.append(_table("By way of reporting", [("Anonymous", ways["anonymous"]), ("Named", ways["named"])]))
    two_way = Counter(bool(r[7]) for r in rows)
    result.tables.append(_table("Two-way messaging", [("Chosen", two_way[True]), ("Not chosen", two_way[False])]))

    result.figures = _response_figures(rows, config, now)
    return result


def _response_figures(rows, config, now):
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
            eligible += 1  # overdue and still unanswered: outside the target
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


def to_text(result):
    lines = []
    period = f"{result.since or 'the first report'} to {result.until or 'today'}"
    lines.append(f"Tellus statistics, {period}. Counts under {MIN_CELL} are shown as {SUPPRESSED}.")
    lines.append("")
    width = max([len(label) for _t in result.tables for label, _v in _t.rows] + [len(l) for l, _v in result.figures] + [10])
    for label, text in result.figures:
        lines.append(f"{label:<{width}}  {text}")
    for table in result.tables:
        lines += ["", table.title, "-" * len(table.title)]
        for label, value in table.rows:
            lines.append(f"{label:<{width}}  {value:>6}")
        lines.append(f"{'Total':<{width}}  {table.total:>6}")
    return "\n".join(lines) + "\n"


def to_csv(result):
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


def _safe(text):
    """Location labels are reporter text: keep spreadsheets from reading them as formulas."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
