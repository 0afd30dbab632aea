"""The store-backed throttle: shared by instances, exact under concurrency, forgetting, daily keys."""

import threading

import pytest

from store import throttle as throttle_mod
from store.models import Setting, ThrottleEvent, database
from store.throttle import GLOBAL, StoredThrottle


class Clock:
    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_a_client_may_act_up_to_the_limit_then_waits_for_the_sliding_window(db):
    clock = Clock()
    t = StoredThrottle("code", 3, 60, clock=clock)
    assert t.hit("10.0.0.1") == 0
    clock.now += 10
    assert [t.hit("10.0.0.1") for _ in range(2)] == [0, 0]
    assert t.hit("10.0.0.1") == 50
    clock.now += 20
    assert t.retry_after("10.0.0.1") == 30
    t.hit("10.0.0.1")  # refused: does not extend the wait
    clock.now += 30
    assert t.hit("10.0.0.1") == 0  # the first event left the window
    assert t.hit("10.0.0.1") == 10  # the next two are still in it


def test_instances_share_counts_per_name_clients_apart_global_together(db):
    clock = Clock()
    one, two = StoredThrottle("code", 2, 60, clock=clock), StoredThrottle("code", 2, 60, clock=clock)
    other = StoredThrottle("report", 2, 60, clock=clock)
    assert one.hit("10.0.0.1") == 0 and two.hit("10.0.0.1") == 0
    assert one.hit("10.0.0.1") > 0 and two.hit("10.0.0.1") > 0  # one limit across both "instances"
    assert one.hit("10.0.0.2") == 0 and other.hit("10.0.0.1") == 0
    assert one.hit(GLOBAL) == 0 and two.hit(GLOBAL) == 0 and one.hit(GLOBAL) > 0


def test_only_keyed_hashes_are_stored_and_rows_go_when_the_window_passes(db):
    clock = Clock()
    t = StoredThrottle("code", 5, 60, clock=clock, sweep_every=0)
    t.hit("198.51.100.7")
    keys = t.held_keys()
    assert len(keys) == 1 and len(keys[0]) == 16 and b"198.51.100.7" not in keys[0]
    assert all(b"198.51.100.7" not in bytes(r.key_hash) for r in ThrottleEvent.select())
    clock.now += 61
    assert t.tracked_clients() == 0
    StoredThrottle("other", 5, 60, clock=clock, sweep_every=0).hit("192.0.2.1")  # any hit sweeps finished windows
    assert [r.name for r in ThrottleEvent.select()] == ["other"]
    clock.now += 61
    assert throttle_mod.sweep(clock.now) == 1 and ThrottleEvent.select().count() == 0


def test_the_key_changes_every_day_and_yesterdays_is_gone(db):
    clock = Clock(1_700_000_000.0)
    t = StoredThrottle("code", 5, 60, clock=clock)
    t.hit("198.51.100.7")
    today_key = t.held_keys()[0]
    old_setting = Setting.get(Setting.key == throttle_mod.KEY_SETTING).value
    clock.now += 86_400
    t.hit("198.51.100.7")
    assert t.held_keys() == [t._client_key("198.51.100.7", clock.now)] != [today_key]
    new_setting = Setting.get(Setting.key == throttle_mod.KEY_SETTING).value
    assert new_setting != old_setting and old_setting.split(":")[1] not in new_setting
    assert Setting.select().where(Setting.key.startswith("throttle")).count() == 1


def test_an_instance_whose_clock_lags_does_not_rotate_the_key_back(db):
    t = StoredThrottle("code", 5, 60, clock=Clock(1_700_086_400.0))
    late = StoredThrottle("code", 5, 60, clock=Clock(1_700_000_000.0))
    t.hit("a")
    throttle_mod._key_cache.clear()
    late.hit("a")
    assert t.hit("a") == 0 and t.tracked_clients() == 1  # same key: both counted under one hash


def test_concurrent_attempts_on_many_connections_never_pass_the_limit(db):
    url = db.url
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            t = StoredThrottle("code", 25, 600)
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
    assert errors == [] and url
    assert len(results) == 80 and results.count(0) == 25


def test_bad_settings():
    with pytest.raises(ValueError):
        StoredThrottle("x", 0, 60)
