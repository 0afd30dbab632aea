"""Patterns across reports: the same place, the same person, the same category.

Reporters type places and names however they like, so matching works on
normalised keys and fuzzy comparison (rapidfuzz), in three steps:

1. **Normalise** each mention: case, accents and punctuation folded; ordinals
   and number words become digits ("2nd", "second" → "2"); titles (Dr, Prof,
   Mr, Ms…), filler words ("the", "outside", "his TA") dropped; a crude plural
   fold ("labs" → "lab").
2. **Correct spelling per word**: every distinct word is matched against the
   words already seen (most frequent first, known locations' words first of
   all) as ``rapidfuzz.process.extractOne`` would, scored in bulk with
   ``process.cdist`` (``_Speller``); "libary" becomes "library".
   Short words and words with digits must match exactly — "lab" is not "lib".
3. **Group mentions** against group representatives (most frequent spelling
   first), looking only at representatives that share a corrected word
   (an inverted index), scored with ``fuzz.token_set_ratio`` so extra words
   do not matter ("library" ≈ "library 2 floor"). Distinguishing tokens —
   numbers and single letters — must agree when both sides have them
   ("room 101" ≠ "room 110", "block a" ≠ "block b"), and generic words alone
   ("building", "floor") never make a match.

People are grouped by surname (the last word of a mention) and compatible
given names: an initial matches a name with that first letter ("Dr J. Smith"
≈ "John Smith (Dr)"), a missing given name matches any ("Dr Smith"). The
``people`` field may name several people; it is split on commas, semicolons,
"and", "&", "/", "with" and line breaks. "Smith, John" is therefore read as
two people — an accepted limitation.

Work is proportional to the distinct words and spellings, not to the square
of the reports, and the per-report work is done by C loops (``str``
methods over all texts joined, dict lookups through ``map``, numpy index
arrays): ``bench/patterns_bench.py`` measures it.
"""

import bisect
import contextlib
import datetime as dt
import functools
import gc
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
from rapidfuzz import fuzz, process

from .access import visible_to
from .clock import utcnow
from .errors import ValidationError
from .models import Report, database

WINDOWS = {"30": 30, "90": 90, "365": 365, "all": None}
KINDS = ("location", "person", "category")
MAX_THRESHOLD = 1000

# Score (0–100) for two words to count as one spelling, and for two mentions
# to count as one place or person.
WORD_CUTOFF = 85
MENTION_CUTOFF = 88
# Correction targets kept per (first letter, length): the most frequent words.
BUCKET_CAP = 32

_ORDINALS = {
    "1st": "1", "first": "1", "one": "1",
    "2nd": "2", "second": "2", "two": "2",
    "3rd": "3", "third": "3", "three": "3",
    "4th": "4", "fourth": "4", "four": "4",
    "5th": "5", "fifth": "5", "five": "5",
    "6th": "6", "sixth": "6", "six": "6",
    "7th": "7", "seventh": "7", "seven": "7",
    "8th": "8", "eighth": "8", "eight": "8",
    "9th": "9", "ninth": "9", "nine": "9",
    "10th": "10", "tenth": "10", "ten": "10",
    "ground": "0",
}
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")

_TITLES = {
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir",
    "dame", "rev", "reverend", "fr", "father", "lord", "lady", "madam", "phd",
}

# Words that carry no identity for a place.
_PLACE_FILLER = {
    "the", "a", "an", "at", "in", "on", "of", "by", "near", "nearby", "outside",
    "inside", "next", "to", "behind", "opposite", "around", "between", "and",
    "my", "our", "from", "into", "just", "somewhere", "area", "floor", "level",
    "storey", "story",
}
# Words that may appear in place names but never identify one on their own.
_GENERIC = {
    "building", "room", "hall", "block", "office", "corridor", "centre", "center",
    "campus", "house", "wing", "entrance", "toilet", "toilets", "stairs", "lift",
    "car", "park", "street", "road", "lane", "site", "main", "north", "south",
    "east", "west", "new", "old", "upper", "lower", "unit", "space",
}
# Words around a person that are not their name.
_PERSON_FILLER = {
    "the", "a", "an", "his", "her", "their", "my", "our", "your", "its", "this",
    "that", "some", "someone", "somebody", "one", "of", "in", "at", "from",
    "called", "named", "known", "as", "also", "who", "is", "was", "maybe",
    "possibly", "probably", "think", "i", "dont", "don't", "know", "unknown",
    "ta", "tutor", "lecturer", "teacher", "supervisor", "manager", "boss",
    "colleague", "friend", "flatmate", "housemate", "student", "students",
    "staff", "member", "assistant", "teaching", "head", "dept", "department",
    "security", "guard", "porter", "coach", "senior", "junior", "mate", "other",
    "another", "partner", "ex", "guy", "man", "woman", "person", "people",
}
_HAS_DIGIT = re.compile(r"\d").search
_PUNCTUATION = re.compile(r"[^\w\s]|_").sub
# The same for ASCII text as one str.translate (a C table lookup per character, where the
# regex took 20 ms over all texts joined), built from _PUNCTUATION itself so the two agree.
_ASCII_PUNCTUATION = str.maketrans({chr(c): " " for c in range(128) if _PUNCTUATION(" ", chr(c)) != chr(c)})
# One character class rather than six alternatives: the same splits in about half the time.
_PERSON_SPLIT = re.compile(r"[\n;,&/+]|\b(?:and|with|plus)\b", re.IGNORECASE)
_PERSON_SPLIT_FOLDED = re.compile(r"[\n;,&/+]|\b(?:and|with|plus)\b")  # for lower-case ASCII
# _PERSON_SPLIT_FOLDED in two passes over many texts joined: marks by table, words by regex.
_PERSON_SPLIT_MARKS = str.maketrans(dict.fromkeys("\n;,&/+", "\x1d"))
_PERSON_SPLIT_WORDS = re.compile(r"\b(?:and|with|plus)\b")


@dataclass
class PatternGroup:
    kind: str  # location | person | category
    label: str
    count: int  # reports in the group
    first_at: dt.datetime
    last_at: dt.datetime
    report_ids: list
    references: list
    is_pattern: bool
    variants: list = field(default_factory=list)  # distinct spellings, most common first


def _fold(text):
    text = text or ""
    if not text.isascii():  # ASCII has no accents to fold: skip the per-character work
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = text.replace("'s ", " ").replace("’s ", " ")
    return _PUNCTUATION(" ", text)


def _plural(word):
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and not word.isdigit():
        return word[:-1]
    return word


def _word(word):
    word = _ORDINALS.get(word, word)
    match = _ORDINAL_SUFFIX.match(word)
    return match.group(1) if match else word


@functools.lru_cache(maxsize=65536)
def _place_word(word):
    """One folded word of a place: "" for filler, else ordinals as digits and plurals folded."""
    word = _word(word)
    return "" if not word or word in _PLACE_FILLER else _plural(word)


def place_tokens(text):
    """The words that identify a place, normalised (before spelling correction)."""
    return _place_key(_fold(text))


def _place_key(folded):
    return tuple(filter(None, map(_place_word, folded.split())))  # (_place_word gives "" for filler)


def _fold_all(texts, separator="\n"):
    """``_fold`` of each text, in a list.

    The ASCII texts go through one ``lower``, ``replace`` and ``translate``
    pass over all of them joined by ``separator`` (kept by the punctuation
    pass being whitespace), instead of a few Python calls per text; a text
    that contains the separator itself, or needs accents folded, goes alone.
    """
    texts = list(texts)
    joined = separator.join(texts)
    if texts and joined.isascii() and joined.count(separator) == len(texts) - 1:
        bulk = texts  # all of them (the usual case, seen on the joined text at once)
    else:
        bulk = [text for text in texts if text.isascii() and separator not in text]
        joined = separator.join(bulk)
    joined = joined.lower().replace("'s ", " ").translate(_ASCII_PUNCTUATION)
    if bulk is texts:
        return joined.split(separator)
    folded = dict(zip(bulk, joined.split(separator)))
    return [folded[text] if text in folded else _fold(text) for text in texts]


_NOT_A_NAME = _TITLES | _PERSON_FILLER


def split_people(text):
    """Each person named in a free-text ``people`` field, as normalised words."""
    return [mention for mention in map(_person_mention, _people_parts(text or "")) if mention]


def _people_parts(text):
    """A ``people`` field split where it names another person, each part folded."""
    if text.isascii():
        # The same as below, with the case folded once for the whole text instead of per part.
        return [_PUNCTUATION(" ", part.replace("'s ", " ")) for part in _PERSON_SPLIT_FOLDED.split(text.lower())]
    return [_fold(part) for part in _PERSON_SPLIT.split(text)]


def _people_mentions(texts):
    """``split_people`` of each text, numbered: many texts name the same people.

    Returns the distinct mentions in order of first use and, for each
    mention of each text in order, two flat arrays: the text's position and
    the mention's number.

    The ASCII texts are split in one pass over all of them joined (as
    ``_fold_all``): the splitting marks and words become a group separator
    (``\\x1d``), and a record separator (``\\x1e``) between two group
    separators ends each text. Both are whitespace to the punctuation pass
    and neither is a word character to ``\\b``, so each text splits as it
    would alone. Each distinct part is then read once.
    """
    texts = list(texts)
    joined = "\x1d\x1e\x1d".join(texts)
    if joined.isascii() and joined.count("\x1e") == len(texts) - 1 and joined.count("\x1d") == 2 * len(texts) - 2:
        alone = []  # the usual case, seen on the joined text at once
    else:
        alone = [i for i, text in enumerate(texts) if not text.isascii() or "\x1d" in text or "\x1e" in text]
    joined_at = np.delete(np.arange(len(texts)), alone)
    if alone:
        joined = "\x1d\x1e\x1d".join(texts[i] for i in joined_at.tolist())
    parts, text_of = [], [np.zeros(0, dtype=np.intp)]
    if len(joined_at):
        joined = joined.lower().translate(_PERSON_SPLIT_MARKS)
        parts = _PERSON_SPLIT_WORDS.sub("\x1d", joined).replace("'s ", " ").translate(_ASCII_PUNCTUATION).split("\x1d")
        ends = np.fromiter(map("\x1e".__eq__, parts), dtype=bool, count=len(parts))
        text_of.append(joined_at[np.cumsum(ends) - ends])  # the n-th text runs to the n-th end
    for i in alone:
        own = _people_parts(texts[i])
        parts += own
        text_of.append(np.full(len(own), i, dtype=np.intp))
    text_of = np.concatenate(text_of)
    mentions, number_of, number_of_part = [], {}, {"\x1e": -1}
    for part in dict.fromkeys(parts):
        if part not in number_of_part:
            mention = _person_mention(part)
            if mention is None:
                number_of_part[part] = -1  # no name in it
            elif mention in number_of:
                number_of_part[part] = number_of[mention]
            else:
                number_of_part[part] = number_of[mention] = len(mentions)
                mentions.append(mention)
    mention_of = np.fromiter(map(number_of_part.__getitem__, parts), dtype=np.intp, count=len(parts))
    order = np.argsort(text_of, kind="stable")  # the texts in order (those read alone came last)
    text_of, mention_of = text_of[order], mention_of[order]
    named = mention_of >= 0
    text_of, mention_of = text_of[named], mention_of[named]
    if not alone:
        return mentions, text_of, mention_of  # already numbered in order of first use
    used, first = np.unique(mention_of, return_index=True)
    by_first_use = used[np.argsort(first)]
    renumber = np.empty(len(mentions), dtype=np.intp)
    renumber[by_first_use] = np.arange(len(by_first_use))
    return [mentions[i] for i in by_first_use.tolist()], text_of, renumber[mention_of]


def _person_mention(part):
    """The name words of one folded part of a ``people`` field, or None."""
    return tuple(w for w in part.split() if w not in _NOT_A_NAME and not w.isdigit()) or None


@functools.lru_cache(maxsize=65536)
def _distinguishing(tokens):
    return frozenset(t for t in tokens if len(t) == 1 or _HAS_DIGIT(t))


@functools.lru_cache(maxsize=None)
def _reachable(length):
    """The lengths -2..+2 whose words can score ``WORD_CUTOFF`` against a word of ``length``, in order.

    ``fuzz.ratio`` is 200·LCS/(len a + len b), at most 200·shorter/(sum): "abcde"
    can never reach 85 against a 7-letter word, so it is not scored against them
    (they could only score 0, so leaving them out changes no result).
    """
    return tuple(other for other in range(length - 2, length + 3)
                 if other > 0 and 200 * min(length, other) / (length + other) >= WORD_CUTOFF - 1e-6)


class _Speller:
    """Maps each word to the canonical spelling of its fuzzy equivalents.

    Words are compared only with words of the same first letter and nearly
    the same length, and only with the ``BUCKET_CAP`` most frequent of those:
    misspellings rarely change the first letter, a misspelling is corrected
    towards a commoner spelling, and the work stays small when reporters type
    many one-off words.

    The rule, one word at a time in order of frequency: a word of five letters
    or more without digits becomes the best-scoring (``fuzz.ratio`` ≥
    ``WORD_CUTOFF``; the first of equal scores, as ``process.extractOne``)
    word already in the buckets of its first letter and lengths -2..+2, taken
    in that order; a word that matches none stays itself and joins its own
    bucket if the bucket has room. ``learn`` gives exactly that result
    (``tests/test_patterns.py`` compares it with a word-by-word version) but
    scores with one ``process.cdist`` per bucket instead of a Python call per
    word.
    """

    def __init__(self):
        self._buckets = defaultdict(list)  # (first letter, length) -> words, in the order they joined
        self.canonical = {}

    def learn(self, words_by_frequency):
        """Learn words in order, most frequent first."""
        words = [word for word in dict.fromkeys(words_by_frequency) if word not in self.canonical]
        if not words:
            return
        self.canonical.update(zip(words, words))  # until matched to another
        # A word's time is its position. Words of different first letters are never compared:
        # the words of each (first letter, length), in time order, as runs of one stable sort.
        count = len(words)
        firsts = np.fromiter(map(ord, map(itemgetter(0), words)), dtype=np.int64, count=count)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=count)
        exact = np.fromiter(map(bool, map(_HAS_DIGIT, words)), dtype=bool, count=count) | (lengths < 5)
        order = np.lexsort((lengths, firsts))  # lexsort is stable: times ascend within a run
        firsts, lengths = firsts[order], lengths[order]
        starts = np.flatnonzero((np.diff(firsts, prepend=-1) != 0) | (np.diff(lengths, prepend=-1) != 0))
        letters = defaultdict(dict)  # first letter -> {length: times}
        for first, length, start, end in zip(firsts[starts].tolist(), lengths[starts].tolist(), starts.tolist(),
                                             np.append(starts[1:], count).tolist()):
            letters[chr(first)][length] = order[start:end]
        for first, by_length in letters.items():
            self._learn_letter(first, words, by_length, exact)

    def _learn_letter(self, first, words, by_length, exact):
        """Learn the words of one first letter: ``by_length`` maps a length to the times of its words.

        Only the first words of each length can join its bucket (until it is
        full), so only those are ever matched against: the first ``prefix``
        words of each length. Every word is scored against the prefixes of
        the lengths it can reach in one ``process.cdist`` per length; a replay
        in time order, on the few scores over the cutoff, then decides which
        prefix words join (a word joins unless a word that joined before it
        matches). A word arriving after its own bucket filled changes nothing:
        it takes the best of its scores against words that had joined before
        it came. If a bucket has not filled when its prefix runs out, the
        prefix was too short: it grows and the scores are taken again.
        """
        old = {length: self._buckets.get((first, length), [])  # joined in an earlier learn
               for length in range(min(by_length) - 2, max(by_length) + 3)}
        asked = {length: times[~exact[times]] for length, times in by_length.items()}  # short words, numbers: exact
        prefix = {length: BUCKET_CAP - len(old[length]) + 8 for length in by_length}  # + a few that get corrected
        scored = {}  # length -> (prefixes of the lengths it reaches, choices, hits)
        while True:
            for length, times in asked.items():
                if not len(times):
                    continue
                reach = tuple((other, prefix.get(other, 0)) for other in _reachable(length))
                if length in scored and scored[length][0] == reach:
                    continue  # the prefixes it is compared with did not grow
                # The buckets of lengths -2..+2 in that order, each as it would fill: extractOne keeps the
                # first of equal scores. A choice is (the time it came, or -1 for an earlier learn; word).
                choices = [choice for other, n in reach
                           for choice in [(-1, w) for w in old[other]]
                           + [(t, words[t]) for t in (by_length[other][:n].tolist() if other in by_length else ())]]
                hits = ()
                if choices:
                    # float64: extractOne compares exact scores, so ties must stay ties and no more.
                    scores = process.cdist([words[t] for t in times.tolist()], [w for _t, w in choices],
                                           scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, dtype=np.float64)
                    some = np.flatnonzero(scores.any(axis=1))  # few rows have a score over the cutoff
                    rows, columns = np.nonzero(scores[some])  # rows ascending, then columns: the order extractOne scans
                    hits = list(zip(times[some[rows]].tolist(), columns.tolist(), scores[some[rows], columns].tolist()))
                scored[length] = (reach, choices, hits)
            joined, decided, short = self._replay(words, by_length, old, prefix, scored)
            if not short:
                break
            for length in short:
                prefix[length] *= 2
        for t in sorted(joined):
            self._buckets[first, len(words[t])].append(words[t])
        canonical = self.canonical
        canonical.update((words[t], spelling) for t, spelling in decided.items())
        # Late words: the best score among the words that had joined before each came (the first of equals).
        best = {}
        for _reach, choices, hits in scored.values():
            for t, column, score in hits:
                if t not in decided:
                    came, choice = choices[column]
                    if score > best.get(t, (0,))[0] and (came < 0 or (came < t and came in joined)):
                        best[t] = (score, choice)
        canonical.update((words[t], choice) for t, (_score, choice) in best.items())

    @staticmethod
    def _replay(words, by_length, old, prefix, scored):
        """The prefix words in time order, on their scores alone.

        Returns the times of the words that joined a bucket, {time: spelling}
        for the words decided here (joined or matched), and the lengths whose
        prefix ran out before their bucket filled.
        """
        replayed = np.sort(np.concatenate([times[:prefix[length]] for length, times in by_length.items()])).tolist()
        last = replayed[-1]
        hits = defaultdict(list)  # time -> [(score, choice's time, choice)], in extractOne's order
        for _reach, choices, length_hits in scored.values():
            for t, column, score in length_hits:
                if t <= last:
                    hits[t].append((score, *choices[column]))
        room = {length: BUCKET_CAP - len(old[length]) for length in by_length}
        joined, decided = set(), {}
        for t in replayed:
            word = words[t]
            length = len(word)
            if room[length] <= 0:
                continue  # late: its bucket is full
            best, best_score = word, 0
            for score, came, choice in hits.get(t, ()):
                if score > best_score and (came < 0 or came in joined):
                    best, best_score = choice, score
            if not best_score:
                joined.add(t)
                room[length] -= 1
            decided[t] = best
        short = [length for length, times in by_length.items() if room[length] > 0 and prefix[length] < len(times)]
        return joined, decided, short

    def __call__(self, tokens):
        return tuple(map(self.canonical.get, tokens, tokens))


def _place_match(a, b):
    """Whether two corrected place keys (sorted token tuples) name one place; the score or 0."""
    shared = set(a) & set(b)
    da, db = _distinguishing(a), _distinguishing(b)
    if not shared or shared <= _GENERIC | da:
        return 0  # generic words, numbers and letters alone are not a place
    if da and db and da != db:
        return 0
    score = fuzz.token_set_ratio(" ".join(a), " ".join(b))
    return score if score >= MENTION_CUTOFF else 0


class _PlaceGrouper:
    """Groups place keys: each joins the best-scoring representative it may match, or founds a group.

    The rule is ``_place_match``'s. Its word tests need no scoring: a
    representative passes them exactly when it shares a word that is neither
    generic nor one of the key's distinguishing tokens (the index is looked up
    by those words only) and its distinguishing tokens agree. Only those few
    are scored, in one ``process.extract`` call; most keys have none.
    """

    def __init__(self, known=()):
        self.reps = []  # [key, label or None, known?]
        self._texts = []  # per rep: its words joined, as scored
        self._marks = []  # per rep: its distinguishing tokens
        self._exact = {}  # key -> the first representative with that very key
        self.index = defaultdict(list)  # word -> rep numbers
        for name, key in known:
            self._new(key, name, True)

    def _new(self, key, label, known=False):
        number = len(self.reps)
        self.reps.append((key, label, known))
        self._texts.append(" ".join(key))
        self._marks.append(_distinguishing(key))
        self._exact.setdefault(key, number)
        for word in key:
            if word not in _GENERIC:
                self.index[word].append(number)
        return number

    def assign(self, key):
        """The group of ``key`` (a sorted tuple of distinct corrected words)."""
        if key in self._exact and not _GENERIC.issuperset(key):
            # The representative with this very key scores above any other (101, as if
            # over 100) — if it is compared at all: it must share a word that is not generic.
            return self._exact[key]
        mine = _distinguishing(key)
        candidates = set()
        for word in key:
            if word not in _GENERIC and word not in mine:
                candidates.update(self.index.get(word, ()))
        numbers = sorted(candidates)  # in order of founding: the first of equal scores wins
        if mine:
            marks = self._marks
            numbers = [n for n in numbers if not marks[n] or marks[n] == mine]
        if not numbers:
            return self._new(key, None)
        texts = self._texts
        hits = process.extract(" ".join(key), [texts[n] for n in numbers], scorer=fuzz.token_set_ratio,
                               score_cutoff=MENTION_CUTOFF, limit=None)
        best, best_score = None, 0
        for _text, score, position in sorted(hits, key=itemgetter(2)):
            number = numbers[position]
            # Known locations win ties: they are the canonical names.
            score += 0.5 if self.reps[number][2] else 0
            if score > best_score:
                best, best_score = number, score
        return best if best is not None else self._new(key, None)


def _person_compatible(given_a, given_b):
    if not given_a or not given_b:
        return True
    a, b = given_a[0], given_b[0]
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


class _PersonGrouper:
    """Groups names: each joins the first group (in order of founding) whose representative
    it is compatible with (``_person_compatible``), or founds one.

    A name with given names is compatible only with representatives that have none or whose
    first given name starts with the same letter, so only those are looked at: a common
    surname has many groups, most of other given names.
    """

    def __init__(self):
        self.reps = []  # (surname, given) of each group
        self.by_surname = defaultdict(list)
        self._unnamed = defaultdict(list)  # surname -> groups whose representative has no given name
        self._by_initial = defaultdict(list)  # (surname, first letter of the first given name) -> groups

    def assign(self, key):
        surname, given = key[-1], key[:-1]
        if not given:
            groups = self.by_surname.get(surname)
            if groups:
                return groups[0]  # compatible with any, and never fuller
        else:
            initial = (surname, given[0][0])
            for number in sorted(self._unnamed.get(surname, []) + self._by_initial.get(initial, [])):
                rep_given = self.reps[number][1]
                if _person_compatible(given, rep_given):
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


def parse_window(window):
    """30, 90, 365 (days) or "all"/None. Raises ValidationError otherwise."""
    if window is None:
        return None
    key = str(window).strip().lower().removesuffix("d")
    if key not in WINDOWS:
        raise ValidationError({"window": "Choose a window of 30, 90 or 365 days, or all."})
    return WINDOWS[key]


def check_threshold(threshold):
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 2 <= threshold <= MAX_THRESHOLD:
        raise ValidationError({"threshold": f"The pattern threshold must be a whole number from 2 to {MAX_THRESHOLD}."})
    return threshold


def _rows(config, days, adviser, now):
    query = Report.select(Report.id, Report.reference, Report.created_at, Report.category, Report.location, Report.people)
    if days is not None:
        query = query.where(Report.created_at >= (now or utcnow()) - dt.timedelta(days=days))
    visible = visible_to(adviser, config)
    if visible is not None:
        query = query.where(visible)
    # The raw cursor: peewee's per-row conversion was a third of the time at 100,000
    # reports. SQLite hands back timestamps as ISO text, PostgreSQL as datetimes.
    # SQLite's timestamps stay ISO text until a group shows one (_when): rows come in order.
    return database.execute(query.order_by(Report.created_at, Report.id)).fetchall()


def _when(value):
    """A timestamp from a raw row: PostgreSQL gives datetimes, SQLite ISO text."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _objects(values):
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class _Reports:
    """The reports of the window as columns, in row order (created_at, id).

    Grouping works on distinct texts. Only the groups' report lists concern
    every report, and ``_members`` gathers those with numpy index arrays: a
    Python loop making a member tuple per report and group was a third of the
    time at 100,000 reports.
    """

    def __init__(self, ids, references, created, categories, locations, people):
        self.count = len(ids)
        self.ids = _objects(ids)  # object arrays: the groups list the very objects the rows held
        self.references = _objects(references)
        self.created = created  # raw (see _when): only the ends of each group are read
        self.categories, self.locations, self.people = categories, locations, people

    @classmethod
    def from_rows(cls, rows):
        return cls(*(zip(*rows) if rows else ((),) * 6))

    def distinct(self, column):
        """The distinct values of ``column`` in order of first use, how many reports have each,
        and each report's value as its position among them.

        One pass of C calls: a value not seen yet gets the next number from the defaultdict's factory.
        """
        position, codes = _numbered(column)
        return list(position), np.bincount(codes, minlength=len(position)), codes


@dataclass
class _Members:
    report_ids: list
    references: list
    first: object  # raw timestamps
    last: object


def _members(reports, numbers, rows, min_count):
    """The reports of each group: report ``rows[i]`` is in group ``numbers[i]`` (-1: in none).

    ``rows`` ascend, and a report is in a group at most once. Returns {number: _Members}
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
    ids, references = reports.ids[rows].tolist(), reports.references[rows].tolist()
    rows, numbers = rows.tolist(), numbers.tolist()
    created = reports.created
    members = {}
    for start, end in zip(starts[first_seen].tolist(), ends[first_seen].tolist()):
        members[numbers[start]] = _Members(ids[start:end], references[start:end], created[rows[start]],
                                           created[rows[end - 1]])
    return members


def _group(kind, label, members, threshold, variants=()):
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


def _most_common(counts):
    """Keys by count, highest first, ties in insertion order: ``Counter.most_common()`` for a plain dict."""
    keys = list(counts)
    order = np.argsort(-np.fromiter(counts.values(), dtype=np.int64, count=len(keys)), kind="stable")
    return [keys[i] for i in order.tolist()]


def _numbered(items):
    """Number distinct items in order of first use: ({item: number}, each item's number).

    One pass of C calls (a new item gets the next number from the defaultdict's factory); the
    numbers then stand for the items in numpy arrays, and a tuple is not hashed again.
    """
    number = defaultdict(itertools.count().__next__)
    return number, np.fromiter(map(number.__getitem__, items), dtype=np.intp)


def _lonely_keys(keys, counts, known_keys, min_count):
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
    words, word_at = _numbered(itertools.chain.from_iterable(keys))  # every word of every key
    key_at = np.repeat(np.arange(len(keys)), np.fromiter(map(len, keys), dtype=np.intp, count=len(keys)))
    reports = np.bincount(word_at, weights=counts[key_at], minlength=len(words))  # of each word
    for key in known_keys:
        for word in key:
            if word in words:
                reports[words[word]] += min_count  # never lonely: a known place is a representative already
    generic = np.fromiter(map(_GENERIC.__contains__, words), dtype=bool, count=len(words))
    own = generic[word_at] | (reports[word_at] == counts[key_at])  # no other key's reports use it
    return (counts < min_count) & (np.bincount(key_at, weights=~own, minlength=len(keys)) == 0)


def _location_groups(reports, config, threshold, min_count=1):
    # Work on distinct texts, then on their distinct word tuples and keys, by number: reports
    # repeat the same few spellings a lot.
    values, counts, codes = reports.distinct(reports.locations)
    stripped = [value.strip() if value else "" for value in values]
    texts = list(dict.fromkeys(text for text in stripped if text))  # in order of first use
    text_of_value = np.fromiter(map({text: i for i, text in enumerate(texts)}.get, stripped, itertools.repeat(-1)),
                                dtype=np.intp, count=len(stripped))
    has_text = text_of_value >= 0
    text_counts = np.bincount(text_of_value[has_text], weights=counts[has_text], minlength=len(texts))
    # Texts differing only in case or punctuation share their words: count those once.
    tokens, token_of_text = _numbered(map(_place_key, _fold_all(texts)))
    token_counts = np.bincount(token_of_text, weights=text_counts, minlength=len(tokens)).astype(np.int64)
    known = [(name, place_tokens(name)) for name in config.locations]
    words = defaultdict(int)  # in order of first use, as counting text by text would see them
    for _name, key in known:
        for word in key:
            words[word] += 10**9  # known spellings are canonical
    for word_tuple, n in zip(tokens, token_counts.tolist()):
        for word in word_tuple:
            words[word] += n
    speller = _Speller()
    speller.learn(_most_common(words))
    keys, key_of_tokens = _numbered(tuple(sorted(set(speller(word_tuple)))) for word_tuple in tokens)
    keys = list(keys)
    key_counts = np.bincount(key_of_tokens, weights=token_counts, minlength=len(keys)).astype(np.int64)
    grouper = _PlaceGrouper([(name, tuple(sorted(set(speller(key))))) for name, key in known if key])
    lonely = _lonely_keys(keys, key_counts, [key for key, _label, _known in grouper.reps], min_count)
    # Most frequent spelling first, shorter first: it becomes the representative.
    n_of = key_counts.tolist()
    order = sorted((k for k in np.flatnonzero(~lonely).tolist() if keys[k]),
                   key=lambda k: (-n_of[k], len(keys[k]), keys[k]))
    group_of_key = [-1] * len(keys)
    for k in order:
        group_of_key[k] = grouper.assign(keys[k])
    number_of_text = np.array(group_of_key, dtype=np.intp)[key_of_tokens[token_of_text]]
    number_of_value = np.append(number_of_text, -1)[text_of_value]  # (a value with no text, -1, picks that -1)
    members = _members(reports, number_of_value[codes], np.arange(reports.count), min_count)
    spellings = defaultdict(list)  # texts in order of first use, as a per-report Counter would see them
    for text, n, number in zip(texts, text_counts.astype(np.int64).tolist(), number_of_text.tolist()):
        if number in members:
            spellings[number].append((text, n))
    groups = []
    for number, group_members in members.items():
        _key, label, _known = grouper.reps[number]
        variants = [text for text, _n in sorted(spellings[number], key=itemgetter(1), reverse=True)]
        groups.append(_group("location", label or variants[0], group_members, threshold, variants))
    return groups


def _person_groups(reports, threshold, min_count=1):
    values, counts, codes = reports.distinct(reports.people)
    named_at = [i for i, value in enumerate(values) if value]  # not None or ""
    texts = [values[i] for i in named_at]
    text_of_value = np.full(len(values), -1, dtype=np.intp)
    text_of_value[named_at] = np.arange(len(texts))
    mentions, text_of, mention_of = _people_mentions(texts)
    reports_of = np.bincount(mention_of, weights=counts[named_at].astype(np.float64)[text_of], minlength=len(mentions))
    reports_of = reports_of.astype(np.int64).tolist()  # (float64 counts are exact far beyond any window)
    words = defaultdict(int)  # in order of first use, as counting text by text would see them
    for mention, n in zip(mentions, reports_of):
        for word in mention:
            words[word] += n
    speller = _Speller()
    speller.learn(_most_common(words))
    corrected = list(map(speller, mentions))
    key_counts = defaultdict(int)
    for key, n in zip(corrected, reports_of):
        key_counts[key] += n
    grouper = _PersonGrouper()
    # Fuller names first, so "Smith" joins "John Smith" rather than founding a group.
    surnames = defaultdict(int)
    for key, n in key_counts.items():
        surnames[key[-1]] += n
    # A name whose surname no other mention shares can only be a group of its own reports.
    order = sorted(((key, n) for key, n in key_counts.items() if n >= min_count or surnames[key[-1]] != n),
                   key=lambda kv: (-len(kv[0]), -(len(kv[0][0]) if len(kv[0]) > 1 else 0), -kv[1], kv[0]))
    group_of = {key: grouper.assign(key) for key, _n in order}
    group_of_mention = np.fromiter(map(group_of.get, corrected, itertools.repeat(-1)), dtype=np.intp,
                                   count=len(mentions))
    # Per distinct text, the groups it names, each once (a report is in a group once, however
    # often it names the person), in the order it names them.
    named = group_of_mention[mention_of]
    text_of, named = text_of[named >= 0], named[named >= 0]
    _unique, first = np.unique(text_of * (len(grouper.reps) + 1) + named, return_index=True)
    first.sort()
    text_of, named = text_of[first], named[first]
    # One (report, group) pair per group its text names, in row order.
    codes = text_of_value[codes]
    rows = np.flatnonzero(codes >= 0)
    named_count = np.bincount(text_of, minlength=len(texts))
    per_row = named_count[codes[rows]]
    firsts = np.repeat((np.cumsum(named_count) - named_count)[codes[rows]], per_row)
    within = np.arange(len(firsts)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    members = _members(reports, named[firsts + within], np.repeat(rows, per_row), min_count)
    # The spellings of a group: its mentions, by reports (each time a text names it), first used first.
    spellings = defaultdict(list)
    for number, group in enumerate(group_of_mention.tolist()):
        if group in members:
            spellings[group].append((" ".join(mentions[number]), reports_of[number]))
    groups = []
    for number, group_members in members.items():
        surname, given = grouper.reps[number]
        label = " ".join((*given, surname)).title()
        variants = [text for text, _n in sorted(spellings[number], key=itemgetter(1), reverse=True)]
        groups.append(_group("person", label, group_members, threshold, variants))
    return groups


def _category_groups(reports, threshold, min_count=1):
    names, _counts, codes = reports.distinct(reports.categories)
    members = _members(reports, codes, np.arange(reports.count), min_count)
    return [_group("category", names[number], group_members, threshold) for number, group_members in members.items()]


def location_groups_for(rows, config):
    """Location grouping for other services (statistics): rows of (id, location) → {id: label}."""
    ids = [rid for rid, _loc in rows]
    reports = _Reports(ids, [""] * len(ids), [dt.datetime.min] * len(ids), [""] * len(ids),
                       [loc or "" for _rid, loc in rows], [""] * len(ids))
    labels = {}
    for group in _location_groups(reports, config, threshold=MAX_THRESHOLD):
        for rid in group.report_ids:
            labels[rid] = group.label
    return labels


@contextlib.contextmanager
def _without_cycle_collection():
    """Grouping makes hundreds of thousands of small tuples and lists and no reference cycles;
    the cyclic collector only walked them again and again (about 15% of the time at 100,000
    reports). Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _groups(reports, config, threshold, kinds, min_count):
    # A function of its own so that the reports are freed before cyclic collection resumes:
    # the first collection then walks whatever this call allocated and left alive.
    groups = []
    if "location" in kinds:
        groups += _location_groups(reports, config, threshold, min_count)
    if "person" in kinds:
        groups += _person_groups(reports, threshold, min_count)
    if "category" in kinds:
        groups += _category_groups(reports, threshold, min_count)
    return groups


def find_patterns(config, window=90, adviser=None, now=None, threshold=None, kinds=KINDS, min_count=2):
    """Groups of reports naming the same place, person or category in the window.

    ``window``: 30, 90, 365 or "all". With ``adviser``, only cases they may see.
    Groups of fewer than ``min_count`` reports are left out. Patterns (groups
    reaching the threshold) come first, then by size and most recent report.
    """
    days = parse_window(window)
    threshold = check_threshold(config.pattern_threshold if threshold is None else threshold)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValidationError({"kind": f"Unknown pattern kind {sorted(unknown)[0]!r}; use location, person or category."})
    with _without_cycle_collection():
        groups = _groups(_Reports.from_rows(_rows(config, days, adviser, now)), config, threshold, kinds, min_count)
    groups = [g for g in groups if g.count >= min_count]
    groups.sort(key=lambda g: (not g.is_pattern, -g.count, -g.last_at.timestamp(), g.kind, g.label))
    return groups


def active_pattern_count(config, window=90, adviser=None, now=None):
    """How many groups reach the threshold (for the inbox header)."""
    threshold = check_threshold(config.pattern_threshold)
    return sum(1 for g in find_patterns(config, window, adviser, now, min_count=threshold) if g.is_pattern)
