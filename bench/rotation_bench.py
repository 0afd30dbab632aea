"""What rotating case keys costs when an adviser loses their cases: against assigning the same cases, in one run.

    python bench/rotation_bench.py [--cases 1000] [--two-way 0.2] [--rounds 3] [--folder DIR]

A real install in an SQLite file (an admin, two advisers, --cases reports through ``submit_report``, a
share of them two-way) is built for each round. Then, alternately:

* baseline: the admin's app assigns every case to bryn (``cases.assign``, one transaction a case: the
  assignment sealed, bryn granted the key) — unassigned cases are admins' only here, so nobody loses
  a case and nothing rotates;
* rotation: the admin's app disables bryn (``advisers.set_active``): bryn's grants are removed and every
  one of those cases is rotated (store/rotation.py: a new key, sealed again to the admin, the recovery
  key, and the reporter of a two-way case).

Reported: the median per case of each, and the ratio (medians of per-round ratios). Nothing is
targeted by the issue; the figure says what a disable costs in the admin's app (it runs in a worker).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from store import Config, advisers, open_database
from store.cases import assign
from store.models import Report, database
from store.reports import submit_report

PASSWORD = "a long bench password"


def build(path: str, n_cases: int, two_way: float, config: Config) -> None:
    open_database(path)
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    for name in ("bryn", "cai"):
        advisers.create_adviser(name, PASSWORD, keyring=ada.keyring, config=config)
    every = round(1 / two_way) if two_way > 0 else 0
    for i in range(n_cases):
        form = {
            "way": "anonymous",
            "category": "harassment",
            "description": f"Case {i}: what happened, in words of an ordinary length. " * 8,
            "location": "Library",
            "two_way": "on" if every and i % every == 0 else "",
        }
        submit_report(form, config)
    database.close()


def one_round(folder: str, n: int, n_cases: int, two_way: float, config: Config) -> tuple[float, float]:
    path = os.path.join(folder, f"round{n}.db")
    build(path, n_cases, two_way, config)
    open_database(path)
    ada = advisers.sign_in("ada", PASSWORD)
    ids = [r.id for r in Report.select(Report.id)]
    start = time.perf_counter()
    for report_id in ids:
        assign(report_id, ada, "bryn", config)
    assigned = time.perf_counter() - start
    start = time.perf_counter()
    advisers.set_active("bryn", False, by=ada, config=config)
    rotated = time.perf_counter() - start
    generations = {g for (g,) in Report.select(Report.key_generation).tuples()}
    assert generations == {1}, generations  # every case rotated once
    database.close()
    return assigned / len(ids), rotated / len(ids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--two-way", type=float, default=0.2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--folder")
    args = ap.parse_args()
    folder = args.folder or tempfile.mkdtemp(prefix="rotation-bench-")
    os.makedirs(folder, exist_ok=True)
    os.environ.setdefault("TELLUS_INTAKE_KEY", os.path.join(folder, "intake.key"))
    config = Config(advisers_see_unassigned=False)  # assigning takes the case from nobody: nothing rotates
    results = [one_round(folder, n, args.cases, args.two_way, config) for n in range(args.rounds)]
    assigned = statistics.median(a for a, _r in results)
    rotated = statistics.median(r for _a, r in results)
    ratio = statistics.median(r / a for a, r in results)
    print(f"{args.cases} cases, {args.two_way:.0%} two-way, {args.rounds} rounds")
    print(f"  assigning a case (baseline): {assigned * 1000:.2f} ms")
    print(f"  rotating a case (disabling the adviser who held it): {rotated * 1000:.2f} ms")
    print(f"  ratio {ratio:.2f}× (per-round ratios {', '.join(f'{r / a:.2f}' for a, r in results)})")


if __name__ == "__main__":
    main()
