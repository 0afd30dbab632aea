"""Patterns across reports: the same place, the same person, the same category.

Reporters type places and names however they like, so matching works on
normalised keys and fuzzy comparison (rapidfuzz), in three steps, a module each:

1. ``normalise``: each mention reduced to comparable words (case, accents,
   punctuation, ordinals, filler words and titles folded away; a ``people``
   field split into the people it names).
2. ``spelling``: each distinct word corrected towards a commoner spelling
   ("libary" → "library").
3. ``places`` and ``people``: mentions grouped with their representatives.
   Categories need no matching; ``grouping`` groups them and runs the kinds
   asked for.

``columns`` holds the input (``ReportColumns``), the output (``PatternGroup``)
and the bookkeeping between them; ``service`` holds the entry points and the
one database read. ``find_patterns`` is ``read_columns`` then ``group_reports``;
a caller that prepares the columns itself calls the second alone.

Work is proportional to the distinct words and spellings, not to the square
of the reports, and the per-report work is done by C loops (``str`` methods
over all texts joined, dict lookups through ``map``, numpy index arrays):
``bench/patterns_bench.py`` measures it. The cyclic garbage collector is
left alone (it serves the whole process: every thread of the adviser app);
instead the work makes little for it to walk: numpy arrays, which it never
tracks, and tuples of strings, which it stops tracking once it has seen them,
rather than lists and small objects.
"""

from .columns import PatternGroup, ReportColumns
from .grouping import KINDS, MAX_THRESHOLD, check_threshold, group_reports
from .normalise import place_tokens, split_people
from .places import MENTION_CUTOFF
from .service import WINDOWS, active_pattern_count, find_patterns, location_groups_for, parse_window, read_columns
from .spelling import BUCKET_CAP, WORD_CUTOFF

__all__ = [
    "BUCKET_CAP",
    "KINDS",
    "MAX_THRESHOLD",
    "MENTION_CUTOFF",
    "WINDOWS",
    "WORD_CUTOFF",
    "PatternGroup",
    "ReportColumns",
    "active_pattern_count",
    "check_threshold",
    "find_patterns",
    "group_reports",
    "location_groups_for",
    "parse_window",
    "place_tokens",
    "read_columns",
    "split_people",
]
