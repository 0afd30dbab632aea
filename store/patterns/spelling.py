"""Step 2 of grouping: spelling corrected word by word ("libary" → "library").

Every distinct word is matched against the words already seen, most
frequent first (known locations' words first of all), as
``rapidfuzz.process.extractOne`` would, scored in bulk with
``process.cdist``. Short words and words with digits must match exactly:
"lab" is not "lib".
"""

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from .normalise import Words, has_digit

# Score (0–100) for two words to count as one spelling.
WORD_CUTOFF = 85
# Correction targets kept per (first letter, length): the most frequent words.
BUCKET_CAP = 32

Times = npt.NDArray[np.intp]  # positions of words in the order they were learnt
Hit = tuple[int, int, float]  # (a word's time, the column of the choice it scored against, the score)
Scored = dict[int, tuple[tuple[tuple[int, int], ...], list[tuple[int, str]], list[Hit]]]


@functools.cache
def _reachable(length: int) -> tuple[int, ...]:
    """The lengths -2..+2 whose words can score ``WORD_CUTOFF`` against a word of ``length``, in order.

    ``fuzz.ratio`` is 200·LCS/(len a + len b), at most 200·shorter/(sum): "abcde"
    can never reach 85 against a 7-letter word, so it is not scored against them
    (they could only score 0, so leaving them out changes no result).
    """
    return tuple(
        other
        for other in range(length - 2, length + 3)
        if other > 0 and 200 * min(length, other) / (length + other) >= WORD_CUTOFF - 1e-6
    )


class Speller:
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
    (``tests/store/test_patterns.py`` compares it with a word-by-word version) but
    scores with one ``process.cdist`` per bucket instead of a Python call per
    word.
    """

    def __init__(self) -> None:
        self._buckets: defaultdict[tuple[str, int], list[str]] = defaultdict(list)  # words in the order they joined
        self.canonical: dict[str, str] = {}  # every word learnt -> its spelling

    def copy(self) -> "Speller":
        """A speller that knows what this one knows, to learn more without changing this one."""
        other = Speller()
        other._buckets.update((bucket, list(words)) for bucket, words in self._buckets.items())
        other.canonical.update(self.canonical)
        return other

    def learn(self, words_by_frequency: Iterable[str]) -> None:
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
        exact = np.fromiter(map(bool, map(has_digit, words)), dtype=bool, count=count) | (lengths < 5)
        order = np.lexsort((lengths, firsts))  # lexsort is stable: times ascend within a run
        firsts, lengths = firsts[order], lengths[order]
        starts = np.flatnonzero((np.diff(firsts, prepend=-1) != 0) | (np.diff(lengths, prepend=-1) != 0))
        letters: defaultdict[str, dict[int, Times]] = defaultdict(dict)  # first letter -> {length: times}
        for first, length, start, end in zip(
            firsts[starts].tolist(), lengths[starts].tolist(), starts.tolist(), np.append(starts[1:], count).tolist()
        ):
            letters[chr(first)][length] = order[start:end]
        for first, by_length in letters.items():
            self._learn_letter(first, words, by_length, exact)

    def _learn_letter(
        self, first: str, words: Sequence[str], by_length: dict[int, Times], exact: npt.NDArray[np.bool_]
    ) -> None:
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
        old = {
            length: self._buckets.get((first, length), [])  # joined in an earlier learn
            for length in range(min(by_length) - 2, max(by_length) + 3)
        }
        asked = {length: times[~exact[times]] for length, times in by_length.items()}  # short words, numbers: exact
        prefix = {length: BUCKET_CAP - len(old[length]) + 8 for length in by_length}  # + a few that get corrected
        scored: Scored = {}  # length -> (prefixes of the lengths it reaches, choices, hits)
        while True:
            for length, times in asked.items():
                if not len(times):
                    continue
                reach = tuple((other, prefix.get(other, 0)) for other in _reachable(length))
                if length in scored and scored[length][0] == reach:
                    continue  # the prefixes it is compared with did not grow
                # The buckets of lengths -2..+2 in that order, each as it would fill: extractOne keeps the
                # first of equal scores. A choice is (the time it came, or -1 for an earlier learn; word).
                choices = [
                    choice
                    for other, n in reach
                    for choice in [(-1, w) for w in old[other]]
                    + [(t, words[t]) for t in (by_length[other][:n].tolist() if other in by_length else ())]
                ]
                hits: list[Hit] = []
                if choices:
                    # float64: extractOne compares exact scores, so ties must stay ties and no more.
                    scores = process.cdist(
                        [words[t] for t in times.tolist()],
                        [w for _t, w in choices],
                        scorer=fuzz.ratio,
                        score_cutoff=WORD_CUTOFF,
                        dtype=np.float64,
                    )
                    some = np.flatnonzero(scores.any(axis=1))  # few rows have a score over the cutoff
                    rows, columns = np.nonzero(scores[some])  # rows ascending, then columns: the order extractOne scans
                    # Only a choice that came before the word (or in an earlier learn) can ever be taken:
                    # the word itself, in its own prefix, and later words are left out here.
                    came_at = np.fromiter(map(itemgetter(0), choices), dtype=np.intp, count=len(choices))
                    at = some[rows]
                    useful = came_at[columns] < times[at]
                    at, columns = at[useful], columns[useful]
                    hits = list(zip(times[at].tolist(), columns.tolist(), scores[at, columns].tolist()))
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
        best: dict[int, tuple[float, str]] = {}
        for _reach, choices, hits in scored.values():
            for t, column, score in hits:
                if t not in decided:
                    came, choice = choices[column]
                    if score > best.get(t, (0,))[0] and (came < 0 or (came < t and came in joined)):
                        best[t] = (score, choice)
        canonical.update((words[t], choice) for t, (_score, choice) in best.items())

    @staticmethod
    def _replay(
        words: Sequence[str],
        by_length: dict[int, Times],
        old: dict[int, list[str]],
        prefix: dict[int, int],
        scored: Scored,
    ) -> tuple[set[int], dict[int, str], list[int]]:
        """The prefix words in time order, on their scores alone.

        Returns the times of the words that joined a bucket, {time: spelling}
        for the words decided here (joined or matched), and the lengths whose
        prefix ran out before their bucket filled.
        """
        replayed = np.sort(np.concatenate([times[: prefix[length]] for length, times in by_length.items()])).tolist()
        last = replayed[-1]
        # time -> [(score, choice's time, choice)], in extractOne's order
        hits: defaultdict[int, list[tuple[float, int, str]]] = defaultdict(list)
        for _reach, choices, length_hits in scored.values():
            for t, column, score in length_hits:
                if t <= last:
                    hits[t].append((score, *choices[column]))
        room = {length: BUCKET_CAP - len(old[length]) for length in by_length}
        joined: set[int] = set()
        decided: dict[int, str] = {}
        for t in replayed:
            word = words[t]
            length = len(word)
            if room[length] <= 0:
                continue  # late: its bucket is full
            best, best_score = word, 0.0
            for score, came, choice in hits.get(t, ()):
                if score > best_score and (came < 0 or came in joined):
                    best, best_score = choice, score
            if not best_score:
                joined.add(t)
                room[length] -= 1
            decided[t] = best
        short = [length for length, times in by_length.items() if room[length] > 0 and prefix[length] < len(times)]
        return joined, decided, short

    def __call__(self, tokens: Words) -> Words:
        return tuple(map(self.canonical.get, tokens, tokens))
