"""What grouping reads and what it makes: reports as columns, groups of them.

``ReportColumns`` is the input: plain values, one per report, so that the
caller decides how they are read (the database read is
``service.read_columns``). ``PatternGroup`` is the output. In between, the
work is on distinct values by number (``numbered``) and on numpy index
arrays (``Gathered``): a Python loop making a member tuple per report and
group was a third of the time at 100,000 reports.
"""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]
Timestamp = dt.datetime | str  # a datetime, or its ISO 8601 text as SQLite returns it
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
# A column: any sequence, or a numpy object array (best: the cyclic collector never walks one).
Column = Sequence[T] | npt.NDArray[np.object_]


@dataclass(frozen=True)
class ReportColumns:
    """The reports to group, as columns: the n-th entry of each belongs to the n-th report.

    The reports must be in order of creation (``created_at``, then id): a
    group's first and last reports give its dates. ``created_at`` holds
    datetimes or their ISO 8601 text (only the ends of each group are read).
    A location or people field may be None or "" (not given). Any sequences
    will do; numpy object arrays cost least, as the cyclic collector never
    walks them (``service.read_columns`` makes those).
    """

    ids: Column[int]
    references: Column[str]
    created_at: Column[Timestamp]
    categories: Column[str]
    locations: Column[str | None]
    people: Column[str | None]

    def __post_init__(self) -> None:
        lengths = {
            len(self.ids),
            len(self.references),
            len(self.created_at),
            len(self.categories),
            len(self.locations),
            len(self.people),
        }
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

    def distinct(self, column: Iterable[K]) -> tuple[tuple[K, ...], npt.NDArray[np.int64], IntArray]:
        """The distinct values of ``column`` in order of first use, how many reports have each,
        and each report's value as its position among them."""
        position, codes = numbered(column)
        return tuple(position), np.bincount(codes, minlength=len(position)), codes


def _objects(values: Column[Any]) -> npt.NDArray[np.object_]:
    if isinstance(values, np.ndarray) and values.dtype == object:
        return values
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


class Gathered:
    """The reports of each group, for the groups of at least ``min_count`` reports.

    Report ``rows[i]`` is in group ``numbers[i]`` (-1: in none); ``rows`` ascend,
    and a report is in a group at most once. ``numbers`` lists the groups kept in
    order of their first report, as appending report by report would have made
    them, and ``group`` makes each one's ``PatternGroup``, its reports in row order.
    Nothing here is a small container per group (a span is a tuple of ints): the
    cyclic collector has nothing to walk but the groups made.
    """

    def __init__(self, table: ReportTable, numbers: IntArray, rows: IntArray, min_count: int) -> None:
        keep = numbers >= 0
        numbers, rows = numbers[keep], rows[keep]
        if min_count > 1 and len(numbers):
            big = np.bincount(numbers)[numbers] >= min_count
            numbers, rows = numbers[big], rows[big]
        # Stable: each group's reports stay in row order. Numbers that fit 16 bits sort by radix, ten times faster.
        order = np.argsort(
            numbers.astype(np.uint16) if len(numbers) and numbers.max() < 2**16 else numbers, kind="stable"
        )
        numbers, rows = numbers[order], rows[order]
        starts = np.flatnonzero(np.diff(numbers, prepend=-1))
        ends = np.append(starts[1:], len(numbers))
        first_seen = np.argsort(order[starts], kind="stable")
        starts, ends = starts[first_seen], ends[first_seen]
        self.numbers: list[int] = numbers[starts].tolist()
        # number -> (start, end, first row, last row): its reports are ids[start:end].
        self._spans = dict(
            zip(self.numbers, zip(starts.tolist(), ends.tolist(), rows[starts].tolist(), rows[ends - 1].tolist()))
        )
        self._ids, self._references = table.ids[rows], table.references[rows]
        self._created = table.columns.created_at

    def group(
        self, number: int, kind: str, label: str, threshold: int, variants: list[str] | None = None
    ) -> PatternGroup:
        start, end, first, last = self._spans[number]
        return PatternGroup(
            kind=kind,
            label=label,
            count=end - start,
            first_at=_when(self._created[first]),
            last_at=_when(self._created[last]),
            report_ids=self._ids[start:end].tolist(),
            references=self._references[start:end].tolist(),
            is_pattern=end - start >= threshold,
            variants=[] if variants is None else variants,
        )


def variants(
    found: Gathered, groups: IntArray, counts: npt.NDArray[np.int64], spell: Callable[[int], str]
) -> dict[int, list[str]]:
    """The spellings of each group found, by count, highest first, ties in their order here (first use).

    Spelling ``i`` (``spell(i)``) belongs to group ``groups[i]`` (-1: none) and was used ``counts[i]`` times.
    """
    wanted = np.zeros(max(int(groups.max(initial=-1)), max(found.numbers, default=-1)) + 2, dtype=bool)
    wanted[found.numbers] = True  # (the last one, never set, stands for -1)
    at = np.flatnonzero(wanted[groups])
    groups, counts = groups[at], counts[at]
    order = np.lexsort((-counts, groups))  # by group, then count; a stable sort, so ties keep their order
    spelled = [spell(i) for i in at[order].tolist()]
    groups = groups[order]
    starts = np.flatnonzero(np.diff(groups, prepend=-1))
    ends = np.append(starts[1:], len(groups))
    return {
        number: spelled[start:end]
        for number, start, end in zip(groups[starts].tolist(), starts.tolist(), ends.tolist())
    }


def _when(value: Timestamp) -> dt.datetime:
    """A timestamp as given: PostgreSQL gives datetimes, SQLite ISO text."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
