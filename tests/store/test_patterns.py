import dataclasses
import datetime as dt
import gc
import random
import sys
import threading

import pytest
from rapidfuzz import fuzz, process

from store import advisers, cases, casetext
from store import patterns as pattern_service
from store.config import Config
from store.errors import ValidationError
from store.models import Report, database
from store.patterns import (
    BUCKET_CAP,
    WORD_CUTOFF,
    ReportColumns,
    group_reports,
    location_groups_for,
    place_tokens,
    split_people,
)
from store.patterns.normalise import GENERIC_PLACE_WORDS, people_mentions, place_tokens_of
from store.patterns.people import PersonGrouper, names_compatible
from store.patterns.places import PlaceGrouper, place_match
from store.patterns.spelling import Speller
from store.reports import submit_report

NOW = dt.datetime(2026, 3, 2, 12, 0)

# Places and people are sealed: patterns are read with an adviser's keys, as the adviser app reads
# them. Each test with a database has an admin, "reader", created before its reports (so every
# case is sealed to them); calls without an adviser of their own use the reader's keys.
_READER: dict = {}


@pytest.fixture(autouse=True)
def reader(request):
    _READER.clear()
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        _READER["keyring"] = advisers.create_adviser("reader", "the reader's long password", is_admin=True).keyring
    yield
    _READER.clear()


def _keys(kwargs):
    if "adviser" not in kwargs and "keyring" not in kwargs:
        kwargs["keyring"] = _READER.get("keyring")
    return kwargs


def find_patterns(config, **kwargs):
    return pattern_service.find_patterns(config, **_keys(kwargs))


def active_pattern_count(config, **kwargs):
    return pattern_service.active_pattern_count(config, **_keys(kwargs))


def read_columns(config, days, **kwargs):
    return pattern_service.read_columns(config, days, **_keys(kwargs))


def report(config, location="", people="", category="Harassment", days_ago=1):
    form = {
        "way": "anonymous",
        "role": "student",
        "category": category,
        "description": "What happened.",
        "location": location,
        "people": people,
    }
    return submit_report(form, config, now=NOW - dt.timedelta(days=days_ago)).report


def groups_of(kind, config, **kwargs):
    return list(find_patterns(config, now=NOW, kinds=(kind,), **kwargs))


def same_group(kind, config, *report_ids, **kwargs):
    return any(set(report_ids) <= set(g.report_ids) for g in groups_of(kind, config, **kwargs))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Library 2nd floor", "library, second floor"),
        ("the libary", "Library"),
        ("LIBRARY!!", "outside the library"),
        ("Student Union bar", "students union bar"),
        ("Sports Hall", "sports hall, changing rooms"),
    ],
)
def test_places_typed_differently_group_together(db, config, a, b):
    first, second = report(config, location=a), report(config, location=b)
    assert same_group("location", config, first.id, second.id)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Library", "Labs"),
        ("Room 101", "Room 110"),
        ("Library 2nd floor", "Library 3rd floor"),
        ("Block A", "Block B"),
        ("North building", "South building"),
        ("Science building", "Arts building"),
    ],
)
def test_near_misses_do_not_group(db, config, a, b):
    first, second = report(config, location=a), report(config, location=b)
    assert not same_group("location", config, first.id, second.id)


def test_free_text_maps_to_the_known_location_name(db, config):
    config = dataclasses.replace(config, locations=("Main Library", "Sports Centre"))
    ids = [report(config, location=text).id for text in ("main libary", "Main library, 2nd floor", "MAIN LIBRARY")]
    group = next(g for g in groups_of("location", config) if g.label == "Main Library")
    assert set(ids) <= set(group.report_ids)
    assert group.is_pattern  # three reports, threshold 3


@pytest.mark.parametrize(
    "a, b",
    [
        ("Dr J. Smith", "John Smith (Dr)"),
        ("prof. john smith", "John Smith"),
        ("Dr Smith", "John Smith"),
        ("Mr Jonathon Price", "jonathan price"),
    ],
)
def test_people_written_differently_group_together(db, config, a, b):
    first, second = report(config, people=a), report(config, people=b)
    assert same_group("person", config, first.id, second.id)


def test_different_people_with_one_surname_stay_apart(db, config):
    jane, john = report(config, people="Jane Smith"), report(config, people="John Smith")
    assert not same_group("person", config, jane.id, john.id)


def test_a_people_field_naming_several_people_is_split(db, config):
    assert split_people("Dr J. Smith and his TA Mark") == [("j", "smith"), ("mark",)]
    both = report(config, people="Dr J. Smith and his TA Mark")
    smith = report(config, people="John Smith")
    mark = report(config, people="Mark")
    assert same_group("person", config, both.id, smith.id)
    assert same_group("person", config, both.id, mark.id)
    assert not same_group("person", config, smith.id, mark.id)


def test_ordinals_and_filler_words_normalise():
    assert place_tokens("Library, 2nd floor") == place_tokens("the library second floor") == ("library", "2")


def test_groups_carry_counts_dates_references_and_the_threshold(db, config):
    reports = [report(config, location="Library", days_ago=d) for d in (40, 20, 5)]
    group = next(g for g in groups_of("location", config, window=90))
    assert group.count == 3 and group.is_pattern
    assert group.first_at == reports[0].created_at and group.last_at == reports[-1].created_at
    assert group.references == [r.reference for r in reports]
    # A 30-day window sees only two of them: a group, not yet a pattern.
    recent = next(g for g in groups_of("location", config, window=30))
    assert recent.count == 2 and not recent.is_pattern


def test_category_groups_and_the_active_count(db, config):
    for _ in range(3):
        report(config, category="Bullying", location="Library")
    report(config, category="Assault", location="Gym")
    report(config, category="Assault", location="Car park")
    kinds = {(g.kind, g.label): g.is_pattern for g in find_patterns(config, now=NOW)}
    assert kinds[("category", "Bullying")] is True
    assert kinds[("category", "Assault")] is False
    assert kinds[("location", "Library")] is True
    assert active_pattern_count(config, now=NOW) == 2


def test_advisers_only_see_groups_of_cases_they_may_see(db, config):
    granted = {"keyring": _READER["keyring"]}  # made by an admin: on the roster at once
    alex = advisers.create_adviser("alex", "a long enough password", **granted)
    advisers.create_adviser("sam", "a long enough password", **granted)  # the first case goes to sam
    admin = advisers.create_adviser("root", "a long enough password", is_admin=True, **granted)
    ids = [report(config, location="Library").id for _ in range(3)]
    cases.assign(ids[0], admin, "sam", config)
    alex = advisers.sign_in("alex", "a long enough password")  # a fresh sign-in: rights and keys as now
    visible = find_patterns(config, now=NOW, adviser=alex, kinds=("location",))
    assert visible[0].report_ids == ids[1:]
    assert find_patterns(config, now=NOW, adviser=admin, kinds=("location",))[0].count == 3


@pytest.mark.parametrize("window", [7, "week", -30, 0])
def test_a_window_out_of_range_is_refused(db, config, window):
    with pytest.raises(ValidationError, match="30, 90 or 365"):
        find_patterns(config, window=window)


@pytest.mark.parametrize("threshold", [0, 1, -3, 5000, "3", True])
def test_a_threshold_out_of_range_is_refused(db, config, threshold):
    with pytest.raises(ValidationError, match="threshold"):
        find_patterns(config, threshold=threshold)


def test_hostile_text_does_not_break_matching(db, config):
    report(config, location="\u202e\x1b[31mLibrary", people="((((( ,,,, and and /")
    report(config, location="library")
    assert Report.select().count() == 2
    assert groups_of("location", config)[0].count == 2


def _spell_one_by_one(words):
    """The spelling rule of ``Speller``, one word at a time with ``process.extractOne``: the reference."""
    buckets, canonical = {}, {}
    for word in dict.fromkeys(words):
        found = None
        if len(word) >= 5 and not any(ch.isdigit() for ch in word):
            choices = [w for other in range(len(word) - 2, len(word) + 3) for w in buckets.get((word[0], other), ())]
            found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF) if choices else None
        if found:
            canonical[word] = found[0]
        else:
            canonical[word] = word
            bucket = buckets.setdefault((word[0], len(word)), [])
            if len(bucket) < BUCKET_CAP:
                bucket.append(word)
    return canonical


@pytest.mark.parametrize("seed, letters, typo_rate", [(7, "abcdef", 0.5), (8, "ab", 0.3), (9, "abcdefghijklmnop", 0.9)])
def test_bulk_spelling_correction_gives_what_one_by_one_matching_gives(seed, letters, typo_rate):
    """The speller scores in bulk and replays; it must spell every word as matching one by one does."""
    rng = random.Random(seed)
    base = ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(3000)]
    base += [word + str(rng.randint(0, 9)) for word in base[:200]]  # numbers are matched exactly only
    words = []
    for word in base * 3:
        if len(word) > 4 and rng.random() < typo_rate:
            i = rng.randrange(1, len(word) - 1)
            word = word[:i] + rng.choice(letters) + word[i + 1 :]  # a typo
        words.append(word)
    words = list(dict.fromkeys(words))
    fast = Speller()
    fast.learn(words)
    assert fast.canonical == _spell_one_by_one(words)
    assert sum(1 for w, c in fast.canonical.items() if w != c) > 50  # there were corrections to make
    in_two = Speller()  # what it learnt first is matched against later
    in_two.learn(words[:1000])
    in_two.learn(words[1000:])
    assert in_two.canonical == fast.canonical


def test_spelling_correction_with_many_corrections_before_a_bucket_fills():
    """Buckets that fill only after many corrected words make the speller widen its first look (the retry path)."""
    rng = random.Random(3)
    stems = ["".join(rng.choices("abc", k=7)) for _ in range(60)]
    words = [stem[:i] + rng.choice("abc") + stem[i + 1 :] for stem in stems for i in range(1, 6)] + stems
    words = list(dict.fromkeys(words))
    fast = Speller()
    fast.learn(words)
    assert fast.canonical == _spell_one_by_one(words)


def test_leaving_out_small_groups_early_changes_no_other_group(db, config):
    """find_patterns skips building groups that cannot reach min_count; the rest must be as without the skip."""
    rng = random.Random(11)
    places = ["Library", "library 2nd floor", "Sports hall", "Room 101", "Chemistry labs", "Block A"]
    people = ["John Smith", "Dr J. Smith", "Smith", "Laura Evans", "Prof Evans and Tom Wood"]
    for _ in range(150):
        noise = "".join(rng.choices("abcdefghij", k=rng.randint(4, 8)))
        report(
            config,
            location=rng.choice(places + [noise, noise + " building"]),
            people=rng.choice(people + [noise, f"{noise} Smith"]),
            days_ago=rng.randint(1, 80),
        )

    def shape(groups):
        return sorted((g.kind, g.label, tuple(g.report_ids), g.is_pattern, tuple(g.variants)) for g in groups)

    every = find_patterns(config, window=90, now=NOW, min_count=1)
    assert shape(find_patterns(config, window=90, now=NOW, min_count=2)) == shape(g for g in every if g.count >= 2)
    assert shape(find_patterns(config, window=90, now=NOW, min_count=4)) == shape(g for g in every if g.count >= 4)


def test_normalising_many_texts_at_once_gives_what_one_at_a_time_gives():
    """Places and people are folded in one pass over all the texts joined; each must come out as alone."""
    rng = random.Random(5)
    pieces = [
        "a",
        "B",
        " ",
        "'s ",
        "’s ",
        ",",
        ";",
        "&",
        "/",
        "+",
        "\n",
        "\t",
        "\x1d",
        "\x1e",
        "\x1c",
        "-",
        "_",
        ".",
        "é",
        "ß",
        "İ",
        "２",
        "2nd",
        "and",
        "with",
        "plus",
        "Dr.",
        "(",
        ")",
        "Library",
        "Smith",
        "ﬁ",
    ]
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(3000)]
    texts += ["John's and Mary's ", "x's\ny's z", "and", "Café's Bar", "\u202e\x1b[31mLibrary", "Smith, John"]
    places = [text.strip() for text in texts if text.strip()]
    for some in (places, [text for text in places if text.isascii() and "\n" not in text]):  # some alone, none alone
        assert list(place_tokens_of(some)) == [place_tokens(text) for text in some]
    for some in (texts, [text for text in texts if text.isascii() and "\x1d" not in text and "\x1e" not in text]):
        mentions, text_of, mention_of = people_mentions(some)
        each = [[] for _ in some]
        for text, mention in zip(text_of.tolist(), mention_of.tolist()):
            each[text].append(mentions[mention])
        assert each == [split_people(text) for text in some]
        first_use = list(dict.fromkeys(mention for text in some for mention in split_people(text)))
        assert list(mentions) == first_use


def test_place_grouping_scores_only_the_representatives_that_can_match():
    """PlaceGrouper skips representatives that fail place_match's word tests before scoring.

    The groups must be those of scoring every representative with place_match."""

    def reference(known, keys):
        reps = [(key, True) for _name, key in known]
        found = []
        for key in keys:
            best, best_score = None, 0
            for number, (rep, is_known) in enumerate(reps):
                if rep == key:
                    score = 101 if not GENERIC_PLACE_WORDS.issuperset(key) else 0
                else:
                    score = place_match(key, rep)
                score = score + 0.5 if score and is_known else score
                if score > best_score:
                    best, best_score = number, score
            if best is None:
                reps.append((key, False))
                best = len(reps) - 1
            found.append(best)
        return found

    rng = random.Random(13)
    vocabulary = [
        "library",
        "libary",
        "lab",
        "labs",
        "sport",
        "sports",
        "hall",
        "room",
        "building",
        "block",
        "main",
        "a",
        "b",
        "1",
        "2",
        "101",
        "110",
        "science",
        "art",
        "arts",
        "theatre",
        "lecture",
        "he",
        "th",
    ]
    keys = list(dict.fromkeys(tuple(sorted(set(rng.sample(vocabulary, rng.randint(1, 4))))) for _ in range(3000)))
    known = [
        ("Library", ("library",)),
        ("Room 101", ("101", "room")),
        ("Main building", ("building", "main")),
        ("Block A", ("a", "block")),
    ]
    grouper = PlaceGrouper(known)
    keys = [("101", "room"), ("building", "main")] + [key for key in keys if key not in {k for _n, k in known}]
    assert [grouper.assign(key) for key in keys] == reference(known, keys)


def test_person_grouping_looks_only_at_groups_a_name_can_join():
    """PersonGrouper skips groups whose representative's initial differs; same groups as scanning them all."""

    def reference(keys):
        reps, found = [], []
        for key in keys:
            surname, given = key[-1], key[:-1]
            for number, (rep_surname, rep_given) in enumerate(reps):
                if rep_surname == surname and names_compatible(given, rep_given):
                    if len(given) > len(rep_given) or (given and rep_given and len(given[0]) > len(rep_given[0])):
                        reps[number] = (surname, given)
                    found.append(number)
                    break
            else:
                reps.append((surname, given))
                found.append(len(reps) - 1)
        return found, reps

    rng = random.Random(17)
    names = ["j", "john", "jane", "jo", "m", "mark", "mary", "paul", "p", "a", "ahmed"]
    keys = [tuple(rng.sample(names, rng.randint(0, 2))) + (rng.choice(["smith", "jones", "wu"]),) for _ in range(2000)]
    rng.shuffle(keys)  # any order: the order find_patterns uses is one of them
    grouper = PersonGrouper()
    assert ([grouper.assign(key) for key in keys], grouper.reps) == reference(keys)


# Places and people as reporters type them: other scripts, emoji, typos, fields at their length limit.
PLACES_AS_TYPED = [
    "Library",
    "the libary",
    "LIBRARY, 2nd floor",
    "Llyfrgell y Brifysgol",
    "llyfrgell y brifysgol, ail lawr",
    "Biblioteka Główna",
    "biblioteka glowna",
    "المكتبة المركزية",
    "المكتبة المركزية 🙂",
    "Sports hall 🏀",
    "Room 101",
    "room 110",
    "Café Nero",
    "cafe nero",
    "Neuadd Chwaraeon",
    "x" * 200,
    "Library " + "ą" * 192,
]
PEOPLE_AS_TYPED = [
    "Dr J. Smith and his TA Mark",
    "John Smith",
    "Siân Llewelyn",
    "sian llewelyn",
    "Małgorzata Kowalska",
    "malgorzata kowalska / Jan Nowak",
    "محمد علي",
    "محمد علي and John Smith",
    "🙂🙂",
    "Smith, John",
    ", ".join(["Jan Nowak", "Siân Llewelyn", "Dr Smith"] * 60)[:1000],
]


def reports_as_typed(config, count, seed):
    """``count`` reports over 80 days naming the places and people above, as a busy term would."""
    rng = random.Random(seed)
    categories = list(config.categories)
    return [
        report(
            config,
            location=rng.choice(PLACES_AS_TYPED + [""]),
            people=rng.choice(PEOPLE_AS_TYPED + [""]),
            category=rng.choice(categories),
            days_ago=rng.randint(1, 80),
        )
        for _ in range(count)
    ]


def everything_about(groups):
    return [
        (g.kind, g.label, g.count, g.first_at, g.last_at, g.report_ids, g.references, g.is_pattern, g.variants)
        for g in groups
    ]


def test_grouping_columns_read_another_way_gives_what_find_patterns_gives(db, config):
    """group_reports takes plain columns, however they were read (here through the models, with
    datetimes, as a caller preparing the texts itself would); the groups are find_patterns' own."""
    config = dataclasses.replace(config, locations=("Library", "Sports hall"))
    reports_as_typed(config, 240, seed=21)
    expected = find_patterns(config, window=90, now=NOW, min_count=1)
    assert len({g.kind for g in expected}) == 3 and any(g.is_pattern for g in expected)
    models = list(Report.select().order_by(Report.created_at, Report.id))
    ring = _READER["keyring"]
    opened = [casetext.open_report(r, ring.case_key(r.id)) for r in models]  # the texts, opened by the caller
    columns = ReportColumns(
        ids=[r.id for r in models],
        references=[r.reference for r in models],
        created_at=[r.created_at for r in models],
        categories=[r.category for r in models],
        locations=[t.location for t in opened],
        people=[t.people for t in opened],
    )
    grouped = group_reports(columns, config, threshold=config.pattern_threshold, min_count=1)
    assert everything_about(grouped) == everything_about(expected)
    read = read_columns(config, 90, now=NOW)
    assert list(read.ids) == list(columns.ids) and list(read.locations) == list(columns.locations)
    assert everything_about(
        group_reports(read, config, threshold=3, kinds=("person",), min_count=2)
    ) == everything_about(find_patterns(config, window=90, now=NOW, kinds=("person",), threshold=3))


def test_sealed_details_read_in_batches_open_as_they_do_one_by_one(db, config):
    """read_columns opens keys and details in batches (keys wrapped or not, one copy damaged, one
    details text damaged, reports of the same minute) and gives what opening each alone gives."""
    from store.keyring import Keyring
    from store.models import CaseKey

    reports_as_typed(config, 60, seed=5)
    ring = _READER["keyring"]
    models = list(Report.select().order_by(Report.created_at, Report.id))
    assert len({r.created_at for r in models}) < len(models)  # some in the same minute: the id decides
    ring.case_keys([r.id for r in models[::2]])  # half the grants wrapped by an earlier session, half not
    damaged_copy, damaged_text = models[2], models[5]
    row = CaseKey.get((CaseKey.report == damaged_copy.id) & (CaseKey.adviser == ring.adviser_id))
    CaseKey.update(wrapped_key=bytes(row.wrapped_key[:-1]) + b"\0").where(CaseKey.id == row.id).execute()
    blob = bytearray(damaged_text.sealed_details)
    blob[-3] ^= 1
    Report.update(sealed_details=bytes(blob)).where(Report.id == damaged_text.id).execute()

    fresh = Keyring(ring.adviser_id, ring.private_key)  # nothing opened yet, as in a fresh process
    read = read_columns(config, 90, now=NOW, keyring=fresh)
    expected = []
    for r in Report.select().order_by(Report.created_at, Report.id):
        details = casetext.open_details(r.reference, ring.case_key(r.id), r.sealed_details)
        expected.append(
            (r.id, r.reference, details["location"] if details else None, details["people"] if details else None)
        )
    assert list(zip(read.ids, read.references, read.locations, read.people)) == expected
    assert expected[[e[0] for e in expected].index(damaged_text.id)][2:] == (None, None)
    assert dict(zip(read.ids, read.locations))[damaged_copy.id] is not None  # its sealed box still opens it
    assert fresh.case_key(damaged_copy.id) == ring.case_key(damaged_copy.id)


@pytest.mark.parametrize(
    "odd", [(), ("not json",), ("1,2",), ('"a text"', "[1, 2]"), ('{"location": 5, "people": null}',)]
)
def test_details_texts_of_any_shape_read_as_opening_each_alone_reads_them(db, config, odd):
    """read_columns reads the details of a batch at once, as one JSON array, and takes the two fields
    by C loops where every text is an object of texts; texts of other shapes (sealed by whoever holds
    a case key: not JSON, two values, not an object, fields missing or not texts) must read as
    casetext.open_details reads each alone, and so must the other texts of their batch."""
    from store.keyring import Keyring

    made = reports_as_typed(config, 40, seed=11)
    ring = _READER["keyring"]
    shapes = [*odd, '{"occurred": "Tuesday"}', '{"location": "", "people": ""}']
    for n, text in enumerate(shapes):
        report = Report.get_by_id(made[3 * n + 1].id)
        sealed = casetext.sealing.seal(ring.case_key(report.id), text, f"{report.reference}|details")
        Report.update(sealed_details=sealed).where(Report.id == report.id).execute()
    read = read_columns(config, 90, now=NOW, keyring=Keyring(ring.adviser_id, ring.private_key))
    expected = []
    for r in Report.select().order_by(Report.created_at, Report.id):
        details = casetext.open_details(r.reference, ring.case_key(r.id), r.sealed_details)
        expected.append((r.id, details["location"] if details else None, details["people"] if details else None))
    assert list(zip(read.ids, read.locations, read.people)) == expected
    assert sum(e[1:] == (None, None) for e in expected) == len(odd) - ('{"location": 5, "people": null}' in odd)


def test_a_window_without_reports_has_no_groups(db, config):
    report(config, location="Library", people="John Smith", days_ago=200)
    assert len(read_columns(config, 30, now=NOW)) == 0
    assert find_patterns(config, window=30, now=NOW, min_count=1) == []
    assert [g.count for g in find_patterns(config, window=365, now=NOW, min_count=1)] == [1, 1, 1]


def test_report_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="one entry per report"):
        ReportColumns(
            ids=[1, 2],
            references=["TL-1"],
            created_at=[NOW, NOW],
            categories=["a", "b"],
            locations=["", ""],
            people=["", ""],
        )


def test_grouping_columns_refuses_a_bad_threshold_or_kind(config):
    columns = ReportColumns(
        ids=[1], references=["TL-1"], created_at=[NOW], categories=["Bullying"], locations=["Library"], people=[None]
    )
    with pytest.raises(ValidationError, match="threshold"):
        group_reports(columns, config, threshold=1)
    with pytest.raises(ValidationError, match="Unknown pattern kind 'place'"):
        group_reports(columns, config, threshold=3, kinds=("place",))
    assert [g.label for g in group_reports(columns, config, threshold=3)] == ["Bullying", "Library"]  # ties: by kind


def test_finding_patterns_leaves_the_cycle_collector_alone(db, config):
    """The collector is process-wide: switching it off here would switch it off for every thread of
    the adviser app while a worker groups. No gc function may be called while finding patterns."""
    reports_as_typed(config, 60, seed=4)
    calls = []

    def watch(_frame, event, function):
        if event == "c_call" and getattr(function, "__module__", None) == "gc":
            calls.append(function.__name__)

    sys.setprofile(watch)
    try:
        groups = find_patterns(config, window=90, now=NOW)
    finally:
        sys.setprofile(None)
    assert groups and calls == [] and gc.isenabled()


def test_advisers_finding_patterns_at_once_each_get_what_one_alone_gets(db, config):
    """The adviser app groups in worker threads, and two advisers (or the inbox count and the patterns
    screen) may group at once: nothing is shared between the calls but the word caches."""
    alex = advisers.create_adviser("alex", "a long enough password")
    admin = advisers.create_adviser("root", "a long enough password", is_admin=True)
    made = reports_as_typed(config, 150, seed=8)
    for taken in made[::4]:
        cases.assign(taken.id, admin, "root", config)  # alex sees the others only
    alone = {
        who.username: everything_about(find_patterns(config, window=90, now=NOW, adviser=who, min_count=1))
        for who in (alex, admin)
    }
    assert sum(count for _kind, _label, count, *_rest in alone["alex"]) < sum(
        count for _kind, _label, count, *_rest in alone["root"]
    )
    barrier, found, errors = threading.Barrier(4), [], []

    def adviser_groups(who):
        try:
            barrier.wait(30)
            found.append(
                (who.username, everything_about(find_patterns(config, window=90, now=NOW, adviser=who, min_count=1)))
            )
        except Exception as exc:  # any failure is the test's answer, shown below
            errors.append(repr(exc))
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=adviser_groups, args=(who,)) for who in (alex, admin, alex, admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and len(found) == 4
    assert all(groups == alone[name] for name, groups in found)


def _typed(rng, place):
    """A place as people type it: case, a few extra words, a letter dropped, doubled or swapped."""
    text = rng.choice(
        [place, place.lower(), place.upper(), f"outside the {place}", f"{place}, 2nd floor", f"near {place}"]
    )
    if len(text) > 4 and rng.random() < 0.6:
        i = rng.randrange(1, len(text) - 2)
        text = rng.choice(
            [text[:i] + text[i + 1 :], text[:i] + text[i] + text[i:], text[:i] + text[i + 1] + text[i] + text[i + 2 :]]
        )
    return text


def test_known_place_made_once_per_configuration_names_what_the_whole_grouping_names():
    """reports.known_place asks KnownPlaces (the configured places' speller and keys, made once per
    configuration) instead of grouping the one location with location_groups: for 3,000 locations as
    people type them, repeating configured words or not (and the typed ones above), the same place."""
    from store.patterns.places import KnownPlaces, known_places
    from store.reports import OTHER_PLACE, known_place

    config = Config(
        locations=("Library", "Sports hall", "Student union", "Room 101", "Main building", "Library annex"),
        texts={"cy": {"locations": {"Library": "Llyfrgell", "Sports hall": "Neuadd Chwaraeon"}}},
    )
    assert known_places(config) is known_places(config)  # made once
    places = KnownPlaces(config.locations, config.location_names().items())
    rng = random.Random(12)
    others = [
        "Libary",
        "Liberry",
        "Sprots hal",
        "Studnet unoin",
        "Llyfrgel",
        "Neuad Chwareon",
        "Labs",
        "Lecture theatre",
    ]
    locations = PLACES_AS_TYPED + ["", "   ", "!!", "Main building", "the building", "Room 110", "library library"]
    locations += [_typed(rng, rng.choice(list(config.locations) + others)) for _ in range(3000)]
    repeating = 0
    for location in locations:
        whole = location_groups_for([(0, location)], config).get(0, "")
        assert places.place_of(location) == whole, location
        expected = "" if not location else (whole if whole in config.locations else OTHER_PLACE)
        assert known_place(location, config) == expected, location
        repeating += bool(set(place_tokens(location)) & set(places.counts))
    assert 500 < repeating < len(locations) - 500  # both kinds were asked
