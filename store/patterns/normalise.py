"""Step 1 of grouping: what reporters typed, reduced to comparable words.

Case, accents and punctuation are folded; ordinals and number words become
digits ("2nd", "second" → "2"); filler words ("the", "outside", "his TA")
and titles (Dr, Prof, Mr, Ms…) are dropped; a crude plural fold makes "labs"
"lab". A ``people`` field may name several people: it is split on commas,
semicolons, "and", "&", "/", "+", "with", "plus" and line breaks, so "Smith,
John" is read as two people (an accepted limitation).

Each rule has a one-text form (``place_tokens``, ``split_people``) and a
bulk form for many texts (``place_tokens_of``, ``people_mentions``) that
gives the same result with a few C passes over all the texts joined.
"""

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

_ORDINALS = {
    "1st": "1",
    "first": "1",
    "one": "1",
    "2nd": "2",
    "second": "2",
    "two": "2",
    "3rd": "3",
    "third": "3",
    "three": "3",
    "4th": "4",
    "fourth": "4",
    "four": "4",
    "5th": "5",
    "fifth": "5",
    "five": "5",
    "6th": "6",
    "sixth": "6",
    "six": "6",
    "7th": "7",
    "seventh": "7",
    "seven": "7",
    "8th": "8",
    "eighth": "8",
    "eight": "8",
    "9th": "9",
    "ninth": "9",
    "nine": "9",
    "10th": "10",
    "tenth": "10",
    "ten": "10",
    "ground": "0",
}
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")

_TITLES = {
    "dr",
    "doctor",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "rev",
    "reverend",
    "fr",
    "father",
    "lord",
    "lady",
    "madam",
    "phd",
}

# Words that carry no identity for a place.
_PLACE_FILLER = {
    "the",
    "a",
    "an",
    "at",
    "in",
    "on",
    "of",
    "by",
    "near",
    "nearby",
    "outside",
    "inside",
    "next",
    "to",
    "behind",
    "opposite",
    "around",
    "between",
    "and",
    "my",
    "our",
    "from",
    "into",
    "just",
    "somewhere",
    "area",
    "floor",
    "level",
    "storey",
    "story",
}
# Words that may appear in place names but never identify one on their own.
GENERIC_PLACE_WORDS = frozenset(
    {
        "building",
        "room",
        "hall",
        "block",
        "office",
        "corridor",
        "centre",
        "center",
        "campus",
        "house",
        "wing",
        "entrance",
        "toilet",
        "toilets",
        "stairs",
        "lift",
        "car",
        "park",
        "street",
        "road",
        "lane",
        "site",
        "main",
        "north",
        "south",
        "east",
        "west",
        "new",
        "old",
        "upper",
        "lower",
        "unit",
        "space",
    }
)
# Words around a person that are not their name.
_PERSON_FILLER = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "my",
    "our",
    "your",
    "its",
    "this",
    "that",
    "some",
    "someone",
    "somebody",
    "one",
    "of",
    "in",
    "at",
    "from",
    "called",
    "named",
    "known",
    "as",
    "also",
    "who",
    "is",
    "was",
    "maybe",
    "possibly",
    "probably",
    "think",
    "i",
    "dont",
    "don't",
    "know",
    "unknown",
    "ta",
    "tutor",
    "lecturer",
    "teacher",
    "supervisor",
    "manager",
    "boss",
    "colleague",
    "friend",
    "flatmate",
    "housemate",
    "student",
    "students",
    "staff",
    "member",
    "assistant",
    "teaching",
    "head",
    "dept",
    "department",
    "security",
    "guard",
    "porter",
    "coach",
    "senior",
    "junior",
    "mate",
    "other",
    "another",
    "partner",
    "ex",
    "guy",
    "man",
    "woman",
    "person",
    "people",
}
_NOT_A_NAME = _TITLES | _PERSON_FILLER

has_digit = re.compile(r"\d").search
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

Words = tuple[str, ...]
IntArray = npt.NDArray[np.intp]


def fold(text: str | None) -> str:
    """Lower case, no accents, punctuation as spaces, "x's " as "x "."""
    text = text or ""
    if not text.isascii():  # ASCII has no accents to fold: skip the per-character work
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = text.replace("'s ", " ").replace("’s ", " ")
    return _PUNCTUATION(" ", text)


def _plural(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and not word.isdigit():
        return word[:-1]
    return word


def _word(word: str) -> str:
    word = _ORDINALS.get(word, word)
    match = _ORDINAL_SUFFIX.match(word)
    return match.group(1) if match else word


@functools.lru_cache(maxsize=65536)
def _place_word(word: str) -> str:
    """One folded word of a place: "" for filler, else ordinals as digits and plurals folded."""
    word = _word(word)
    return "" if not word or word in _PLACE_FILLER else _plural(word)


def _place_key(folded: str) -> Words:
    return tuple(filter(None, map(_place_word, folded.split())))  # (_place_word gives "" for filler)


def place_tokens(text: str | None) -> Words:
    """The words that identify a place, normalised (before spelling correction)."""
    return _place_key(fold(text))


def place_tokens_of(texts: Iterable[str]) -> Iterator[Words]:
    """``place_tokens`` of each text, in order, folded in bulk (see ``_fold_all``)."""
    return map(_place_key, _fold_all(texts))


def _fold_all(texts: Iterable[str], separator: str = "\n") -> list[str]:
    """``fold`` of each text, in a list.

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
    return [folded[text] if text in folded else fold(text) for text in texts]


def split_people(text: str | None) -> list[Words]:
    """Each person named in a free-text ``people`` field, as normalised words."""
    return [mention for mention in map(_person_mention, _people_parts(text or "")) if mention]


def _people_parts(text: str) -> list[str]:
    """A ``people`` field split where it names another person, each part folded."""
    if text.isascii():
        # The same as below, with the case folded once for the whole text instead of per part.
        return [_PUNCTUATION(" ", part.replace("'s ", " ")) for part in _PERSON_SPLIT_FOLDED.split(text.lower())]
    return [fold(part) for part in _PERSON_SPLIT.split(text)]


def _person_mention(part: str) -> Words | None:
    """The name words of one folded part of a ``people`` field, or None."""
    return tuple(w for w in part.split() if w not in _NOT_A_NAME and not w.isdigit()) or None


def people_mentions(texts: Iterable[str]) -> tuple[tuple[Words, ...], IntArray, IntArray]:
    """``split_people`` of each text, numbered: many texts name the same people.

    Returns the distinct mentions in order of first use (a tuple) and, for each
    mention of each text in order, two flat arrays: the text's position and
    the mention's number.

    The ASCII texts are split in one pass over all of them joined (as
    ``_fold_all``): the splitting marks and words become a group separator
    (``\\x1d``), and a record separator (``\\x1e``) between two group
    separators ends each text. Both are whitespace to the punctuation pass
    and neither is a word character to ``\\b``, so each text splits as it
    would alone. Each distinct part is then read once.
    """
    parts, text_of, some_alone = _split_parts(tuple(texts))
    mentions: list[Words] = []
    number_of: dict[Words, int] = {}
    number_of_part = {"\x1e": -1}
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
    if not some_alone:
        return tuple(mentions), text_of, mention_of  # already numbered in order of first use
    used, first = np.unique(mention_of, return_index=True)
    by_first_use = used[np.argsort(first)]
    renumber = np.empty(len(mentions), dtype=np.intp)
    renumber[by_first_use] = np.arange(len(by_first_use))
    return tuple(mentions[i] for i in by_first_use.tolist()), text_of, renumber[mention_of]


def _split_parts(texts: Sequence[str]) -> tuple[npt.NDArray[np.object_], IntArray, bool]:
    """The folded parts of all ``texts`` (see ``people_mentions``), each part's text, and whether
    some texts were read alone (they come last, out of order).

    A "\\x1e" part ends a text of the joined pass: it names no one. The parts come as a numpy
    object array, which the cyclic collector never walks (a list of them it walked twice).
    """
    joined = "\x1d\x1e\x1d".join(texts)
    alone: list[int]
    if joined.isascii() and joined.count("\x1e") == len(texts) - 1 and joined.count("\x1d") == 2 * len(texts) - 2:
        alone = []  # the usual case, seen on the joined text at once
    else:
        alone = [i for i, text in enumerate(texts) if not text.isascii() or "\x1d" in text or "\x1e" in text]
    joined_at = np.delete(np.arange(len(texts)), alone)
    if alone:
        joined = "\x1d\x1e\x1d".join(texts[i] for i in joined_at.tolist())
    parts: list[str] = []
    text_of = [np.zeros(0, dtype=np.intp)]
    if len(joined_at):
        joined = joined.lower().translate(_PERSON_SPLIT_MARKS)
        parts = _PERSON_SPLIT_WORDS.sub("\x1d", joined).replace("'s ", " ").translate(_ASCII_PUNCTUATION).split("\x1d")
        ends = np.fromiter(map("\x1e".__eq__, parts), dtype=bool, count=len(parts))
        text_of.append(joined_at[np.cumsum(ends) - ends])  # the n-th text runs to the n-th end
    for i in alone:
        own = _people_parts(texts[i])
        parts += own
        text_of.append(np.full(len(own), i, dtype=np.intp))
    return _objects(parts), np.concatenate(text_of), bool(alone)


def _objects(values: list[str]) -> npt.NDArray[np.object_]:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
