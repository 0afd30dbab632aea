"""Counting attempts per client without keeping who the client is.

The reporter site limits code guesses and report submissions. To tell one
client from another it needs the client's address, but DESIGN.md allows
keeping only a *keyed hash* of it, for minutes. Two implementations share one
interface (``hit``, ``retry_after``, ``tracked_clients``, ``held_keys``):

* ``Throttle`` counts in process memory under a random per-process key. Good
  for one process and for tests; several web instances would each count
  apart, so a client could multiply its attempts by the number of instances.
* ``StoredThrottle`` (what the site uses) counts in the store, so every
  instance behind a load balancer shares the limits. Its HMAC key lives in
  ``tellus_setting`` and is replaced every UTC day; rows are deleted as their
  windows pass. Nothing here writes an address or touches a log.
"""

import collections
import hashlib
import hmac
import math
import secrets
import threading
import time

GLOBAL = "*"  # the key for a throttle shared by every client


class Throttle:
    """At most ``limit`` events per ``window`` seconds per client (a sliding window)."""

    def __init__(self, limit, window, clock=time.monotonic, max_clients=100_000):
        if limit < 1 or window <= 0:
            raise ValueError("a throttle needs a positive limit and window")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._events = {}  # keyed hash → deque of monotonic times
        self._lock = threading.Lock()
        self._max_clients = max_clients
        self._calls = 0

    def _client_key(self, client):
        if client == GLOBAL:
            return GLOBAL
        return hmac.new(self._key, str(client).encode("utf-8", "surrogatepass"), hashlib.sha256).digest()[:16]

    def _prune(self, now):
        horizon = now - self.window
        for key in [k for k, q in self._events.items() if not q or q[-1] <= horizon]:
            del self._events[key]

    def retry_after(self, client):
        """Seconds until ``client`` may try again (0 when it may now). Records nothing."""
        now = self._clock()
        with self._lock:
            queue = self._events.get(self._client_key(client))
            return self._wait(queue, now)

    def _wait(self, queue, now):
        if queue is None:
            return 0
        horizon = now - self.window
        while queue and queue[0] <= horizon:
            queue.popleft()
        if len(queue) < self.limit:
            return 0
        return max(1, math.ceil(queue[0] + self.window - now))

    def hit(self, client):
        """Record one event unless over the limit. Returns 0, or seconds to wait (nothing recorded)."""
        now = self._clock()
        with self._lock:
            self._calls += 1
            if self._calls % 1000 == 0 or len(self._events) >= self._max_clients:
                self._prune(now)
            key = self._client_key(client)
            queue = self._events.get(key)
            wait = self._wait(queue, now)
            if wait:
                return wait
            if queue is None:
                if len(self._events) >= self._max_clients:
                    # Under a flood of distinct addresses, refuse rather than grow without bound.
                    return max(1, math.ceil(self.window / 10))
                queue = self._events[key] = collections.deque()
            queue.append(now)
            return 0

    def tracked_clients(self):
        with self._lock:
            self._prune(self._clock())
            return len(self._events)

    def held_keys(self):
        """What is kept about clients (for tests that prove no address is held)."""
        with self._lock:
            return list(self._events)


class Unlimited:
    """A throttle that never refuses (benchmarks, tests of other behaviour)."""

    limit = math.inf

    def retry_after(self, client):
        return 0

    def hit(self, client):
        return 0

    def tracked_clients(self):
        return 0

    def held_keys(self):
        return []


# ---- shared by every web instance: counted in the store ---------------------

KEY_SETTING = "throttle_key"  # value "YYYY-MM-DD:hex key"; replaced on the first hit of a new (UTC) day
SWEEP_EVERY = 30  # seconds between deletions of finished windows, per process

_key_lock = threading.Lock()
_key_cache = {}  # id(database.obj) → (database.obj, day, key)


def _day(now):
    return time.strftime("%Y-%m-%d", time.gmtime(now))


def throttle_key(now=None):
    """Today's HMAC key for client addresses, shared by all instances through tellus_setting.

    A new random key replaces yesterday's on the first use of a new UTC day,
    so hashes stored on different days cannot be linked; the old key is gone.
    """
    from .models import Setting, database

    now = time.time() if now is None else now
    day = _day(now)
    with _key_lock:
        cached = _key_cache.get(id(database.obj))
        if cached and cached[0] is database.obj and cached[1] >= day:
            return cached[2]
    row = Setting.get_or_none(Setting.key == KEY_SETTING)
    if row is None or row.value.split(":", 1)[0] < day:
        fresh = f"{day}:{secrets.token_hex(32)}"
        with database.atomic():
            if row is None:
                Setting.insert(key=KEY_SETTING, value=fresh).on_conflict_ignore().execute()
            else:  # only if nobody rotated it meanwhile
                Setting.update(value=fresh).where((Setting.key == KEY_SETTING) & (Setting.value == row.value)).execute()
        row = Setting.get(Setting.key == KEY_SETTING)
    stored_day, hex_key = row.value.split(":", 1)
    key = bytes.fromhex(hex_key)
    with _key_lock:
        _key_cache[id(database.obj)] = (database.obj, stored_day, key)
    return key


def sweep(now=None):
    """Delete every counted attempt whose window has passed; returns how many."""
    from .models import ThrottleEvent, database

    now = time.time() if now is None else now
    with database.atomic():
        return ThrottleEvent.delete().where(ThrottleEvent.expires_at <= now).execute()


class StoredThrottle:
    """Like ``Throttle``, but counted in the store, so several web instances share the limits.

    One row per counted attempt, keyed by (throttle name, keyed hash of the
    client); a sliding window as exact as ``Throttle``'s. Counting and adding
    happen in one write transaction serialised per key — SQLite's IMMEDIATE
    transactions serialise all writers, PostgreSQL takes a transaction-level
    advisory lock on the key — so concurrent attempts on any instance can
    never pass the limit together. Rows are deleted as their windows pass.
    """

    def __init__(self, name, limit, window, clock=time.time, sweep_every=SWEEP_EVERY):
        if limit < 1 or window <= 0:
            raise ValueError("a throttle needs a positive limit and window")
        self.name = name
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sweep_every = sweep_every
        self._last_sweep = None

    def _client_key(self, client, now):
        if client == GLOBAL:
            return b"*"
        key = throttle_key(now)
        return hmac.new(key, str(client).encode("utf-8", "surrogatepass"), hashlib.sha256).digest()[:16]

    def _oldest_in_window(self, key, now):
        from .models import ThrottleEvent

        rows = (
            ThrottleEvent.select(ThrottleEvent.at)
            .where((ThrottleEvent.name == self.name) & (ThrottleEvent.key_hash == key) & (ThrottleEvent.at > now - self.window))
            .order_by(ThrottleEvent.at)
            .limit(self.limit)
            .tuples()
        )
        return [at for (at,) in rows]

    def _wait(self, times, now):
        if len(times) < self.limit:
            return 0
        return max(1, math.ceil(times[0] + self.window - now))

    def retry_after(self, client):
        """Seconds until ``client`` may try again (0 when it may now). Records nothing."""
        now = self._clock()
        return self._wait(self._oldest_in_window(self._client_key(client, now), now), now)

    def hit(self, client):
        """Record one event unless over the limit. Returns 0, or seconds to wait (nothing recorded)."""
        from .db import is_sqlite
        from .models import ThrottleEvent, database

        now = self._clock()
        key = self._client_key(client, now)
        with database.atomic():
            if not is_sqlite():
                lock = int.from_bytes(hashlib.sha256(self.name.encode() + b"\0" + key).digest()[:8], "big", signed=True)
                database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (lock,))
            ThrottleEvent.delete().where(
                (ThrottleEvent.name == self.name) & (ThrottleEvent.key_hash == key) & (ThrottleEvent.expires_at <= now)
            ).execute()
            wait = self._wait(self._oldest_in_window(key, now), now)
            if not wait:
                ThrottleEvent.insert(name=self.name, key_hash=key, at=now, expires_at=now + self.window).execute()
        if self._last_sweep is None or not 0 <= now - self._last_sweep < self._sweep_every:
            self._last_sweep = now
            sweep(now)
        return wait

    def _live(self):
        from .models import ThrottleEvent

        return ThrottleEvent.select(ThrottleEvent.key_hash).where(
            (ThrottleEvent.name == self.name) & (ThrottleEvent.expires_at > self._clock())
        ).distinct()

    def tracked_clients(self):
        return self._live().count()

    def held_keys(self):
        """What is kept about clients (for tests that prove no address is held)."""
        return [bytes(k) for (k,) in self._live().tuples()]
