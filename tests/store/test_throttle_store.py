"""The store-backed throttle: shared by instances, exact under concurrency, forgetting, daily keys, no key stored."""

import threading

from store import throttle as throttle_mod
from store.models import Setting, ThrottleCounter, database
from store.throttle import GLOBAL, StoredThrottle


class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_instances_share_counts_per_name_clients_apart_global_together(db):
    clock = Clock()
    one, two = StoredThrottle("code", 2, 60, clock=clock), StoredThrottle("code", 2, 60, clock=clock)
    other = StoredThrottle("report", 2, 60, clock=clock)
    assert one.hit("10.0.0.1") == 0 and two.hit("10.0.0.1") == 0
    assert one.hit("10.0.0.1") > 0 and two.hit("10.0.0.1") > 0  # one limit across both "instances"
    assert one.hit("10.0.0.2") == 0 and other.hit("10.0.0.1") == 0
    assert one.hit(GLOBAL) == 0 and two.hit(GLOBAL) == 0 and one.hit(GLOBAL) > 0


def test_one_row_per_client_and_window_with_a_count(db):
    clock = Clock(1_800_000_000.0 + 123.456)
    t = StoredThrottle("code", 5, 900, clock=clock)
    for _ in range(3):
        t.hit("198.51.100.7")
    t.hit("198.51.100.8")
    rows = sorted((r.count, r.window_end) for r in ThrottleCounter.select())
    assert rows == [(1, 1_800_000_900), (3, 1_800_000_900)]


def test_only_keyed_hashes_are_stored_and_rows_go_when_the_window_passes(db):
    clock = Clock()
    t = StoredThrottle("code", 5, 60, clock=clock)
    t.hit("198.51.100.7")
    keys = t.held_keys()
    assert len(keys) == 1 and len(keys[0]) == 16 and b"198.51.100.7" not in keys[0]
    assert all(b"198.51.100.7" not in bytes(r.key_hash) for r in ThrottleCounter.select())
    StoredThrottle("other", 5, 600, clock=clock).hit("192.0.2.1")
    clock.now += 61
    assert t.tracked_clients() == 0
    assert throttle_mod.sweep(clock.now) == 1
    assert [r.name for r in ThrottleCounter.select()] == ["other"]
    clock.now += 600
    assert throttle_mod.sweep(clock.now) == 1 and ThrottleCounter.select().count() == 0


def test_the_key_changes_every_day_and_none_is_stored(db):
    clock = Clock(1_800_000_000.0)
    t = StoredThrottle("code", 5, 60, clock=clock)
    t.hit("198.51.100.7")
    today_key = t.held_keys()[0]
    clock.now += 86_400
    t.hit("198.51.100.7")
    assert t.held_keys() == [t._client_key("198.51.100.7", t._window_end(clock.now))] != [today_key]
    assert Setting.select().where(Setting.key.contains("throttle")).count() == 0


def test_concurrent_attempts_on_many_connections_never_pass_the_limit(db):
    still = Clock()  # one window for the whole test
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            t = StoredThrottle("code", 25, 600, clock=still)
            barrier.wait()
            mine = [t.hit("203.0.113.5") for _ in range(10)]
            results.extend(mine)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert errors == []
    assert len(results) == 80 and results.count(0) == 25
    assert ThrottleCounter.get().count == 25
