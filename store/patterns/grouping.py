"""Grouping reports that are already in memory: every kind, filtered and in the order advisers see.

``group_reports`` touches no database and holds no lock: it takes plain
columns, however they were read (``service.read_columns`` reads them), so a
caller may prepare them first (in a worker thread, say).
"""

from collections.abc import Iterable

import numpy as np

from ..config import Config
from ..errors import ValidationError
from .columns import Gathered, PatternGroup, ReportColumns, ReportTable
from .people import person_groups
from .places import location_groups

KINDS = ("location", "person", "category")
MAX_THRESHOLD = 1000


def check_threshold(threshold: object) -> int:
    """The threshold if it is a whole number from 2 to ``MAX_THRESHOLD``; raises ValidationError otherwise."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 2 <= threshold <= MAX_THRESHOLD:
        raise ValidationError({"threshold": f"The pattern threshold must be a whole number from 2 to {MAX_THRESHOLD}."})
    return threshold


def check_kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    """The kinds if each is one of ``KINDS``; raises ValidationError otherwise."""
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        first = sorted(unknown)[0]
        raise ValidationError({"kind": f"Unknown pattern kind {first!r}; use location, person or category."})
    return kinds


def group_reports(
    columns: ReportColumns, config: Config, threshold: int, kinds: Iterable[str] = KINDS, min_count: int = 1
) -> list[PatternGroup]:
    """Groups of the given reports naming the same place, person or category.

    Groups of fewer than ``min_count`` reports are left out. A group reaching
    ``threshold`` reports is a pattern. Patterns come first, then by size and
    most recent report.
    """
    threshold = check_threshold(threshold)
    kinds = check_kinds(kinds)
    table = ReportTable(columns)
    groups = []
    if "location" in kinds:
        groups += location_groups(table, config, threshold, min_count)
    if "person" in kinds:
        groups += person_groups(table, threshold, min_count)
    if "category" in kinds:
        groups += category_groups(table, config, threshold, min_count)
    groups.sort(key=lambda g: (not g.is_pattern, -g.count, -g.last_at.timestamp(), g.kind, g.label))
    return groups


def category_groups(table: ReportTable, config: Config, threshold: int, min_count: int = 1) -> list[PatternGroup]:
    """The groups of reports of one category (its key: every language together), labelled in English,
    in order of their first report."""
    keys, _counts, codes = table.distinct(table.columns.categories)
    found = Gathered(table, codes, np.arange(table.count), min_count)
    return [
        found.group(number, "category", str(config.category_label(keys[number])), threshold) for number in found.numbers
    ]
