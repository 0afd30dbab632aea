"""The store's numbers: code login cost and the inbox's first page at scale.

    python bench/store_bench.py [--cases 100000] [--messages 1000000] [--postgres URL]

1. One code login through the service (normalise, argon2id, indexed lookup)
   against one bare ``hash_secret_raw`` with the same parameters, measured
   alternately in the same run. Target: ratio ≤ 1.10.
2. The unread-first inbox's first page (50 rows, previews opened with the
   admin's keys) on a database with --cases sealed reports and --messages
   sealed messages (bench/sealed_fill.py), on SQLite and (if reachable)
   PostgreSQL. Target: ≤ 20 ms median on SQLite. The baseline, taken in the
   same run, is a bare 50-row primary-key SELECT on the same table, so the
   ratio says what the inbox costs beyond touching the database at all.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from argon2.low_level import Type, hash_secret_raw

from bench.sealed_fill import SealedLoader, analyse, bench_admin
from store import Config, codes, open_database
from store.advisers import sign_in
from store.inbox import inbox, inbox_counts
from store.models import Adviser, Report, database
from store.reports import open_conversation_by_code, submit_report


def median_ms(samples):
    return statistics.median(samples) * 1000


def bench_code_login(rounds):
    config = Config()
    code = submit_report(
        {
            "way": "anonymous",
            "role": "student",
            "category": config.categories[0],
            "description": "bench",
            "two_way": "on",
        },
        config,
    ).code
    params, salt = codes.hash_parameters(), codes.install_salt()
    typed = codes.format_code(code).lower()

    def bare():
        hash_secret_raw(
            code.encode(),
            salt,
            params["time_cost"],
            params["memory_cost"],
            params["parallelism"],
            params["hash_len"],
            Type.ID,
        )

    def service():
        open_conversation_by_code(typed)

    service(), bare()  # warm up
    t_bare, t_service = [], []
    for _ in range(rounds):  # alternate so machine noise hits both alike
        s = time.perf_counter()
        bare()
        t_bare.append(time.perf_counter() - s)
        s = time.perf_counter()
        service()
        t_service.append(time.perf_counter() - s)
    return median_ms(t_bare), median_ms(t_service)


BENCH_ADMIN = ("benchadmin", "bench password for the adviser app")


def report_rows(n_cases, advisers, rng, config, now):
    """Three years of cases: old ones mostly closed, recent ones active, the last fortnight's
    partly still new; 2% of all cases unread. Plain texts, for SealedLoader to seal."""
    for i in range(n_cases):
        age_days = rng.randint(0, 3 * 365)
        created = now - dt.timedelta(days=age_days, minutes=rng.randint(0, 24 * 60))
        unread = rng.random() < 0.02
        if age_days < 14:
            status = rng.choice(["new", "open", "waiting"])
        elif age_days < 120:
            status = rng.choice(["open", "waiting", "closed"])
        else:
            status = rng.choice(["closed"] * 9 + ["open"])
        yield {
            "reference": f"TL-{i:06d}",
            "way": rng.choice(["anonymous", "named"]),
            "role": "student",
            "category": rng.choice(config.categories),
            "description": f"Bench report {i} " + "text " * 30,
            "location": rng.choice(["Library", "Sports centre", "Square 3", ""]),
            "two_way": True,
            "code_hash": secrets.token_bytes(32),
            "status": status,
            "assignee": rng.choice(advisers + [None]),
            "created_at": created,
            "due_on": created.date() + dt.timedelta(days=7),
            "first_response_at": None if status == "new" else created + dt.timedelta(days=2),
            "last_activity_at": min(now, created + dt.timedelta(days=rng.randint(0, 30))),
            "unread_count": rng.randint(1, 3) if unread else 0,
            "unread_since": created + dt.timedelta(days=1) if unread else None,
            "preview": f"Bench report {i} 🙂 Ysgrifennodd y myfyriwr — كتب الطالب",
        }


def fill(n_cases, n_messages, username=BENCH_ADMIN[0], password=BENCH_ADMIN[1]):
    """Bulk-load realistic sealed rows without the argon2 cost of real submissions.

    Creates the admin ``username`` (with keys) first; every case is sealed to them and to the
    recovery key (bench/sealed_fill.py). Returns the admin, carrying their keyring."""
    rng = random.Random(7)
    config = Config()
    now = dt.datetime(2026, 11, 23, 12)
    admin = bench_admin(username, password, config)
    with database.atomic():  # assignees only: without key pairs they hold no grants
        advisers = [
            Adviser.create(username=f"adviser{i}", display_name=f"Adviser {i}", password_hash="x", created_at=now).id
            for i in range(20)
        ]
    loader = SealedLoader(admin, config)
    ids = loader.reports(report_rows(n_cases, advisers, rng, config, now))
    loader.messages(
        {
            "report": ids[j % len(ids)],
            "author": "reporter" if j % 2 else "adviser",
            "body": "Message body " + "words " * 20,
            "created_at": now - dt.timedelta(minutes=j),
            "read_at": now,
        }
        for j in range(n_messages)
    )
    analyse()
    return admin


def bench_inbox(rounds):
    config = Config()
    admin = sign_in(*BENCH_ADMIN)  # the admin's keys open the previews

    def baseline():
        list(Report.select().order_by(Report.id).limit(50))

    def first_page():
        inbox(config, adviser=admin, limit=50)

    def counts():
        inbox_counts(config, admin)

    for f in (baseline, first_page, counts):
        f()
    t = {"baseline": [], "first_page": [], "counts": []}
    for _ in range(rounds):
        for name, f in (("baseline", baseline), ("first_page", first_page), ("counts", counts)):
            s = time.perf_counter()
            f()
            t[name].append(time.perf_counter() - s)
    page = inbox(config, adviser=admin, limit=50)
    assert len(page.rows) == 50 and page.rows[0].unread_count > 0
    assert all(row.preview.startswith("Bench report") for row in page.rows), "previews did not open"
    return {k: median_ms(v) for k, v in t.items()}


def report_inbox(label, res, target=None):
    ratio = res["first_page"] / res["baseline"]
    verdict = "" if target is None else ("  PASS" if res["first_page"] <= target else "  FAIL")
    print(
        f"  {label}: inbox first page median {res['first_page']:.2f} ms (baseline 50-row select {res['baseline']:.2f} ms, ratio {ratio:.1f}×){verdict}"
    )
    print(f"  {label}: header counts (unread/overdue/new/mine/total) median {res['counts']:.2f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--postgres", default=os.environ.get("TELLUS_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test"))
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        open_database(os.path.join(tmp, "login.db"))
        bare, service = bench_code_login(args.rounds)
        database.close()
        ratio = service / bare
        print("Code login (service vs bare argon2id, same parameters, alternating):")
        print(
            f"  bare hash_secret_raw {bare:.1f} ms, service {service:.1f} ms, ratio {ratio:.3f}× (target ≤ 1.10) {'PASS' if ratio <= 1.10 else 'FAIL'}"
        )

        print(f"Inbox on {args.cases:,} cases and {args.messages:,} messages:")
        open_database(os.path.join(tmp, "inbox.db"))
        s = time.perf_counter()
        fill(args.cases, args.messages)
        print(f"  SQLite: loaded in {time.perf_counter() - s:.0f} s")
        report_inbox("SQLite", bench_inbox(args.rounds), target=20.0)
        database.close()

    if args.no_postgres:
        return
    try:
        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(args.postgres, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except Exception as exc:
        print(f"  PostgreSQL: skipped ({exc})")
        return
    try:
        sep = "&" if "?" in args.postgres else "?"
        open_database(f"{args.postgres}{sep}options=-csearch_path%3D{schema}")
        s = time.perf_counter()
        fill(args.cases, args.messages)
        print(f"  PostgreSQL: loaded in {time.perf_counter() - s:.0f} s")
        report_inbox("PostgreSQL", bench_inbox(args.rounds))
        database.close()
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
