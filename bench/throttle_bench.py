"""What counting one attempt costs: StoredThrottle.hit per second, on SQLite and PostgreSQL.

    python bench/throttle_bench.py [--hits 2000] [--postgres postgresql://127.0.0.1:5432/test]

Every code guess makes two hits and every report two (per client and
site-wide), each a durable write. Measured for hits from distinct clients
(each a new row) and from one client (one row counted up), in one thread, on
a fresh SQLite file (WAL, synchronous=FULL) and, with --postgres, in a
throwaway schema. The API is the same before and after the fixed-window
rewrite, so running this file with PYTHONPATH pointing at an older checkout
measures that one.
"""

import argparse
import pathlib
import sys
import tempfile
import time
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run as a script: the repository root

from store import open_database
from store.models import database
from store.throttle import StoredThrottle

ROOT = pathlib.Path(__file__).resolve().parent.parent


def rate(hits, clients):
    throttle = StoredThrottle("code", 10**9, 900)
    started = time.perf_counter()
    for n in range(hits):
        throttle.hit(clients(n))
    return hits / (time.perf_counter() - started)


def measure(url, hits):
    open_database(url)
    try:
        distinct = rate(hits, lambda n: f"198.51.{n // 256 % 256}.{n % 256}")
        one = rate(hits, lambda n: "203.0.113.9")
    finally:
        database.close()
    return distinct, one


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hits", type=int, default=2000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engines = [("sqlite", str(pathlib.Path(folder) / "bench.db"))]
        schema = None
        if args.postgres:
            import psycopg

            schema = "bench_" + uuid.uuid4().hex[:8]
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            sep = "&" if "?" in args.postgres else "?"
            engines.append(("postgresql", f"{args.postgres}{sep}options=-csearch_path%3D{schema}"))
        try:
            for engine, url in engines:
                distinct, one = measure(url, args.hits)
                print(f"{engine:<10} hits/s: distinct clients {distinct:7.0f}   one client {one:7.0f}")
        finally:
            if schema:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
