"""Counting attempts per client without keeping who the client is.

The reporter site limits code guesses and report submissions. To tell one
client from another it needs the client's address, but DESIGN.md allows
keeping only a *keyed hash* of it, in memory, for minutes. So each Throttle
holds a random key that never leaves the process, keys its counters by
HMAC(key, address), and forgets a counter as soon as its window has passed.
Nothing here touches the database or any log.
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
