"""Fixed throttle windows in tests that count against the real clock.

Limits are counted in windows fixed to the clock (store/throttle.py), so a
test that fills a limit must not run across the end of a window, where the
count starts afresh. Tests that build their own throttles give them a clock
that stands still; tests of the site as configured (or of several server
processes) first make sure enough of the current window is left.
"""

import time


def still_clock():
    """A clock stopped at the present: one window for the whole test."""
    now = time.time()
    return lambda: now


def fresh_window(window, needed, clock=time.time):
    """Wait until at least ``needed`` seconds are left of the current ``window`` (at most ``needed`` seconds)."""
    deadline = time.monotonic() + needed + 5
    while window - clock() % window < needed:
        if time.monotonic() > deadline:
            raise AssertionError("the throttle window did not turn over in time")
        time.sleep(0.05)
