"""One case's story, told in time order: the report, the thread, notes, hand-overs, read state, status.

``Writer`` makes the texts (every length and script, from one random stream);
``Case`` decides what happens to a case and leaves behind the columns the
services would have left (see the package's docstring).
"""

import datetime as dt
import random
from typing import Any

from ..clock import local_date
from ..config import ROLES, Config
from ..deadlines import WorkingCalendar
from ..models import Adviser
from ..reports import LIMITS, MESSAGE_LIMIT
from ..sanitize import clean_text
from .texts import (
    _ARABIC,
    _EMOJI,
    _ENGLISH,
    _NAMES,
    _NOTES,
    _OCCURRED,
    _PEOPLE,
    _PLACES,
    _POLISH,
    _REPLIES,
    _WELSH,
)


def cleaned(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(clean_text(text) for text in texts)


class Writer:
    """Texts of every length and script, from one random stream.

    Built only from pieces already cleaned by ``store.sanitize`` and joined with
    spaces and line breaks, so every text is what the services would store
    (cleaning it again changes nothing; the tests check that) without cleaning
    megabytes character by character.
    """

    SCRIPTS = tuple(cleaned(pool) for pool in (_ENGLISH, _WELSH, _POLISH, _ARABIC))
    EMOJI = cleaned(_EMOJI)
    REPLIES = cleaned(_REPLIES)

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        text = self.rng.choice(self.rng.choices(self.SCRIPTS, weights=(70, 10, 10, 10))[0])
        if self.rng.random() < 0.15:
            text += " " + self.rng.choice(self.EMOJI)
        return text

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def unbroken(self) -> str:
        """A line no terminal is wide enough for: a long link, or a 300-character 'word'."""
        if self.rng.random() < 0.5:
            tail = "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyz0123456789") for _ in range(400))
            return f"https://drive.example.ac.uk/share/{tail}?usp=sharing"
        return "Heeeeeelp" + "e" * 291

    def body(self, size: str) -> str:
        """A message: "short", "long", "unbroken" or "limit" (exactly the service's limit)."""
        if size == "short":
            return self.paragraph(self.rng.randint(1, 3))
        if size == "unbroken":
            return "\n".join((self.paragraph(2), self.unbroken(), self.paragraph(1)))
        if size == "long":
            return "\n\n".join(self.paragraph(self.rng.randint(3, 8)) for _ in range(self.rng.randint(3, 12)))
        return self.at_limit(MESSAGE_LIMIT)

    def at_limit(self, limit: int) -> str:
        parts: list[str] = []
        length = 0
        while length < limit:
            part = self.paragraph(6) if len(parts) % 5 else self.unbroken()
            parts.append(part)
            length += len(part) + 2
        text = "\n\n".join(parts)[:limit].rstrip()
        return text + "." * (limit - len(text))

    def reply(self) -> str:
        text = self.rng.choice(self.REPLIES)
        if self.rng.random() < 0.2:
            text += "\n\n" + self.rng.choice(self.REPLIES)
        return text


def minute(moment: dt.datetime) -> dt.datetime:
    """Reporter-side times are kept no finer than the minute (the anonymity model: see ARCHITECTURE.md)."""
    return moment.replace(second=0, microsecond=0)


class Case:
    """One case's story in time order, and the inbox columns it leaves behind.

    ``answered``: an adviser replies (or, without a conversation, records a first response);
    a case nobody answers stays "new" and becomes overdue once its due date has passed.
    ``longest``: the case with the longest thread, every message in place, notes in between.
    """

    def __init__(
        self,
        rng: random.Random,
        writer: Writer,
        config: Config,
        calendar: WorkingCalendar,
        advisers: list[Adviser],
        created: dt.datetime,
        now: dt.datetime,
        length: int,
        answered: bool,
        longest: bool = False,
    ) -> None:
        self.rng, self.writer, self.now, self.created = rng, writer, now, created
        self.answered = answered
        self.closed = False
        self.assignee: Adviser | None = None
        self.messages: list[list[Any]] = []  # [at, author, adviser or None, body, read_at]
        self.notes: list[tuple[dt.datetime, Adviser, str]] = []  # (at, adviser, body)
        self.audit: list[tuple[dt.datetime, Adviser | None, str, str]] = []  # (at, adviser, action, detail)
        self.report = self._report(config, calendar, two_way=True if longest else None)
        if longest:
            self._long_thread(advisers, length)
        else:
            # An answered conversation holds at least the reply that answered it.
            self._thread(advisers, (max(length, 1) if answered else length) if self.report["two_way"] else 0)
        self._settle()

    def _report(self, config: Config, calendar: WorkingCalendar, two_way: bool | None = None) -> dict[str, Any]:
        rng, writer = self.rng, self.writer
        way = "named" if rng.random() < 0.25 else "anonymous"
        size = rng.choices(("short", "long", "unbroken", "limit"), weights=(50, 35, 10, 5))[0]
        if two_way is None:
            two_way = rng.random() < (0.85 if way == "anonymous" else 0.3)
        report = dict(
            way=way,
            role=rng.choice(tuple(ROLES)),
            category=rng.choice(config.categories),
            description=writer.body(size)[: LIMITS["description"]],
            occurred=clean_text(rng.choice(_OCCURRED), multiline=False),
            location=clean_text(rng.choice(_PLACES + tuple(config.locations)), multiline=False),
            people=clean_text(rng.choice(_PEOPLE)),
            wants_support=rng.random() < 0.5,
            two_way=two_way,
            created_at=self.created,
            due_on=calendar.add_working_days(local_date(self.created, config.timezone), config.response_working_days),
        )
        if way == "named":
            name = rng.choice(_NAMES)
            report.update(
                contact_name=name,
                contact_email=f"{name.split()[0].lower()}@example.ac.uk",
                contact_phone=rng.choice(("", "+44 7700 900123")),
            )
        return report

    def _event(self, at: dt.datetime, adviser: Adviser | None, action: str, detail: str = "") -> None:
        self.audit.append((at, adviser, action, detail))

    def _assign(self, at: dt.datetime, adviser: Adviser) -> None:
        before = self.assignee.username if self.assignee is not None else "nobody"
        self._event(at, self.assignee or adviser, "assign", f"{before} → {adviser.username}")
        self.assignee = adviser

    def _reporter_message(self, at: dt.datetime, size: str) -> None:
        self.messages.append([minute(at), "reporter", None, self.writer.body(size), None])

    def _reply(self, at: dt.datetime) -> None:
        self.messages.append([at, "adviser", self.assignee, self.writer.reply(), None])
        self._event(at, self.assignee, "reply")

    def _note(self, at: dt.datetime, adviser: Adviser, text: str) -> None:
        self.notes.append((at, adviser, clean_text(text)))
        self._event(at, adviser, "note")

    def _thread(self, advisers: list[Adviser], length: int) -> None:
        """Replies, reporter messages, notes and a hand-over now and then, from the report up to now."""
        rng = self.rng
        span = min(self.now - self.created, dt.timedelta(days=rng.choice((1, 3, 14, 60, 120))))
        moments = sorted(self.created + span * rng.random() for _ in range(length + length // 4 + 2))
        moments = [m for m in moments if m < self.now - dt.timedelta(minutes=2)]
        self.assignee = None
        if moments and rng.random() < 0.8:
            self._assign(moments[0], rng.choice(advisers))
        handover_at = len(moments) // 2 if rng.random() < 0.25 and len(moments) > 4 else None
        author = "adviser" if self.answered else "reporter"
        written = 0
        for index, at in enumerate(moments):
            if index == handover_at and self.assignee is not None:
                successor = rng.choice([a for a in advisers if a.id != self.assignee.id])
                self._note(at, self.assignee, f"Handing over to {successor.display_name}; all in the thread.")
                self._assign(at, successor)
                continue
            if self.assignee is None and author == "adviser":
                self._assign(at, rng.choice(advisers))  # whoever answers an unassigned case takes it
            if written >= length:
                break
            if index % 5 == 4 and rng.random() < 0.6:
                if self.assignee is not None:
                    self._note(at, self.assignee, rng.choice(_NOTES))
                continue
            if author == "adviser":
                self._reply(at)
            else:
                size = rng.choices(("short", "long", "unbroken", "limit"), weights=(60, 25, 10, 5))[0]
                self._reporter_message(at, size)
            written += 1
            if self.answered and rng.random() < 0.8:  # mostly turn about; now and then one side writes twice
                author = "reporter" if author == "adviser" else "adviser"
        self.closed = self.answered and self.created < self.now - dt.timedelta(days=30) and rng.random() < 0.45

    def _long_thread(self, advisers: list[Adviser], length: int) -> None:
        """Exactly ``length`` messages taking turns, a note after every fifth, one hand-over half way."""
        self.assignee = None
        self._assign(self.created, advisers[1])
        span = min(self.now - self.created - dt.timedelta(hours=1), dt.timedelta(days=90))
        step = span / (length + length // 5 + 1)
        at = self.created
        sizes = ("long", "short", "unbroken", "short", "limit")
        for index in range(length):
            at += step
            if index == length // 2:
                self._assign(at, advisers[2])
            if index % 2 == 0:
                self._reply(at)
            else:
                self._reporter_message(at, sizes[(index // 2) % len(sizes)])
            if index % 5 == 4:
                at += step
                self._note(at, self.assignee or advisers[1], self.rng.choice(_NOTES))  # (assigned above)
        self.closed = False

    def _settle(self) -> None:
        """Read state, status and the inbox columns, as the services would have left them."""
        rng, report, now = self.rng, self.report, self.now
        replies = [m for m in self.messages if m[1] == "adviser"]
        actions = sorted([m[0] for m in replies] + [n[0] for n in self.notes])
        # An adviser reads the case whenever they act on it; most older cases were opened since.
        read_until = actions[-1] if actions else None
        old_enough = self.created < now - dt.timedelta(days=4)  # the draw below only then: a seed keeps its data
        if self.closed or (old_enough and rng.random() < (0.75 if self.answered else 0.3)):
            read_until = now - dt.timedelta(hours=rng.randint(1, 72))
        elif read_until is None and rng.random() < 0.4:
            read_until = min(self.created + dt.timedelta(hours=rng.randint(1, 20)), now - dt.timedelta(minutes=30))
        adviser_read_at = (actions[0] if actions else read_until) if read_until is not None else None
        unread = []
        for message in self.messages:
            at = message[0]
            if message[1] == "reporter":
                following = [a for a in actions if a >= at]
                if following:
                    message[4] = following[0]
                elif read_until is not None and read_until >= at:
                    message[4] = read_until
                else:
                    unread.append(at)
            else:  # the reporter saw a reply when they next wrote, or came back just to look
                later = [m[0] for m in self.messages if m[1] == "reporter" and m[0] >= at]
                if later:
                    message[4] = later[0]
                elif rng.random() < 0.6 and at + dt.timedelta(hours=3) < now:
                    message[4] = min(minute(at + dt.timedelta(hours=rng.randint(3, 48))), minute(now))
        first_response = replies[0][0] if replies else None
        if first_response is None and self.answered and not report["two_way"]:
            # No conversation: answered by phone or e-mail and recorded (record_first_response).
            first_response = min(self.created + dt.timedelta(hours=rng.randint(2, 60)), now - dt.timedelta(minutes=1))
        status = "new" if first_response is None else "open"
        if self.messages and self.messages[-1][1] == "adviser" and rng.random() < 0.5:
            status = "waiting"
        closed_at = None
        if self.closed:
            status = "closed"
            last = max([self.created] + [m[0] for m in self.messages] + [n[0] for n in self.notes])
            closed_at = min(last + dt.timedelta(days=rng.randint(1, 10)), now - dt.timedelta(hours=1))
            self._event(closed_at, self.assignee, "status", "open → closed")
        if adviser_read_at is not None:
            self._event(adviser_read_at, self.assignee, "case_viewed")
        reporter_seen = [m[0] for m in self.messages if m[1] == "reporter"] + [m[4] for m in replies if m[4]]
        unread_since = unread + ([] if adviser_read_at is not None else [self.created])
        texts = [report["description"]] + [m[3] for m in self.messages if m[1] == "reporter"]
        report.update(
            status=status,
            assignee=self.assignee.id if self.assignee is not None else None,
            first_response_at=first_response,
            closed_at=closed_at,
            reporter_last_seen_at=max(reporter_seen) if reporter_seen else None,
            adviser_read_at=adviser_read_at,
            unread_count=len(unread) + (adviser_read_at is None),
            unread_since=min(unread_since) if unread_since else None,
            last_activity_at=max([self.created] + [m[0] for m in self.messages]),
            preview=texts[-1],  # sealed, one line, when written (sample_data._sealed)
        )


LENGTHS = (0, 1, 2, 3, 5, 8, 12, 20, 30, 45)
LENGTH_WEIGHTS = (20, 15, 15, 12, 12, 10, 6, 5, 3, 2)
