"""Believable data for tests, snapshots and ``tellus demo``: a year of cases as people really write them.

``build(config, now=…, seed=…)`` fills an empty database with (by default)
200 cases received over the year before ``now``: threads of up to 50
messages, messages up to the length limit, long unbroken lines (links, a
300-character "word"), emoji (skin tones, ZWJ sequences, flags), Welsh,
Polish and Arabic next to English, internal notes, cases handed from one
adviser to another, closed cases and overdue ones.

The same seed and ``now`` give the same rows, so snapshots do not drift.
Rows are written straight through the models (a few bulk inserts, so the
fixture costs well under a second) but hold what the services would have
written for the same story: text cleaned as ``store.sanitize`` cleans it,
reporter-side times to the minute, due dates from the working calendar,
unread counts, unread-since, previews and last activity kept as
``store.conversation`` keeps them, ``first_response_at`` at the first
reply, and audit entries for the replies, notes, assignments and closures.

Only ``codes`` cases get a real code (argon2 is slow and the codes are
random, so those few hashes are the one thing a seed does not fix); every
other two-way case holds a random digest that no code matches.

Everything is sealed as the services seal it (store/casetext.py): each case
has its own key, sealed to the advisers who may see it and to the recovery
key if the install has one. The advisers' private keys share one salt (one
argon2id for all five, they share a password too); keys are random, so the
sealed bytes differ from run to run while every opened text is the same.
"""

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from .. import casetext, keys, roster, sealing
from .. import codes as reporter_codes
from ..config import Config
from ..deadlines import WorkingCalendar
from ..keyring import Keyring
from ..models import Adviser, AuditEvent, Message, Note, Report, database
from ..reports import known_place
from . import showcase as showcase_stories
from .stories import LENGTH_WEIGHTS, LENGTHS, Case, Writer, minute

# (username, display name, admin): the first one is the one tests and the demo sign in as.
ADVISERS = (
    ("ann", "Ann Adviser", True),
    ("bryn", "Bryn ap Dafydd", False),
    ("zofia", "Zofia Wiśniewska", False),
    ("layla", "ليلى حداد", False),
    ("sam", "Sam Okafor", False),
)


@dataclass
class Sample:
    """What ``build`` made, for the caller to find its way around."""

    now: dt.datetime
    advisers: list[Adviser]  # the first is an admin
    report_ids: list[int]  # oldest first
    longest: int | None  # id of the case with the longest thread (None: no cases)
    codes: dict[str, str] = field(default_factory=dict)  # reference → code, for the cases given a real code
    showcase: showcase_stories.Showcase | None = None  # with showcase=True (tellus demo)


def _reference(rng: random.Random, taken: set[str]) -> str:
    while True:
        reference = "TL-" + "".join(rng.choice(reporter_codes.ALPHABET) for _ in range(6))
        if reference not in taken:
            taken.add(reference)
            return reference


def _advisers(password: str | None, now: dt.datetime) -> list[Adviser]:
    """The sample advisers; all share one password hash (one argon2 computation, not five)."""
    if password is None:
        password_hash = "!"  # matches no password: nobody can sign in
    else:
        from argon2 import PasswordHasher  # the same defaults as store.advisers

        password_hash = PasswordHasher().hash(password)
    salt = secrets.token_bytes(16)
    # Without a password the keys are sealed under a random one: nobody can open them either.
    wrapping = sealing.password_key(password if password is not None else secrets.token_hex(16), salt)
    made = []
    for index, (username, name, admin) in enumerate(ADVISERS):
        pair = sealing.KeyPair.generate()
        adviser = Adviser.create(
            username=username,
            display_name=name,
            password_hash=password_hash,
            is_admin=admin,
            created_at=now - dt.timedelta(days=400 - index),
            public_key=pair.public,
            sealed_private_key=sealing.seal(wrapping, pair.private, "adviser private key"),
            key_salt=salt,
            key_params=sealing.password_params_json(),
        )
        adviser.keyring = Keyring(adviser.id, pair.private)  # as if signed in (the demo and tests start so)
        made.append(adviser)
    return made


def build(
    config: Config,
    *,
    now: dt.datetime,
    seed: int = 1,
    cases: int = 200,
    longest_thread: int = 50,
    password: str | None = None,
    codes: int = 0,
    showcase: bool = False,
) -> Sample:
    """Fill an empty database; returns a ``Sample``.

    ``now``: the moment the story ends (naive UTC), so dates, ages and "overdue" are fixed.
    ``longest_thread``: messages in the one case with the longest conversation (50 by default).
    ``password``: what every sample adviser signs in with (None: nobody can sign in).
    ``codes``: how many open two-way cases get a real reporter code (returned in ``Sample.codes``).
    ``showcase``: ``tellus demo``'s additions (see showcase.py), on top of the same year.
    """
    rng = random.Random(seed)
    writer = Writer(rng)
    calendar = WorkingCalendar(config.holiday_region)
    year = dt.timedelta(days=365)
    # Later in the year, more reports (a service that is becoming known), every one before now.
    created = sorted(minute(now - year * rng.random() ** 1.6 - dt.timedelta(minutes=5)) for _ in range(cases))
    longest = cases // 2
    with database.atomic():
        advisers = _advisers(password, now)
        roster.establish(advisers[0])  # the first admin's roster, as a new install has it
        stories = [
            Case(
                rng,
                writer,
                config,
                calendar,
                advisers,
                at,
                now,
                longest_thread if index == longest else rng.choices(LENGTHS, LENGTH_WEIGHTS)[0],
                answered=index == longest or rng.random() < (0.35 if now - at < dt.timedelta(days=2) else 0.95),
                longest=index == longest,
            )
            for index, at in enumerate(created)
        ]
        if showcase:
            for story in stories:
                showcase_stories.quiet(story.report, now)
        taken: set[str] = set()
        rows = [
            dict(
                s.report, reference=_reference(rng, taken), code_hash=rng.randbytes(32) if s.report["two_way"] else None
            )
            for s in stories
        ]
        case_keys = [sealing.new_key() for _ in rows]
        issued = _real_codes(rows, codes, case_keys)
        ids = []
        for row, key in zip(rows, case_keys):  # one by one: the threads need the ids
            report = Report.get_by_id(Report.insert(**_sealed(row, key, config)).execute())
            keys.seal_new_case(report, key, config)
            ids.append(report.id)
        _insert_threads(stories, ids, [row["reference"] for row in rows], case_keys)
    sample = Sample(now=now, advisers=advisers, report_ids=ids, longest=ids[longest] if ids else None, codes=issued)
    if showcase and sample.longest is not None:
        sample.showcase = showcase_stories.add_showcase(config, now, sample.longest)
    return sample


def _sealed(row: dict[str, Any], key: bytes, config: Config) -> dict[str, Any]:
    """A story's report row as the store keeps it: its texts sealed with the case key."""
    texts = {name: row.pop(name, "") for name in ("description", *casetext.DETAIL_FIELDS, *casetext.CONTACT_FIELDS)}
    preview = row.pop("preview", "")
    sealed = casetext.seal_report(row["reference"], key, texts)
    sealed["sealed_preview"] = casetext.seal_preview(row["reference"], key, preview)
    assignee = row.get("assignee")
    assignee_id = assignee.id if isinstance(assignee, Adviser) else assignee
    sealed["sealed_assignment"] = casetext.seal_assignment(row["reference"], key, assignee_id)
    return dict(row, place=known_place(texts["location"], config), **sealed)


def _real_codes(rows: list[dict[str, Any]], count: int, case_keys: list[bytes]) -> dict[str, str]:
    """Give ``count`` open two-way cases (the most recent) a real reporter code; returns reference → code."""
    issued: dict[str, str] = {}
    for row, key in reversed(list(zip(rows, case_keys))):
        if len(issued) >= count:
            break
        if row["two_way"] and row["status"] != "closed":
            code = reporter_codes.generate_code()
            digest = reporter_codes.hash_code(code)
            row["code_hash"] = sealing.code_lookup(digest)
            row["code_key"] = sealing.wrap(sealing.code_unwrap_key(digest), key, f"{row['reference']}|code")
            issued[row["reference"]] = code
    return issued


def _insert_threads(stories: list[Case], ids: list[int], references: list[str], case_keys: list[bytes]) -> None:
    messages: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    audit: list[dict[str, Any]] = []
    for story, report_id, reference, key in zip(stories, ids, references, case_keys):
        messages += [
            dict(
                report=report_id,
                author=author,
                adviser=adviser.id if adviser else None,
                body=(reference, key, body),
                created_at=at,
                read_at=read_at,
            )
            for at, author, adviser, body, read_at in story.messages
        ]
        notes += [
            dict(report=report_id, adviser=adviser.id, body=(reference, key, body), created_at=at)
            for at, adviser, body in story.notes
        ]
        audit += [
            dict(
                at=at,
                adviser_id=adviser.id if adviser else None,
                adviser_name=adviser.username if adviser else "",
                action=action,
                report_id=report_id,
                reference=reference,
                detail=detail,
            )
            for at, adviser, action, detail in story.audit
        ]
    # In time order across all cases, as they would have been written: ids follow time. The
    # tables start empty, so each row's id is known before it is written, and sealed bodies bind it.
    for kind, rows in (("message", messages), ("note", notes)):
        rows.sort(key=lambda r: r["created_at"])
        first = 1 + ((Message if kind == "message" else Note).select(pw.fn.MAX(pw.SQL("id"))).scalar() or 0)
        for number, row in enumerate(rows, start=first):
            reference, case_key, body = row.pop("body")
            author = row.get("author", "adviser")
            row["id"] = number
            adviser_id = row["adviser"] if author == "adviser" else None
            row["sealed_body"] = casetext.seal_body(
                reference, case_key, kind, number, author, body, adviser_id=adviser_id
            )
    for model, rows, order in (
        (Message, messages, "created_at"),
        (Note, notes, "created_at"),
        (AuditEvent, audit, "at"),
    ):
        rows.sort(key=lambda r: r[order])
        for start in range(0, len(rows), 100):
            model.insert_many(rows[start : start + 100]).execute()
