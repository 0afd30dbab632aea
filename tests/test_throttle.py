"""The in-memory throttle: limits per client and overall, forgetting, no addresses kept."""

import pytest

from store.throttle import GLOBAL, Throttle, Unlimited


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_client_may_act_up_to_the_limit_then_waits_for_the_window():
    clock = Clock()
    t = Throttle(3, 60, clock=clock)
    assert [t.hit("10.0.0.1") for _ in range(3)] == [0, 0, 0]
    assert t.hit("10.0.0.1") == 60
    clock.now += 20
    assert t.retry_after("10.0.0.1") == 40
    clock.now += 40
    assert t.hit("10.0.0.1") == 0


def test_the_window_slides_rather_than_resetting():
    clock = Clock()
    t = Throttle(2, 60, clock=clock)
    t.hit("a")
    clock.now += 30
    t.hit("a")
    clock.now += 31  # the first event has left the window, the second has not
    assert t.hit("a") == 0
    assert t.hit("a") == 29


def test_clients_are_counted_apart_and_the_global_key_together():
    t = Throttle(1, 60, clock=Clock())
    assert t.hit("10.0.0.1") == 0 and t.hit("10.0.0.2") == 0
    assert t.hit("10.0.0.1") > 0
    assert t.hit(GLOBAL) == 0 and t.hit(GLOBAL) > 0


def test_refused_attempts_do_not_extend_the_wait():
    clock = Clock()
    t = Throttle(1, 60, clock=clock)
    t.hit("a")
    for _ in range(10):
        t.hit("a")
    clock.now += 60
    assert t.hit("a") == 0


def test_only_keyed_hashes_are_held_and_forgotten_after_the_window():
    clock = Clock()
    t = Throttle(5, 60, clock=clock)
    t.hit("198.51.100.7")
    keys = t.held_keys()
    assert len(keys) == 1 and isinstance(keys[0], bytes) and b"198.51.100.7" not in keys[0]
    assert keys[0] != Throttle(5, 60, clock=clock)._client_key("198.51.100.7")  # a key per process/throttle
    clock.now += 61
    assert t.tracked_clients() == 0


def test_a_flood_of_distinct_clients_cannot_grow_memory_without_bound():
    t = Throttle(5, 60, clock=Clock(), max_clients=100)
    results = [t.hit(f"10.0.{i // 256}.{i % 256}") for i in range(150)]
    assert results[:100] == [0] * 100 and all(r > 0 for r in results[100:])
    assert t.tracked_clients() == 100


def test_bad_settings_and_unlimited():
    with pytest.raises(ValueError):
        Throttle(0, 60)
    u = Unlimited()
    assert all(u.hit("a") == 0 for _ in range(1000)) and u.held_keys() == []
