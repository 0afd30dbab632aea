"""Step 3 for people: mentions of one person grouped together.

People are grouped by surname (the last word of a mention) and compatible
given names: an initial matches a name with that first letter ("Dr J.
Smith" ≈ "John Smith (Dr)"), a missing given name matches any ("Dr Smith").
Fuller names are placed first, so "Smith" joins "John Smith" rather than
founding a group, and the fullest name labels the group.
"""

import bisect
import itertools
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .columns import Gathered, IntArray, PatternGroup, ReportTable, most_common, variants
from .normalise import Words, people_mentions
from .spelling import Speller


def names_compatible(given_a: Words, given_b: Words) -> bool:
    """Whether two lists of given names can be one person's (an initial matches its name; none matches any)."""
    if not given_a or not given_b:
        return True
    a, b = given_a[0], given_b[0]
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


class PersonGrouper:
    """Groups names: each joins the first group (in order of founding) whose representative
    it is compatible with (``names_compatible``), or founds one.

    A name with given names is compatible only with representatives that have none or whose
    first given name starts with the same letter, so only those are looked at: a common
    surname has many groups, most of other given names.
    """

    def __init__(self) -> None:
        self.reps: list[tuple[str, Words]] = []  # (surname, given) of each group
        self.by_surname: defaultdict[str, list[int]] = defaultdict(list)
        self._unnamed: defaultdict[str, list[int]] = defaultdict(list)  # surname -> groups whose rep has no given name
        self._by_initial: defaultdict[tuple[str, str], list[int]] = defaultdict(list)  # (surname, initial) -> groups

    def assign(self, key: Words) -> int:
        """The group of ``key`` (a name's corrected words, the surname last)."""
        surname, given = key[-1], key[:-1]
        if not given:
            groups = self.by_surname.get(surname)
            if groups:
                return groups[0]  # compatible with any, and never fuller
        else:
            initial = (surname, given[0][0])
            for number in sorted(self._unnamed.get(surname, []) + self._by_initial.get(initial, [])):
                rep_given = self.reps[number][1]
                if names_compatible(given, rep_given):
                    if len(given) > len(rep_given) or (rep_given and len(given[0]) > len(rep_given[0])):
                        self.reps[number] = (surname, given)  # the fullest name represents the group
                        if not rep_given:
                            self._unnamed[surname].remove(number)
                            bisect.insort(self._by_initial[initial], number)
                    return number
        number = len(self.reps)
        self.reps.append((surname, given))
        self.by_surname[surname].append(number)
        (self._by_initial[surname, given[0][0]] if given else self._unnamed[surname]).append(number)
        return number


def person_groups(table: ReportTable, threshold: int, min_count: int = 1) -> list[PatternGroup]:
    """The groups of reports naming one person, in order of their first report."""
    texts, text_of_row, text_counts = _texts(table)
    mentions, text_of, mention_of = people_mentions(texts)
    weights = text_counts.astype(np.float64)[text_of]  # (float64 counts are exact far beyond any window)
    reports_of = np.bincount(mention_of, weights=weights, minlength=len(mentions)).astype(np.int64)
    corrected = _spelled(mentions, reports_of.tolist())
    grouper = PersonGrouper()
    group_of_mention = _assign(grouper, corrected, reports_of.tolist(), min_count)
    numbers, rows = _pairs(text_of_row, len(texts), text_of, group_of_mention[mention_of], len(grouper.reps))
    found = Gathered(table, numbers, rows, min_count)
    # The spellings of a group: its mentions, by reports (each time a text names it), first used first.
    spellings = variants(found, group_of_mention, reports_of, lambda i: " ".join(mentions[i]))
    groups = []
    for number in found.numbers:
        surname, given = grouper.reps[number]
        label = " ".join((*given, surname)).title()
        groups.append(found.group(number, "person", label, threshold, spellings[number]))
    return groups


def _texts(table: ReportTable) -> tuple[tuple[str, ...], IntArray, npt.NDArray[np.int64]]:
    """The distinct ``people`` fields given, in order of first use; each report's (-1: none); the reports of each."""
    values, counts, codes = table.distinct(table.columns.people)
    # A tuple and arrays rather than lists: once the cyclic collector has seen a tuple of strings
    # it walks it no more, and it never walks an array.
    named_at = np.flatnonzero(np.fromiter(map(bool, values), dtype=bool, count=len(values)))  # not None or ""
    text_of_value = np.full(len(values), -1, dtype=np.intp)
    text_of_value[named_at] = np.arange(len(named_at))
    return tuple(value for value in values if value), text_of_value[codes], counts[named_at]


def _spelled(mentions: Sequence[Words], reports_of: list[int]) -> tuple[Words, ...]:
    """Each mention with its words' spelling corrected, words learnt most reported first."""
    words: defaultdict[str, int] = defaultdict(int)  # in order of first use, as counting text by text would see them
    for mention, n in zip(mentions, reports_of):
        for word in mention:
            words[word] += n
    speller = Speller()
    speller.learn(most_common(words))
    return tuple(map(speller, mentions))


def _assign(grouper: PersonGrouper, corrected: Sequence[Words], reports_of: list[int], min_count: int) -> IntArray:
    """The group of each mention (-1: a name too rarely reported to make a group), fuller names first."""
    key_counts: defaultdict[Words, int] = defaultdict(int)
    for key, n in zip(corrected, reports_of):
        key_counts[key] += n
    # Fuller names first, so "Smith" joins "John Smith" rather than founding a group.
    surnames: defaultdict[str, int] = defaultdict(int)
    for key, n in key_counts.items():
        surnames[key[-1]] += n
    # A name whose surname no other mention shares can only be a group of its own reports.
    order = sorted(
        ((key, n) for key, n in key_counts.items() if n >= min_count or surnames[key[-1]] != n),
        key=lambda kv: (-len(kv[0]), -(len(kv[0][0]) if len(kv[0]) > 1 else 0), -kv[1], kv[0]),
    )
    group_of = {key: grouper.assign(key) for key, _n in order}
    return np.fromiter(map(group_of.get, corrected, itertools.repeat(-1)), dtype=np.intp, count=len(corrected))


def _pairs(
    text_of_row: IntArray, text_count: int, text_of: IntArray, named: IntArray, group_count: int
) -> tuple[IntArray, IntArray]:
    """(groups, rows): a report is in each group its text names (``named[i]`` for a mention of text
    ``text_of[i]``), once however often it names the person, in the order it names them; rows ascend.

    ``text_of_row``: each report's text (-1: none).
    """
    # Per distinct text, the groups it names, each once.
    text_of, named = text_of[named >= 0], named[named >= 0]
    _unique, first = np.unique(text_of * (group_count + 1) + named, return_index=True)
    first.sort()
    text_of, named = text_of[first], named[first]
    # One (report, group) pair per group its text names, in row order.
    rows = np.flatnonzero(text_of_row >= 0)
    named_count = np.bincount(text_of, minlength=text_count)
    per_row = named_count[text_of_row[rows]]
    firsts = np.repeat((np.cumsum(named_count) - named_count)[text_of_row[rows]], per_row)
    within = np.arange(len(firsts)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return named[firsts + within], np.repeat(rows, per_row)
