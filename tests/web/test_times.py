"""Reporter-side times are stored no finer than the minute (see ARCHITECTURE.md, anonymity).

A time to the second (let alone the microsecond) lines up with a network log
kept elsewhere — the proxy's, the university's, an ISP's — and names the
person. So whatever a reporter does is stamped with the minute only, and the
thread keeps its order by id rather than by time.
"""

import datetime as dt

from store import advisers
from store.conversation import add_note, post_adviser_reply, thread
from store.models import Message, Note, Report, database

from .support import new_conversation, token_of, web

REPORTER_SIDE = {
    "report": ["created_at", "last_activity_at", "unread_since", "reporter_last_seen_at"],
    "reporter_session": ["created_at", "last_seen_at", "expires_at"],
    "form_token": ["created_at", "used_at"],
}


def raw(sql):
    """Values as the database file holds them (SQLite: text; PostgreSQL: timestamps)."""
    return database.execute_sql(sql).fetchall()


def whole_minute(value):
    if isinstance(value, str):  # SQLite keeps what peewee wrote, e.g. "2026-11-23 09:41:00"
        if "." in value:
            return False
        value = dt.datetime.fromisoformat(value)
    return value.second == 0 and value.microsecond == 0


def test_a_whole_journey_through_the_site_stores_reporter_times_to_the_minute(db, config):
    app = web(config)
    new_conversation(app)  # report (two-way), code, log in
    report = Report.get()
    robin = advisers.create_adviser("robin", "a long enough passphrase 3")
    post_adviser_reply(report.id, robin, "We are here; tell us more when you can.")
    add_note(report.id, robin, "Check the library rota.")
    page = app.get("/conversation")  # the reporter reads the reply
    app.post("/conversation", {"csrf_token": token_of(page), "body": "Thank you. It was on Tuesday."}, status=303)
    app.get("/conversation")

    for table, columns in REPORTER_SIDE.items():
        rows = raw(f"SELECT {', '.join(columns)} FROM {table}")
        assert rows, table
        for row in rows:
            for column, value in zip(columns, row):
                assert value is not None, f"{table}.{column} was not set by the journey"
                assert whole_minute(value), f"{table}.{column} = {value!r}"
    (reporter_message,) = raw("SELECT created_at FROM message WHERE author = 'reporter'")
    (read_by_reporter,) = raw("SELECT read_at FROM message WHERE author = 'adviser'")
    assert whole_minute(reporter_message[0]) and whole_minute(read_by_reporter[0])
    # The adviser's own actions are not the reporter's: they keep their precision
    # (whole to the microsecond only by a one-in-sixty-million chance).
    (reply,) = raw("SELECT created_at FROM message WHERE author = 'adviser'")
    assert not whole_minute(reply[0])


def test_the_thread_keeps_its_order_when_a_reporter_minute_sorts_before_an_adviser_second(db, config):
    """A reply at 10:05:30 and the reporter's answer at 10:05:45 (stored as 10:05): answer after reply."""
    app = web(config)
    new_conversation(app)
    report = Report.get()
    robin = advisers.create_adviser("robin", "a long enough passphrase 3")
    reply = post_adviser_reply(report.id, robin, "Can you tell us where?")
    answer = app.post("/conversation", {"csrf_token": token_of(app.get("/conversation")), "body": "In the lab."})
    assert answer.status_int == 303
    # Make the race explicit whatever the clock said: the reply late in a minute...
    minute = dt.datetime(2026, 11, 23, 10, 5)
    Message.update(created_at=minute + dt.timedelta(seconds=30)).where(Message.id == reply.id).execute()
    Message.update(created_at=minute).where(Message.author == "reporter").execute()
    note = add_note(report.id, robin, "Lab 3, ask security.")
    Note.update(created_at=minute + dt.timedelta(seconds=50)).where(Note.id == note.id).execute()
    key = robin.keyring.case_key(report.id)
    assert [i.body for i in thread(report.id, key=key)] == ["Can you tell us where?", "In the lab."]
    merged = [i.body for i in thread(report.id, include_notes=True, key=key)]
    assert merged == ["Can you tell us where?", "In the lab.", "Lab 3, ask security."]
    shown = app.get("/conversation").text
    assert shown.index("Can you tell us where?") < shown.index("In the lab.")
