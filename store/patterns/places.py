"""Step 3 for places: mentions of one place grouped together.

Each place key (a text's corrected words, sorted and distinct) is compared
with group representatives (most frequent spelling first), only those that
share a word (an inverted index), scored with ``fuzz.token_set_ratio`` so
extra words do not matter ("library" ≈ "library 2 floor"). Distinguishing
tokens — numbers and single letters — must agree when both sides have them
("room 101" ≠ "room 110", "block a" ≠ "block b"), and generic words alone
("building", "floor") never make a match. Known locations (the
configuration's) are representatives from the start and win ties: their
names are the labels.
"""

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from ..config import Config
from .columns import Gathered, IntArray, PatternGroup, ReportTable, most_common, numbered, variants
from .normalise import GENERIC_PLACE_WORDS, Words, has_digit, place_tokens, place_tokens_of
from .spelling import Speller

# Score (0–100) for two mentions to count as one place.
MENTION_CUTOFF = 88


def _distinguishing(key: Words) -> Words:
    """The numbers and single letters of a key, in its order: two sorted keys' agree when these are equal.

    (A tuple rather than a set: tuples of strings drop out of the cyclic collector's sight once it has
    seen them; a set per key stayed in it.)
    """
    return tuple(t for t in key if len(t) == 1 or has_digit(t))


def place_match(a: Words, b: Words) -> float:
    """Whether two corrected place keys (sorted tuples of distinct words) name one place; the score or 0."""
    shared = set(a) & set(b)
    da, db = _distinguishing(a), _distinguishing(b)
    if not shared or shared <= GENERIC_PLACE_WORDS.union(da):
        return 0  # generic words, numbers and letters alone are not a place
    if da and db and da != db:
        return 0
    score = fuzz.token_set_ratio(" ".join(a), " ".join(b))
    return score if score >= MENTION_CUTOFF else 0


class PlaceGrouper:
    """Groups place keys: each joins the best-scoring representative it may match, or founds a group.

    The rule is ``place_match``'s. Its word tests need no scoring: a
    representative passes them exactly when it shares a word that is neither
    generic nor one of the key's distinguishing tokens (the index is looked up
    by those words only) and its distinguishing tokens agree. Only those few
    are scored, in one ``process.extract`` call; most keys have none.
    """

    def __init__(self, known: Iterable[tuple[str, Words]] = ()) -> None:
        self.reps: list[tuple[Words, str | None, bool]] = []  # (key, label or None, known?) per group
        self._texts: list[str] = []  # per rep: its words joined, as scored
        self._marks: list[Words] = []  # per rep: its distinguishing tokens
        self._exact: dict[Words, int] = {}  # key -> the first representative with that very key
        self.index: defaultdict[str, list[int]] = defaultdict(list)  # word -> rep numbers
        for name, key in known:
            self._new(key, name, True)

    def _new(self, key: Words, label: str | None, known: bool = False) -> int:
        number = len(self.reps)
        self.reps.append((key, label, known))
        self._texts.append(" ".join(key))
        self._marks.append(_distinguishing(key))
        self._exact.setdefault(key, number)
        for word in key:
            if word not in GENERIC_PLACE_WORDS:
                self.index[word].append(number)
        return number

    def assign(self, key: Words) -> int:
        """The group of ``key`` (a sorted tuple of distinct corrected words)."""
        if key in self._exact and not GENERIC_PLACE_WORDS.issuperset(key):
            # The representative with this very key scores above any other (101, as if
            # over 100) — if it is compared at all: it must share a word that is not generic.
            return self._exact[key]
        mine = _distinguishing(key)
        candidates: set[int] = set()
        for word in key:
            if word not in GENERIC_PLACE_WORDS and word not in mine:
                candidates.update(self.index.get(word, ()))
        numbers = sorted(candidates)  # in order of founding: the first of equal scores wins
        if mine:
            marks = self._marks
            numbers = [n for n in numbers if not marks[n] or marks[n] == mine]
        if not numbers:
            return self._new(key, None)
        texts = self._texts
        hits = process.extract(
            " ".join(key),
            [texts[n] for n in numbers],
            scorer=fuzz.token_set_ratio,
            score_cutoff=MENTION_CUTOFF,
            limit=None,
        )
        best, best_score = None, 0.0
        for _text, score, position in sorted(hits, key=itemgetter(2)):
            number = numbers[position]
            # Known locations win ties: they are the canonical names.
            score += 0.5 if self.reps[number][2] else 0
            if score > best_score:
                best, best_score = number, score
        return best if best is not None else self._new(key, None)


class KnownPlaces:
    """The configured places made ready to name the place of one location at a time (``place_of``).

    What ``location_groups`` works out from the configuration alone — the places' keys, the speller
    that has learnt their words — made once per configuration rather than for every report submitted
    (it was most of the millisecond ``reports.known_place`` took). A location that repeats a word of
    a configured name changes the order the speller learns those words in, so a speller is kept for
    each such set of configured words too. Nothing a reporter wrote is kept.
    """

    _KEPT = 256  # spellers kept for locations repeating configured words

    def __init__(self, locations: Iterable[str], names: Iterable[tuple[str, str]]) -> None:
        """``locations``: the configured places; ``names``: (another language's name, its place)."""
        self.known = [(place, place_tokens(place)) for place in locations] + [
            (place, place_tokens(name)) for name, place in names
        ]
        self.counts: defaultdict[str, int] = defaultdict(int)  # as _speller counts them, in the same order
        for _place, key in self.known:
            for word in key:
                self.counts[word] += 10**9
        self._spellers: dict[tuple[tuple[str, int], ...], tuple[Speller, list[tuple[str, Words]]]] = {}
        self._prepared(())

    def _prepared(self, repeated: tuple[tuple[str, int], ...]) -> tuple[Speller, list[tuple[str, Words]]]:
        """The speller that has learnt the places' words, each counted once more per ``repeated`` use, and the
        places' keys it spells."""
        ready = self._spellers.get(repeated)
        if ready is None:
            counts = dict(self.counts)
            for word, n in repeated:
                counts[word] += n
            speller = Speller()
            speller.learn(most_common(counts))
            keys = [(place, tuple(sorted(set(speller(key))))) for place, key in self.known if key]
            if len(self._spellers) >= self._KEPT:
                self._spellers.clear()
            ready = self._spellers[repeated] = (speller, keys)
        return ready

    def place_of(self, location: str) -> str:
        """The label ``location_groups`` gives the group of this one location: a configured place's name,
        the location's own text (stripped), or "" (none: no place words)."""
        text = location.strip()
        if not text:
            return ""
        (tokens,) = place_tokens_of([text])
        if not tokens:
            return ""
        counts: defaultdict[str, int] = defaultdict(int)  # the location's words, in order of first use
        for word in tokens:
            counts[word] += 1
        repeated = tuple(sorted((word, n) for word, n in counts.items() if word in self.counts))
        known_speller, known_keys = self._prepared(repeated)
        speller = known_speller.copy()
        speller.learn(most_common({word: n for word, n in counts.items() if word not in self.counts}))
        grouper = PlaceGrouper(known_keys)
        _key, label, known = grouper.reps[grouper.assign(tuple(sorted(set(speller(tokens)))))]
        return label if known and label else text


@functools.lru_cache(maxsize=8)
def _known_places(locations: tuple[str, ...], names: tuple[tuple[str, str], ...]) -> KnownPlaces:
    return KnownPlaces(locations, names)


def known_places(config: Config) -> KnownPlaces:
    """The configuration's KnownPlaces, made on first use and kept for the next reports."""
    return _known_places(tuple(config.locations), tuple(config.location_names().items()))


def location_groups(table: ReportTable, config: Config, threshold: int, min_count: int = 1) -> list[PatternGroup]:
    """The groups of reports naming one place, in order of their first report."""
    # Work on distinct texts, then on their distinct word tuples and keys, by number: reports
    # repeat the same few spellings a lot.
    texts, text_of_row, text_counts = _texts(table)
    # A known location's names in the site's other languages are representatives too, labelled
    # with its English name: a report naming it in Welsh joins those naming it in English.
    names = [(name, name) for name in config.locations] + list(config.location_names().items())
    known = [(place, place_tokens(name)) for name, place in names]
    keys, key_of_text, key_counts, known_keys = _keys(texts, text_counts, known)
    grouper = PlaceGrouper(known_keys)
    number_of_key = _assign(grouper, keys, key_counts, min_count)
    number_of_text = _one_per_place(grouper)[number_of_key][key_of_text]
    number_of_row = np.append(number_of_text, -1)[text_of_row]  # (a report with no text, -1, picks that -1)
    found = Gathered(table, number_of_row, np.arange(table.count), min_count)
    spellings = variants(found, number_of_text, text_counts, texts.__getitem__)
    groups = []
    for number in found.numbers:
        _key, label, _known = grouper.reps[number]
        groups.append(found.group(number, "location", label or spellings[number][0], threshold, spellings[number]))
    return groups


def _one_per_place(grouper: PlaceGrouper) -> IntArray:
    """Each group's number, with the groups of one known place's names (its languages) turned into the first
    one's; indexable by -1 (no group), which stays -1."""
    first: dict[str, int] = {}
    numbers = [
        first.setdefault(label, number) if known and label else number
        for number, (_key, label, known) in enumerate(grouper.reps)
    ]
    return np.array(numbers + [-1], dtype=np.intp)


def _texts(table: ReportTable) -> tuple[tuple[str, ...], IntArray, npt.NDArray[np.int64]]:
    """The distinct place texts, stripped, in order of first use; each report's (-1: none); the reports of each."""
    values, counts, codes = table.distinct(table.columns.locations)
    # Tuples rather than lists here: once the cyclic collector has seen a tuple of strings it walks it no more.
    stripped = tuple(value.strip() if value else "" for value in values)
    texts = tuple(dict.fromkeys(text for text in stripped if text))
    text_of_value = np.fromiter(
        map({text: i for i, text in enumerate(texts)}.get, stripped, itertools.repeat(-1)),
        dtype=np.intp,
        count=len(stripped),
    )
    has_text = text_of_value >= 0
    text_counts = np.bincount(text_of_value[has_text], weights=counts[has_text], minlength=len(texts))
    return texts, text_of_value[codes], text_counts.astype(np.int64)


def _keys(
    texts: Sequence[str],
    text_counts: npt.NDArray[np.int64],
    known: list[tuple[str, Words]],
) -> tuple[tuple[Words, ...], IntArray, npt.NDArray[np.int64], list[tuple[str, Words]]]:
    """The distinct keys (a text's place words, spelling corrected, sorted and distinct), each text's key,
    the reports of each key, and the known locations' keys."""
    # Texts differing only in case or punctuation share their words: count those once.
    tokens, token_of_text = numbered(place_tokens_of(texts))
    token_counts = np.bincount(token_of_text, weights=text_counts, minlength=len(tokens)).astype(np.int64)
    speller = _speller(known, tokens, token_counts.tolist())
    spelled, key_of_tokens = numbered(tuple(sorted(set(speller(word_tuple)))) for word_tuple in tokens)
    key_counts = np.bincount(key_of_tokens, weights=token_counts, minlength=len(spelled)).astype(np.int64)
    known_keys = [(name, tuple(sorted(set(speller(key))))) for name, key in known if key]
    return tuple(spelled), key_of_tokens[token_of_text], key_counts, known_keys


def _speller(known: list[tuple[str, Words]], tokens: Iterable[Words], counts: Iterable[int]) -> Speller:
    """A speller that has learnt the words of places, most reported first, known places' words first of all."""
    words: defaultdict[str, int] = defaultdict(int)  # in order of first use, as counting text by text would see them
    for _name, key in known:
        for word in key:
            words[word] += 10**9  # known spellings are canonical
    for word_tuple, n in zip(tokens, counts):
        for word in word_tuple:
            words[word] += n
    speller = Speller()
    speller.learn(most_common(words))
    return speller


def _assign(grouper: PlaceGrouper, keys: Sequence[Words], counts: npt.NDArray[np.int64], min_count: int) -> IntArray:
    """The group of each key (-1 for none: a lonely key, or no words), most reported keys first."""
    lonely = _lonely_keys(keys, counts, [key for key, _label, _known in grouper.reps], min_count)
    # Most frequent spelling first, shorter first: it becomes the representative.
    n_of = counts.tolist()
    order = sorted(
        (k for k in np.flatnonzero(~lonely).tolist() if keys[k]), key=lambda k: (-n_of[k], len(keys[k]), keys[k])
    )
    group_of_key = [-1] * len(keys)
    for k in order:
        group_of_key[k] = grouper.assign(keys[k])
    return np.array(group_of_key, dtype=np.intp)


def _lonely_keys(
    keys: Sequence[Words], counts: npt.NDArray[np.int64], known_keys: Iterable[Words], min_count: int
) -> npt.NDArray[np.bool_]:
    """Whether each place key can only form a group of its own reports, too small to show.

    The grouper compares a key only with representatives sharing one of its
    indexed (non-generic) words. A key whose indexed words occur in no other
    key and no known location therefore founds a group nobody joins; with
    fewer than ``min_count`` reports that group is dropped anyway, so it need
    not be built (most one-off texts are such keys). ``counts``: the reports
    of each key.
    """
    if min_count <= 1:
        return np.zeros(len(keys), dtype=bool)
    words, word_at = numbered(itertools.chain.from_iterable(keys))  # every word of every key
    key_at = np.repeat(np.arange(len(keys)), np.fromiter(map(len, keys), dtype=np.intp, count=len(keys)))
    reports = np.bincount(word_at, weights=counts[key_at], minlength=len(words))  # of each word
    for key in known_keys:
        for word in key:
            if word in words:
                reports[words[word]] += min_count  # never lonely: a known place is a representative already
    generic = np.fromiter(map(GENERIC_PLACE_WORDS.__contains__, words), dtype=bool, count=len(words))
    own = generic[word_at] | (reports[word_at] == counts[key_at])  # no other key's reports use it
    return (counts < min_count) & (np.bincount(key_at, weights=~own, minlength=len(keys)) == 0)
