"""Write a database as the schema-1 release of Tellus wrote it (the upgrade tests' starting point).

Run it with the schema-1 code on the import path, e.g. from a checkout of the
release that still had ``SCHEMA_VERSION = 1`` (commit 5551190)::

    git worktree add --detach /tmp/tellus-v1 5551190
    PYTHONPATH=/tmp/tellus-v1 python tests/migrations/make_schema1.py \
        --sqlite tests/migrations/data/schema1.sqlite \
        --postgres postgresql://127.0.0.1:5432/test --pg-dump tests/migrations/data/schema1.pg.sql \
        --facts tests/migrations/data/schema1.json

It drives that release's own services (reports, codes, messages, notes,
assignment, closures, advisers, audit, throttles, sessions), so the file holds
exactly what a deployment of it would hold. ``--facts`` records what the tests
check afterwards: each two-way report's code and texts, the advisers' passwords.
These are made-up people and texts.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys

import peewee as pw


def fill(config):
    from store import advisers, cases, closures, conversation, sessions
    from store.models import SCHEMA_VERSION, Notification, Report
    from store.reports import submit_report
    from store.throttle import StoredThrottle

    assert SCHEMA_VERSION == 1, "run this with the schema-1 release on the import path"
    start = dt.datetime(2026, 9, 14, 9, 30, 12, 345678)  # a Monday; microseconds as schema 1 stored them
    admin = advisers.create_adviser("ada", "ada's long admin password", "Ada Admin", is_admin=True)
    advisers.create_adviser("ben", "ben's long adviser password", "Ben Adviser")
    advisers.create_adviser("cy", "cy's long adviser password", "Cy Cymraeg")
    advisers.set_active("cy", False)
    advisers.authenticate("ada", "ada's long admin password")
    try:
        advisers.authenticate("ben", "not ben's password at all")
    except Exception:  # the failed login is the point; its class differs between releases
        pass
    closures.add_closure(dt.date(2026, 12, 21), dt.date(2027, 1, 1), "Winter break", config=config)

    texts = [
        (
            "anonymous",
            "Harassment",
            "Someone keeps following me after the evening seminar. 😟",
            "Library, second floor",
        ),
        ("named", "Bullying", "Mae fy nghyd-letywyr yn postio jôcs amdana i yn y grŵp sgwrsio.", "Neuadd Gymraeg"),
        ("anonymous", "Wellbeing concern", "Znajomy powiedział wczoraj coś niepokojącego. Zażółć gęślą jaźń.", ""),
        ("anonymous", "Hate incident or discrimination", "كتب أحدهم شيئاً مسيئاً على باب غرفتي", "Halls, block C"),
        ("named", "Assault", "I saw a man push someone near the bike sheds.\n\nIt was about 10pm.", "Bike sheds"),
        ("anonymous", "Something else / not sure", "x" * 20000, "https://example.org/" + "a" * 150),
    ]
    facts = {"reports": [], "advisers": {"ada": "ada's long admin password", "ben": "ben's long adviser password"}}
    for index, (way, category, description, location) in enumerate(texts):
        form = {
            "way": way,
            "role": ["student", "staff", "visitor", "other", "prefer_not_to_say", "student"][index],
            "category": category,
            "description": description,
            "occurred": "Tuesday evening" if index % 2 else "",
            "location": location,
            "people": "A man in a grey coat\nand his friend" if index == 0 else "",
            "support": "on" if index % 2 == 0 else "",
            "two_way": "on" if index != 4 else "",
        }
        if way == "named":
            form.update(name=f"Sam Lee {index}", email=f"sam{index}@example.ac.uk", phone="+44 7700 900123")
        created = start + dt.timedelta(days=index, seconds=index * 7)
        sub = submit_report(form, config, now=created)
        report = sub.report
        fact = {
            "reference": report.reference,
            "code": sub.code,
            "description": description,
            "way": way,
            "category": category,
            "messages": [],
            "notes": [],
        }
        if index in (0, 1, 3):
            reply = f"Thank you for telling us ({index}). Can you say more?"
            conversation.post_adviser_reply(report.id, admin, reply, now=created + dt.timedelta(hours=3))
            fact["messages"].append(["adviser", reply])
            answer = f"Yes — it happened again on Friday ({index}). Диолч."
            conversation.post_reporter_message(report.id, answer, now=created + dt.timedelta(hours=5, seconds=31))
            fact["messages"].append(["reporter", answer])
            note = f"Security told ({index})."
            conversation.add_note(report.id, admin, note, now=created + dt.timedelta(hours=6))
            fact["notes"].append(note)
        if index == 1:
            cases.assign(report.id, admin, "ben")
        if index == 3:
            cases.set_status(report.id, admin, "closed")
        if index == 0:
            cases.open_case(report.id, admin, config, now=created + dt.timedelta(hours=2))
            token = sessions.create_session(Report.get_by_id(report.id), now=dt.datetime.utcnow())
            fact["session_token"] = token
        facts["reports"].append(fact)
    Notification.create(event="new:1", kind="new", report_id=1, created_at=start, next_attempt_at=start)
    StoredThrottle("report", 5, 3600).hit("192.0.2.44")
    StoredThrottle("code", 10, 900).hit("2001:db8::44")
    return facts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", required=True)
    parser.add_argument("--postgres")
    parser.add_argument("--pg-dump")
    parser.add_argument("--facts", required=True)
    args = parser.parse_args()
    from store import Config, open_database
    from store.models import database

    config = Config()
    if os.path.exists(args.sqlite):
        os.remove(args.sqlite)
    open_database(args.sqlite)
    facts = fill(config)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    if args.postgres:
        import psycopg

        schema = "tellus_schema1"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.execute(f"CREATE SCHEMA {schema}")
        open_database(f"{args.postgres}?options=-csearch_path%3D{schema}")
        pg_facts = fill(config)
        database.close()
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "-n", schema, args.postgres],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        with open(args.pg_dump, "w") as fh:
            fh.write(dump)
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
        facts = {"sqlite": facts, "postgresql": pg_facts}
    else:
        facts = {"sqlite": facts}
    with open(args.facts, "w") as fh:
        json.dump(facts, fh, indent=1, ensure_ascii=False)
    print("wrote", args.sqlite, args.pg_dump or "", args.facts, file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except pw.PeeweeException as exc:
        sys.exit(f"database error: {exc}")
