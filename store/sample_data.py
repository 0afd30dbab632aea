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
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from . import codes as reporter_codes
from .config import ROLES
from .deadlines import WorkingCalendar, local_date
from .models import Adviser, AuditEvent, Message, Note, Report, database
from .reports import LIMITS, MESSAGE_LIMIT
from .sanitize import clean_text, one_line

# (username, display name, admin): the first one is the one tests and the demo sign in as.
ADVISERS = (
    ("ann", "Ann Adviser", True),
    ("bryn", "Bryn ap Dafydd", False),
    ("zofia", "Zofia Wiśniewska", False),
    ("layla", "ليلى حداد", False),
    ("sam", "Sam Okafor", False),
)

_ENGLISH = (
    "Someone keeps following me after the evening seminar.",
    "It has happened most weeks since October and I don't know who else to tell.",
    "He stands too close when I am at the bench and makes comments about my body.",
    "My line manager shouted at me in front of the whole team again today.",
    "I was told that if I complained it would affect my references.",
    "A group in my flat posts jokes about me in the group chat every night.",
    "I don't want to go to the police, but I don't want it to happen to anyone else.",
    "There were at least four other people there who saw it happen.",
    "I have screenshots of the messages if that helps.",
    "I'm worried that they will work out it was me who reported this.",
    "It happened again on Friday, after the lab meeting.",
    "Sorry this is so long, I've been keeping it in for months.",
    "Can I change tutorial groups without saying why?",
    "I didn't sleep last night. I keep going over it.",
    "Thank you for replying so quickly, it means a lot.",
    "I'd rather not give the name yet, but it's someone senior in the department.",
    "The door to the practice rooms is propped open at night and people wander in.",
    "Is there someone I could talk to in person, somewhere that isn't the department?",
)
_WELSH = (
    "Mae rhywun yn fy nilyn i ar ôl y seminar gyda'r nos.",
    "Dw i ddim eisiau i neb wybod mai fi sy'n ysgrifennu hwn.",
    "Digwyddodd hyn yn y llyfrgell ar yr ail lawr.",
    "Roedd e'n gweiddi arna i o flaen pawb yn y cyfarfod tîm.",
    "Diolch am ymateb mor gyflym, mae'n golygu llawer.",
    "Ydy hi'n bosib siarad â rhywun wyneb yn wyneb?",
    "Mae'n well gen i ysgrifennu yn Gymraeg, os yw hynny'n iawn.",
)
_POLISH = (
    "Ktoś chodzi za mną po wieczornym seminarium.",
    "Nie chcę, żeby ktokolwiek wiedział, że to ja piszę.",
    "To wydarzyło się w bibliotece na drugim piętrze.",
    "Mój współlokator śmieje się ze mnie przy wszystkich i zabiera mi rzeczy.",
    "Dziękuję za szybką odpowiedź, to dla mnie bardzo ważne.",
    "Czy mogę porozmawiać z kimś osobiście? Źle się z tym czuję.",
    "Zażółć gęślą jaźń — przepraszam, piszę z telefonu.",
)
_ARABIC = (
    "شخص ما يتبعني بعد الندوة المسائية.",
    "لا أريد أن يعرف أحد أنني من كتب هذا.",
    "حدث هذا في المكتبة في الطابق الثاني.",
    "كان يصرخ في وجهي أمام الجميع في اجتماع الفريق.",
    "شكراً على الرد السريع، هذا يعني لي الكثير.",
    "هل يمكنني التحدث مع شخص ما وجهاً لوجه؟",
)
_EMOJI = ("😟", "🙏", "👍🏽", "😢", "❤️", "👩‍💻", "👨‍👩‍👧", "🏳️‍🌈", "🧑🏿‍🦯", "🇬🇧", "🇵🇱", "🇺🇦", "🙇‍♀️", "😶‍🌫️")
_REPLIES = (
    "Thank you for telling us. You are in control of what happens next.",
    "I'm sorry this happened. Would it help to talk about support options, even if you don't want to make a formal complaint?",
    "We have asked security to check the corridor cameras for that evening.",
    "You can change tutorial groups without giving a reason; I can arrange it if you would like.",
    "Diolch am ysgrifennu atom. Gallwn barhau yn Gymraeg os yw'n well gennych chi.",
    "Dziękujemy za wiadomość. Możemy porozmawiać po polsku przez tłumacza, jeśli Pan/Pani woli.",
    "شكراً لتواصلك معنا. يمكننا ترتيب مترجم إذا كنت تفضل ذلك.",
    "Could you tell us roughly when this happened, and whether anyone else saw it?",
    "We'll keep this case open; write here whenever you are ready.",
    "Is it safe for us to reply here, or would you rather we waited until you write again?",
)
_NOTES = (
    "Called security; they will check the footage from the 3rd floor camera.",
    "Spoke to the head of department without naming the reporter.",
    "Possible link with another case about the same corridor — check the patterns screen.",
    "Handing over to a colleague while I am on leave; everything is in the thread.",
    "Reporter prefers Welsh; replies in Welsh from now on.",
    "Wellbeing team informed (no names).",
    "Waiting for the reporter before doing anything else.",
)
_PLACES = (
    "Library, second floor", "library 2nd floor", "the libary", "Chemistry building, lab 2.14",
    "Student union bar", "Halls, block C", "Sports centre changing rooms", "Bike sheds behind the sports centre",
    "Humanities block, 3rd floor corridor", "Llyfrgell, ail lawr", "Akademik, pokój 12", "مكتبة الجامعة",
    "Online (group chat)", "By email",
)
_PEOPLE = (
    "A postgraduate student in the same group", "My line manager", "An older member of the climbing society",
    "Man, tall, dark jacket", "Two students from my flat", "Dr J. Morgan", "someone senior in the department",
    "Pan Kowalski z akademika", "", "",
)
_OCCURRED = ("Last Tuesday evening", "Most weeks since October", "Saturday, around midnight", "Ongoing",
             "Nos Wener ddiwethaf", "W zeszły piątek", "", "Yesterday after the lab meeting")
_NAMES = ("Priya Shah", "Alex", "Rhiannon Pritchard", "Małgorzata Nowak", "Omar Haddad", "Sam Lee")


@dataclass
class Sample:
    """What ``build`` made, for the caller to find its way around."""

    now: dt.datetime
    advisers: list  # Adviser rows; the first is an admin
    report_ids: list  # oldest first
    longest: int  # id of the case with the longest thread
    codes: dict = field(default_factory=dict)  # reference → code, for the cases given a real code


def _cleaned(texts):
    return tuple(clean_text(text) for text in texts)


class _Writer:
    """Texts of every length and script, from one random stream.

    Built only from pieces already cleaned by ``store.sanitize`` and joined with
    spaces and line breaks, so every text is what the services would store
    (cleaning it again changes nothing; the tests check that) without cleaning
    megabytes character by character.
    """

    SCRIPTS = tuple(_cleaned(pool) for pool in (_ENGLISH, _WELSH, _POLISH, _ARABIC))
    EMOJI = _cleaned(_EMOJI)
    REPLIES = _cleaned(_REPLIES)

    def __init__(self, rng):
        self.rng = rng

    def sentence(self):
        text = self.rng.choice(self.rng.choices(self.SCRIPTS, weights=(70, 10, 10, 10))[0])
        if self.rng.random() < 0.15:
            text += " " + self.rng.choice(self.EMOJI)
        return text

    def paragraph(self, sentences):
        return " ".join(self.sentence() for _ in range(sentences))

    def unbroken(self):
        """A line no terminal is wide enough for: a long link, or a 300-character 'word'."""
        if self.rng.random() < 0.5:
            tail = "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyz0123456789") for _ in range(400))
            return f"https://drive.example.ac.uk/share/{tail}?usp=sharing"
        return "Heeeeeelp" + "e" * 291

    def body(self, size):
        """A message: "short", "long", "unbroken" or "limit" (exactly the service's limit)."""
        if size == "short":
            return self.paragraph(self.rng.randint(1, 3))
        if size == "unbroken":
            return "\n".join((self.paragraph(2), self.unbroken(), self.paragraph(1)))
        if size == "long":
            return "\n\n".join(self.paragraph(self.rng.randint(3, 8)) for _ in range(self.rng.randint(3, 12)))
        return self.at_limit(MESSAGE_LIMIT)

    def at_limit(self, limit):
        parts, length = [], 0
        while length < limit:
            part = self.paragraph(6) if len(parts) % 5 else self.unbroken()
            parts.append(part)
            length += len(part) + 2
        text = "\n\n".join(parts)[:limit].rstrip()
        return text + "." * (limit - len(text))

    def reply(self):
        text = self.rng.choice(self.REPLIES)
        if self.rng.random() < 0.2:
            text += "\n\n" + self.rng.choice(self.REPLIES)
        return text


def _minute(moment):
    """Reporter-side times are kept no finer than the minute (DESIGN.md, anonymity model)."""
    return moment.replace(second=0, microsecond=0)


def _reference(rng, taken):
    while True:
        reference = "TL-" + "".join(rng.choice(reporter_codes.ALPHABET) for _ in range(6))
        if reference not in taken:
            taken.add(reference)
            return reference


def _advisers(password, now):
    """The sample advisers; all share one password hash (one argon2 computation, not five)."""
    if password is None:
        password_hash = "!"  # matches no password: nobody can sign in
    else:
        from argon2 import PasswordHasher  # the same defaults as store.advisers

        password_hash = PasswordHasher().hash(password)
    made = []
    for index, (username, name, admin) in enumerate(ADVISERS):
        made.append(Adviser.create(username=username, display_name=name, password_hash=password_hash,
                                   is_admin=admin, created_at=now - dt.timedelta(days=400 - index)))
    return made


class _Case:
    """One case's story in time order, and the inbox columns it leaves behind.

    ``answered``: an adviser replies (or, without a conversation, records a first response);
    a case nobody answers stays "new" and becomes overdue once its due date has passed.
    ``longest``: the case with the longest thread, every message in place, notes in between.
    """

    def __init__(self, rng, writer, config, calendar, advisers, created, now, length, answered, longest=False):
        self.rng, self.writer, self.now, self.created = rng, writer, now, created
        self.answered = answered
        self.messages = []  # [at, author, adviser or None, body, read_at]
        self.notes = []  # (at, adviser, body)
        self.audit = []  # (at, adviser, action, detail)
        self.report = self._report(config, calendar, two_way=True if longest else None)
        if longest:
            self._long_thread(advisers, length)
        else:
            # An answered conversation holds at least the reply that answered it.
            self._thread(advisers, (max(length, 1) if answered else length) if self.report["two_way"] else 0)
        self._settle()

    def _report(self, config, calendar, two_way=None):
        rng, writer = self.rng, self.writer
        way = "named" if rng.random() < 0.25 else "anonymous"
        size = rng.choices(("short", "long", "unbroken", "limit"), weights=(50, 35, 10, 5))[0]
        if two_way is None:
            two_way = rng.random() < (0.85 if way == "anonymous" else 0.3)
        report = dict(
            way=way,
            role=rng.choice(tuple(ROLES)),
            category=rng.choice(config.categories),
            description=writer.body(size)[:LIMITS["description"]],
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
            report.update(contact_name=name, contact_email=f"{name.split()[0].lower()}@example.ac.uk",
                          contact_phone=rng.choice(("", "+44 7700 900123")))
        return report

    def _event(self, at, adviser, action, detail=""):
        self.audit.append((at, adviser, action, detail))

    def _assign(self, at, adviser):
        before = self.assignee.username if self.assignee is not None else "nobody"
        self._event(at, self.assignee or adviser, "assign", f"{before} → {adviser.username}")
        self.assignee = adviser

    def _reporter_message(self, at, size):
        self.messages.append([_minute(at), "reporter", None, self.writer.body(size), None])

    def _reply(self, at):
        self.messages.append([at, "adviser", self.assignee, self.writer.reply(), None])
        self._event(at, self.assignee, "reply")

    def _note(self, at, adviser, text):
        self.notes.append((at, adviser, clean_text(text)))
        self._event(at, adviser, "note")

    def _thread(self, advisers, length):
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
                self._reporter_message(at, rng.choices(("short", "long", "unbroken", "limit"), weights=(60, 25, 10, 5))[0])
            written += 1
            if self.answered and rng.random() < 0.8:  # mostly turn about; now and then one side writes twice
                author = "reporter" if author == "adviser" else "adviser"
        self.closed = self.answered and self.created < self.now - dt.timedelta(days=30) and rng.random() < 0.45

    def _long_thread(self, advisers, length):
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
                self._note(at, self.assignee, self.rng.choice(_NOTES))
        self.closed = False

    def _settle(self):
        """Read state, status and the inbox columns, as the services would have left them."""
        rng, report, now = self.rng, self.report, self.now
        replies = [m for m in self.messages if m[1] == "adviser"]
        actions = sorted([m[0] for m in replies] + [n[0] for n in self.notes])
        # An adviser reads the case whenever they act on it; most older cases were opened since.
        read_until = actions[-1] if actions else None
        if self.closed or (self.created < now - dt.timedelta(days=4) and rng.random() < (0.75 if self.answered else 0.3)):
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
                    message[4] = min(_minute(at + dt.timedelta(hours=rng.randint(3, 48))), _minute(now))
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
            preview=one_line(texts[-1], 120),
        )


def build(config, *, now, seed=1, cases=200, longest_thread=50, password=None, codes=0):
    """Fill an empty database; returns a ``Sample``.

    ``now``: the moment the story ends (naive UTC), so dates, ages and "overdue" are fixed.
    ``longest_thread``: messages in the one case with the longest conversation (50 by default).
    ``password``: what every sample adviser signs in with (None: nobody can sign in).
    ``codes``: how many open two-way cases get a real reporter code (returned in ``Sample.codes``).
    """
    rng = random.Random(seed)
    writer = _Writer(rng)
    calendar = WorkingCalendar(config.holiday_region)
    year = dt.timedelta(days=365)
    # Later in the year, more reports (a service that is becoming known), every one before now.
    created = sorted(_minute(now - year * rng.random() ** 1.6 - dt.timedelta(minutes=5)) for _ in range(cases))
    longest = cases // 2
    with database.atomic():
        advisers = _advisers(password, now)
        stories = [
            _Case(rng, writer, config, calendar, advisers, at, now,
                  longest_thread if index == longest else rng.choices(_LENGTHS, _LENGTH_WEIGHTS)[0],
                  answered=index == longest or rng.random() < (0.35 if now - at < dt.timedelta(days=2) else 0.95),
                  longest=index == longest)
            for index, at in enumerate(created)
        ]
        taken = set()
        rows = [dict(s.report, reference=_reference(rng, taken), code_hash=rng.randbytes(32) if s.report["two_way"] else None)
                for s in stories]
        issued = _real_codes(rows, codes)
        ids = [Report.insert(**row).execute() for row in rows]  # one by one: the threads need the ids
        _insert_threads(stories, ids, [row["reference"] for row in rows])
    return Sample(now=now, advisers=advisers, report_ids=ids, longest=ids[longest] if ids else None, codes=issued)


_LENGTHS = (0, 1, 2, 3, 5, 8, 12, 20, 30, 45)
_LENGTH_WEIGHTS = (20, 15, 15, 12, 12, 10, 6, 5, 3, 2)


def _real_codes(rows, count):
    """Give ``count`` open two-way cases (the most recent) a real reporter code; returns reference → code."""
    issued = {}
    for row in reversed(rows):
        if len(issued) >= count:
            break
        if row["two_way"] and row["status"] != "closed":
            code = reporter_codes.generate_code()
            row["code_hash"] = reporter_codes.hash_code(code)
            issued[row["reference"]] = code
    return issued


def _insert_threads(stories, ids, references):
    messages, notes, audit = [], [], []
    for story, report_id, reference in zip(stories, ids, references):
        messages += [dict(report=report_id, author=author, adviser=adviser.id if adviser else None, body=body,
                          created_at=at, read_at=read_at)
                     for at, author, adviser, body, read_at in story.messages]
        notes += [dict(report=report_id, adviser=adviser.id, body=body, created_at=at) for at, adviser, body in story.notes]
        audit += [dict(at=at, adviser_id=adviser.id if adviser else None, adviser_name=adviser.username if adviser else "",
                       action=action, report_id=report_id, reference=reference, detail=detail)
                  for at, adviser, action, detail in story.audit]
    # In time order across all cases, as they would have been written: ids follow time.
    for model, rows, key in ((Message, messages, "created_at"), (Note, notes, "created_at"), (AuditEvent, audit, "at")):
        rows.sort(key=lambda r: r[key])
        for start in range(0, len(rows), 100):
            model.insert_many(rows[start:start + 100]).execute()
