"""What binding replies and notes to their advisers costs (issue 12): each figure against a baseline in the same run.

    python bench/author_seals_bench.py [--cases 5000] [--messages 20000] [--rounds 7] [--open 1000] [--folder DIR]

One SQLite database of --cases sealed cases and --messages messages, half of them replies by the admin
(bench/sealed_fill.py; the replies sealed naming their adviser, as this release writes them), is built once.
The sides of each ratio run alternately, --rounds times, and medians are reported (the machine is shared).

1. Opening a case as the app does (``thread`` of --open cases, notes included) when its replies were
   sealed by the previous release (the old form: the new one is tried first and fails, then the old one
   opens) against the same cases with their replies sealed naming their adviser. Only until the pass has
   run. Target ≤ 1.5×.
2. The re-sealing pass (``bind_authors``, forced) over every reply sealed the old way, against a
   baseline of opening each of those replies once (``casetext.open_body``, the same rows, the same keys).
   Reported per row. Then the pass once nothing is left (the setting read): milliseconds.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench.sealed_fill import SealedLoader, analyse, bench_admin
from bench.store_bench import report_rows
from store import Config, casetext, open_database, sealing
from store.advisers import sign_in
from store.conversation import AUTHORS_BOUND_SETTING, bind_authors, thread
from store.db import get_setting, tuples
from store.models import Message, Report, Setting, database

ADMIN = ("benchadmin", "bench admin long password")
NOW = dt.datetime(2026, 11, 1, 12, 0)


def build(path, n_cases, n_messages):
    open_database(path)
    config = Config()
    admin = bench_admin(*ADMIN, config)
    loader = SealedLoader(admin, config)
    ids = loader.reports(report_rows(n_cases, [], random.Random(7), config, NOW))
    loader.messages(
        {
            "report": ids[j % len(ids)],
            "author": "adviser" if j % 2 else "reporter",
            "adviser": admin.id if j % 2 else None,
            "body": "A reply of an ordinary length, " + "words " * 40,
            "created_at": NOW - dt.timedelta(minutes=j),
            "read_at": NOW,
        }
        for j in range(n_messages)
    )
    analyse()
    database.close()


def replies(keyring):
    """(id, report id, adviser id, blob, reference, key) of every reply."""
    rows = list(
        tuples(
            Message.select(Message.id, Message.report_id, Message.adviser_id, Message.sealed_body).where(
                Message.author == "adviser"
            )
        )
    )
    keys = keyring.case_keys({r for _i, r, _a, _b in rows})
    references = dict(tuples(Report.select(Report.id, Report.reference)))
    return [(i, r, a, b, references[r], keys[r]) for i, r, a, b in rows]


def seal_old_way(rows):
    """Every reply sealed as the release before this one sealed it (the side only, no adviser)."""
    with database.atomic():
        for item_id, _report, adviser_id, blob, reference, key in rows:
            text = casetext.open_body(reference, key, "message", item_id, "adviser", blob, adviser_id=adviser_id)
            old = sealing.seal(key, text, f"{reference}|message|{item_id}|adviser")
            Message.update(sealed_body=old).where(Message.id == item_id).execute()
    Setting.delete().where(Setting.key == AUTHORS_BOUND_SETTING).execute()


def open_cases(report_ids, keyring):
    started = time.perf_counter()
    for report_id in report_ids:
        items = thread(report_id, include_notes=True, key=keyring.case_key(report_id))
        assert casetext.UNREADABLE not in {i.body for i in items}
    return time.perf_counter() - started


def open_each(rows):
    started = time.perf_counter()
    for item_id, _report, adviser_id, blob, reference, key in rows:
        casetext.open_body(reference, key, "message", item_id, "adviser", blob, adviser_id=adviser_id)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--open", type=int, default=1000, help="cases opened in each round of measurement 1")
    parser.add_argument("--folder")
    args = parser.parse_args()
    folder = args.folder or tempfile.mkdtemp(prefix="tellus-author-seals-")
    path = os.path.join(folder, "bench.db")
    started = time.perf_counter()
    if not os.path.exists(path):
        build(path, args.cases, args.messages)
    print(f"database: {path} ({args.cases} cases, {args.messages} messages; {time.perf_counter() - started:.1f} s)")
    open_database(path)
    keyring = sign_in(*ADMIN).keyring
    cases = list(Report.select(Report.id).order_by(Report.id).limit(args.open).scalars())

    thread_ratio, pass_ratio, per_row, per_open, skipped = [], [], [], [], []
    for _round in range(args.rounds):
        bind_authors(keyring, force=True)  # every reply in the new form
        bound = open_cases(cases, keyring)
        seal_old_way(replies(keyring))
        old = open_cases(cases, keyring)
        thread_ratio.append(old / bound)
        rows = replies(keyring)  # the old blobs
        baseline = open_each(rows)
        started = time.perf_counter()
        done = bind_authors(keyring, force=True)
        took = time.perf_counter() - started
        assert done.resealed == len(rows) and get_setting(AUTHORS_BOUND_SETTING)
        pass_ratio.append(took / baseline)
        per_row.append(took / len(rows) * 1e6)
        per_open.append(baseline / len(rows) * 1e6)
        started = time.perf_counter()
        assert bind_authors(keyring).skipped
        skipped.append((time.perf_counter() - started) * 1e3)
    med = statistics.median
    print(
        f"1. thread() of {len(cases)} cases, replies in the old form / in the new: {med(thread_ratio):.2f}x "
        f"(target <= 1.5x; rounds {', '.join(f'{r:.2f}' for r in thread_ratio)})"
    )
    print(
        f"2. re-sealing pass over {len(rows)} old replies / opening each once: {med(pass_ratio):.2f}x "
        f"({med(per_row):.1f} us a row against {med(per_open):.1f} us); "
        f"a pass once nothing is left: {med(skipped):.2f} ms"
    )
    database.close()


if __name__ == "__main__":
    main()
