"""Where the time of bench/sealing_bench.py's slow steps goes: cProfile over the bench's own calls.

    python bench/sealing_profile.py --folder DIR [--step inbox|patterns|submit] [--top 30]

DIR is a folder sealing_bench.py built (``--folder DIR``; a smaller ``--cases``
profiles faster and shows the same shares). Each step runs once to warm up,
is timed without the profiler, then profiled; the top functions by their own
time and by cumulative time are printed.

* ``inbox``: the first page with a fresh keyring (bench step 3).
* ``patterns``: ``find_patterns``, 365 days, as the first call of this
  process after signing in (bench step 4).
* ``submit``: ``submit_report`` of the bench's two-way form, one thread, and
  one bare ``codes.hash_code`` for comparison (bench step 5).

What it showed (issue 12, 20,000 cases, this 2-core machine):

* Patterns: 4.2 s under the profiler, 3.5 s of it reading: per report one
  case key unwrapped and one details blob opened through PyNaCl's wrappers
  (about 9 µs a call in argument checks against 1.5 µs in libsodium), one
  ``json.loads`` each, and one peewee-built ``IN (500 ids)`` query per 500
  reports for the keys. The grouping itself was 0.65 s.
* Submission: 6.7 ms of Python besides the 39 ms argon2: cleaning the texts
  (a Python call per character, 0.8 ms for a 1,200-character description),
  matching the location to a configured place (1 ms, most of it teaching a
  speller the configured names again), peewee building each statement (about
  0.3 ms each: holders, the recovery key, a check and an insert per grant),
  the due date's closures. Later (2,000 cases, thread CPU time besides the
  argon2, median of 45): 4.2 ms, of which peewee writing the seven statements'
  text about 1 ms; with those written once (store.db.statement, insert_new)
  and the code and reference drawn in one go, 2.9 ms, and 20 submissions make
  40,500 function calls instead of 168,000. What is left: SQLite (the report's
  row and indexes, the FULL commit's fsync), matching the place (store/patterns,
  0.4 ms), cleaning the texts, the sealed boxes, each connection's schema.
* Inbox: SQL under 2 ms; the rest Python: peewee turning 50 joined rows into
  models (the bare 50-row select alone is 3–5 ms), the keys' query, and
  PyNaCl's wrappers for 100 small decryptions.

Patterns again later (100,000 cases, CPU seconds of a fresh process's call,
the machine shared and loaded, so CPU rather than wall time): about 0.75 s
reading and 0.7 s grouping. Reading: the rows through SQLite's cursor 0.22 s
(SQLite itself 0.1 s of it: the scan and the join for the wrapped keys; the
rest making six Python values a row), unwrapping the case keys 0.18 s and
opening the details 0.12 s (libsodium through cffi is 0.055 s of each: the
call itself), the JSON 0.07 s, sorting 0.05 s. Grouping is 0.12 s slower
than on the plain baseline's values: each report's texts are new objects
(hashed and compared on numbering, where unpickled ones repeat one object)
and dates are ISO text. In both, two full collections of the cyclic
collector (about 30 ms each, over the 70,000 objects the imports leave)
come while reading and while the groups are made.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from bench.sealing_bench import DESCRIPTIONS, NOW, PASSWORD, USERNAME, config  # noqa: E402
from store import open_database  # noqa: E402
from store.keyring import Keyring  # noqa: E402


def step_call(step):
    """The call to profile, and a bare comparison (or None)."""
    cfg = config()
    if step == "submit":
        from store import codes
        from store.reports import submit_report

        form = {
            "way": "anonymous",
            "role": "student",
            "category": cfg.categories[0],
            "description": DESCRIPTIONS[1] * 20,
            "location": "Llyfrgell — ail lawr 📚",
            "people": "Dr J. Jones",
            "two_way": "on",
        }
        return (lambda: submit_report(form, cfg)), (lambda: codes.hash_code("0123456789ABCDEF"))
    from store.advisers import sign_in

    admin = sign_in(USERNAME, PASSWORD)
    if step == "inbox":
        from store.inbox import inbox

        return (lambda: inbox(cfg, adviser=admin, limit=50, keyring=Keyring(admin.id, admin.keyring.private_key))), None
    from store.patterns import find_patterns

    def patterns():  # a fresh keyring each time: no case key opened before, as in a fresh process
        find_patterns(cfg, window=365, adviser=admin, now=NOW, keyring=Keyring(admin.id, admin.keyring.private_key))

    return patterns, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", required=True, help="a folder sealing_bench.py built (sealed.db in it)")
    ap.add_argument("--step", choices=("inbox", "patterns", "submit"), default="patterns")
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    open_database(os.path.join(args.folder, "sealed.db"))
    call, bare = step_call(args.step)
    rounds = 1 if args.step == "patterns" else 20  # patterns: seconds a call
    call()
    started = time.perf_counter()
    for _ in range(rounds):
        call()
    took = (time.perf_counter() - started) / rounds
    line = f"{args.step}: {took * 1000:.1f} ms a call without the profiler"
    if bare is not None:
        bare()
        started = time.perf_counter()
        for _ in range(rounds):
            bare()
        line += f"; the bare comparison {(time.perf_counter() - started) / rounds * 1000:.1f} ms"
    print(line)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(rounds):
        call()
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
