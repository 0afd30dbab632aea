"""What grouping reads and what it makes: reports as columns, groups of them.

``ReportColumns`` is the input: plain values, one per report, so that the
caller decides how they are read (the database read is
``service.read_columns``). ``PatternGroup`` is the output. In between, the
work is on distinct values by number (``numbered``) and on numpy index
arrays (``gather``): a Python loop making a member tuple per report and
group was a third of the time at 100,000 reports.
"""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]
Timestamp = dt.datetime | str  # a datetime, or its ISO 8601 text as SQLite returns it
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ReportColumns:
    """The reports to group, as columns: the n-th entry of each belongs to the n-th report.

    The reports must be in order of creation (``created_at``, then id): a
    group's first and last reports give its dates. ``created_at`` holds
    datetimes or their ISO 8601 text (only the ends of each group are read).
    A location or people field may be None or "" (not given).
    """

    ids: Sequence[int]
    references: Sequence[str]
    created_at: Sequence[Timestamp]
    categories: Sequence[str]
    locations: Sequence[str | None]
    people: Sequence[str | None]

    def __post_init__(self) -> None:
        lengths = {len(self.ids), len(self.references), len(self.created_at), len(self.categories),
                   len(self.locations), len(self.people)}
        if len(lengths) > 1:
            raise ValueError("The report columns must all have one entry per report.")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class PatternGroup:
    kind: str  # location | person | category
    label: str
    count: int  # reports in the group
    first_at: dt.datetime
    last_at: dt.datetime
    report_ids: list[int]
    references: list[str]
    is_pattern: bool
    variants: list[str] = field(default_factory=list)  # distinct spellings, most common first


class ReportTable:
    """``ReportColumns`` made ready for gathering groups: ids and references as numpy object arrays,
    so that a group's are taken with one index array (the groups list the very objects given)."""

    def __init__(self, columns: ReportColumns) -> None:
        self.columns = columns
        self.count = len(columns)
        self.ids = _objects(columns.ids)
        self.references = _objects(columns.references)

    def distinct(self, column: Iterable[K]) -> tuple[list[K], npt.NDArray[np.int64], IntArray]:
        """The distinct values of ``column`` in order of first use, how many reports have each,
        and each report's value as its position among them."""
        position, codes = numbered(column)
        return list(position), np.bincount(codes, minlength=len(position)), codes


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def numbered(items: Iterable[K]) -> tuple[dict[K, int], IntArray]:
    """Number distinct items in order of first use: ({item: number}, each item's number).

    One pass of C calls (a new item gets the next number from the defaultdict's factory); the
    numbers then stand for the items in numpy arrays, and a tuple is not hashed again.
    """
    number: defaultdict[K, int] = defaultdict(itertools.count().__next__)
    return number, np.fromiter(map(number.__getitem__, items), dtype=np.intp)


def most_common(counts: Mapping[K, int]) -> list[K]:
    """Keys by count, highest first, ties in insertion order: ``Counter.most_common()`` for a plain dict."""
    keys = list(counts)
    order = np.argsort(-np.fromiter(counts.values(), dtype=np.int64, count=len(keys)), kind="stable")
    return [keys[i] for i in order.tolist()]


@dataclass
class Members:
    """The reports of one group, in row order."""

    report_ids: list[int]
    references: list[str]
    first: Timestamp
    last: Timestamp


def gather(table: ReportTable, numbers: IntArray, rows: IntArray, min_count: int) -> dict[int, Members]:
    """The reports of each group: report ``rows[i]`` is in group ``numbers[i]`` (-1: in none).

    ``rows`` ascend, and a report is in a group at most once. Returns {number: Members}
    for the groups of at least ``min_count`` reports, each in row order, the groups in
    order of their first report, as appending report by report would have made them.
    """
    keep = numbers >= 0
    numbers, rows = numbers[keep], rows[keep]
    if min_count > 1 and len(numbers):
        big = np.bincount(numbers)[numbers] >= min_count
        numbers, rows = numbers[big], rows[big]
    # Stable: each group's reports stay in row order. Numbers that fit 16 bits sort by radix, ten times faster.
    order = np.argsort(numbers.astype(np.uint16) if len(numbers) and numbers.max() < 2**16 else numbers, kind="stable")
    numbers, rows = numbers[order], rows[order]
    starts = np.flatnonzero(np.diff(numbers, prepend=-1))
    ends = np.append(starts[1:], len(numbers))
    first_seen = np.argsort(order[starts], kind="stable")
    ids, references = table.ids[rows].tolist(), table.references[rows].tolist()
    row_list, number_list = rows.tolist(), numbers.tolist()
    created = table.columns.created_at
    members = {}
    for start, end in zip(starts[first_seen].tolist(), ends[first_seen].tolist()):
        members[number_list[start]] = Members(ids[start:end], references[start:end], created[row_list[start]],
                                              created[row_list[end - 1]])
    return members


def make_group(kind: str, label: str, members: Members, threshold: int, variants: Iterable[str] = ()) -> PatternGroup:
    return PatternGroup(
        kind=kind,
        label=label,
        count=len(members.report_ids),
        first_at=_when(members.first),
        last_at=_when(members.last),
        report_ids=members.report_ids,
        references=members.references,
        is_pattern=len(members.report_ids) >= threshold,
        variants=list(variants),
    )


def _when(value: Timestamp) -> dt.datetime:
    """A timestamp as given: PostgreSQL gives datetimes, SQLite ISO text."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
