"""PostgreSQL lock-wait races, staged deterministically.

A race that needs a row lock shows only in one interleaving: one transaction has written and not yet committed,
and another, started then, must wait for it. Sleeping and hoping rarely finds it; this harness makes it every
time. ``holder`` runs inside a transaction on its own connection and stays uncommitted; ``contender`` then starts
on another connection; the harness watches ``pg_stat_activity`` until the contender is waiting on a lock, and only
then lets the holder commit. If the contender never waits (the lock is missing), the race fails loudly.
"""

import threading

import psycopg

from store.models import database

WAIT_SECONDS = 30  # generous: two cores shared by several test runs


def contender_waits_for_holder(postgres_url, holder, contender, what):
    """Run ``holder()`` in an open transaction, then ``contender()`` beside it; commit the holder once the
    contender waits on a lock. Fails if it never waits (``what`` names it in the message) or either raised."""
    written, release = threading.Event(), threading.Event()
    errors, pid = [], []

    def hold():
        try:
            with database.connection_context(), database.atomic():
                holder()
                written.set()
                assert release.wait(WAIT_SECONDS), "the harness never released the holder"
        except Exception as exc:  # handed to the main thread, which fails the test with it
            errors.append(exc)
        finally:
            written.set()  # a holder that failed must not leave the main thread waiting

    def contend():
        try:
            with database.connection_context():
                pid.append(database.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
                contender()
        except Exception as exc:  # handed to the main thread, which fails the test with it
            errors.append(exc)

    threads = [threading.Thread(target=hold)]
    threads[0].start()
    assert written.wait(WAIT_SECONDS) and not errors, errors
    threads.append(threading.Thread(target=contend))
    threads[1].start()
    waiting = False
    try:
        with psycopg.connect(postgres_url.split("?")[0], autocommit=True) as observer:
            for _ in range(WAIT_SECONDS * 10):
                waiting = bool(
                    pid
                    and observer.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = %s", pid
                    ).fetchone()[0]
                )
                if waiting:
                    break
                threading.Event().wait(0.1)
    finally:
        release.set()
        for thread in threads:
            thread.join(WAIT_SECONDS)
    assert waiting, f"{what} never waited for the holder's transaction"
    assert not errors, errors
