"""Counting per client and overall in fixed windows: limits, waits, giving back, no addresses kept."""

import pytest

from store.config import ConfigError
from store.throttle import GLOBAL, ClientKeys, Refused, StoredThrottle, Unlimited


class Clock:
    def __init__(self, now=1_800_000_000.0):  # a multiple of 900 and 3600: a window starts here
        self.now = now

    def __call__(self):
        return self.now


def test_a_client_may_act_up_to_the_limit_then_waits_for_the_window_to_end(db):
    clock = Clock()
    t = StoredThrottle("code", 3, 60, clock=clock)
    assert [t.hit("10.0.0.1") for _ in range(3)] == [0, 0, 0]
    assert t.hit("10.0.0.1") == 60
    clock.now += 20
    assert t.hit("10.0.0.1") == 40
    clock.now += 40
    assert t.hit("10.0.0.1") == 0


def test_windows_are_fixed_to_the_clock_so_a_new_one_starts_afresh(db):
    clock = Clock(1_800_000_000.0 + 50)
    t = StoredThrottle("code", 2, 60, clock=clock)
    assert [t.hit("a"), t.hit("a"), t.hit("a")] == [0, 0, 10]  # the window ends at the next whole minute
    clock.now += 10
    assert [t.hit("a"), t.hit("a"), t.hit("a")] == [0, 0, 60]


def test_clients_are_counted_apart_and_the_global_key_together(db):
    t = StoredThrottle("code", 1, 60, clock=Clock())
    assert t.hit("10.0.0.1") == 0 and t.hit("10.0.0.2") == 0
    assert t.hit("10.0.0.1") > 0
    assert t.hit(GLOBAL) == 0 and t.hit(GLOBAL) > 0


def test_refused_attempts_do_not_extend_the_wait(db):
    clock = Clock()
    t = StoredThrottle("code", 1, 60, clock=clock)
    t.hit("a")
    for _ in range(10):
        t.hit("a")
    clock.now += 60
    assert t.hit("a") == 0


def test_a_counted_block_is_refused_over_the_limit_and_given_back_if_it_fails(db):
    t = StoredThrottle("report", 2, 3600, clock=Clock())
    with t.counted("a"):
        pass
    with pytest.raises(ValueError):
        with t.counted("a"):
            raise ValueError("the report was not stored")
    with t.counted("a"):  # the failed one was given back: this is the second
        pass
    with pytest.raises(Refused) as refused:
        with t.counted("a"):
            raise AssertionError("never runs over the limit")
    assert refused.value.throttle is t and refused.value.wait == 3600


def test_only_keyed_hashes_are_held_and_forgotten_after_the_window(db):
    clock = Clock()
    t = StoredThrottle("code", 5, 60, clock=clock)
    t.hit("198.51.100.7")
    keys = t.held_keys()
    assert len(keys) == 1 and isinstance(keys[0], bytes) and b"198.51.100.7" not in keys[0]
    # Another process (its own random key) hashes the same client differently; one secret hashes it alike.
    assert keys[0] != StoredThrottle("code", 5, 60, clock=clock, keys=ClientKeys())._client_key(
        "198.51.100.7", t._window_end(clock.now)
    )
    shared = ClientKeys(b"s" * 32)
    one, two = (StoredThrottle("code", 5, 60, clock=clock, keys=shared) for _ in range(2))
    assert one._client_key("198.51.100.7", 60) == two._client_key("198.51.100.7", 60)
    clock.now += 61
    assert t.tracked_clients() == 0


def test_the_secret_comes_from_the_environment_and_must_be_long(monkeypatch):
    monkeypatch.delenv("TELLUS_THROTTLE_SECRET", raising=False)
    assert not ClientKeys.from_environment().shared
    monkeypatch.setenv("TELLUS_THROTTLE_SECRET", "too short")
    with pytest.raises(ConfigError, match="at least 32 characters"):
        ClientKeys.from_environment()
    monkeypatch.setenv("TELLUS_THROTTLE_SECRET", "f" * 64)
    keys = ClientKeys.from_environment()
    assert keys.shared and keys.for_day("2026-01-01") == ClientKeys(b"f" * 64).for_day("2026-01-01")
    assert keys.for_day("2026-01-01") != keys.for_day("2026-01-02")


def test_bad_settings_and_unlimited():
    for limit, window in ((0, 60), (5, 0), (5, 0.5)):
        with pytest.raises(ValueError):
            StoredThrottle("x", limit, window)
    u = Unlimited()
    assert all(u.hit("a") == 0 for _ in range(1000)) and u.held_keys() == []
    with u.counted("a"):
        pass
