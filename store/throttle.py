"""Counting attempts per client without keeping who the client is.

The reporter site limits code guesses and reports, per client and for
everyone together (ARCHITECTURE.md, "Brute force"). To tell clients apart it needs
their address; what it keeps is a keyed hash of it, counted in the store so
that every web instance shares the limits. A copy of the database, its WAL
and its backups must not give the address back, even to someone trying every
IPv4 address and every IPv6 /64 (ARCHITECTURE.md, "Nothing identifying is kept"):

* **The key is never in the database.** Keys are derived per UTC day from a
  secret held outside it: ``TELLUS_THROTTLE_SECRET`` in the web service's
  environment (the same on every instance, so they share the limits), or
  else a random secret made when the process starts and kept only in its
  memory. A day's key hashes only that day's windows, so one client's hashes
  from different days cannot be matched with each other.
* **No time finer than the window.** One row per (throttle, client hash,
  window end) holds a count: fixed windows aligned to the clock, so nothing
  says when within its window an attempt came.
* **Gone when the window has passed.** ``sweep`` deletes finished windows and,
  on SQLite, checkpoints and truncates the WAL, so the hash leaves both the
  file and the WAL (``secure_delete`` zeroes what was deleted).
* **Check and count are one step.** An upsert that only adds one while the
  count is under the limit, so requests racing on any number of threads and
  instances can never pass a limit together (SQLite and PostgreSQL alike).

IPv6 clients are counted per network (``ipv6_prefix`` bits, /64 by default):
one home or phone connection may use any address of its /64.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import math
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import peewee as pw

from .config import ConfigError

if TYPE_CHECKING:  # the models are imported where they are used, below
    from .models import ThrottleCounter

GLOBAL = "*"  # the client for a throttle shared by everyone
SECRET_ENV = "TELLUS_THROTTLE_SECRET"
MIN_SECRET = 32  # characters; e.g. 64 hex digits from `python3 -c "import secrets; print(secrets.token_hex(32))"`
CHECKPOINT_BUSY_MS = 1000  # how long a sweep's checkpoint may hold up writers while it waits for readers


# ---- who a client is ---------------------------------------------------------


def client_of(address: object, ipv6_prefix: int = 64) -> str:
    """What the throttles count for a remote address: an IPv4 address, or the IPv6 network around it.

    An IPv4-mapped IPv6 address (``::ffff:a.b.c.d``) is the IPv4 client it
    stands for. Anything that is not an address counts as one client, "unknown".
    """
    try:
        ip = ipaddress.ip_address(str(address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ip)
    host_bits = 128 - ipv6_prefix
    return f"{ipaddress.IPv6Address(int(ip) >> host_bits << host_bits)}/{ipv6_prefix}"


class ClientKeys:
    """The daily keys that hash client addresses, derived from a secret that is never in the database."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.shared = secret is not None  # False: random, this process only
        self.secret = secret if secret is not None else secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._day: str | None = None
        self._key = b""

    @classmethod
    def from_environment(cls) -> ClientKeys:
        value = os.environ.get(SECRET_ENV, "").strip()
        if not value:
            return cls()
        if len(value) < MIN_SECRET:
            raise ConfigError(
                f"{SECRET_ENV} must be at least {MIN_SECRET} characters; make one with: "
                'python3 -c "import secrets; print(secrets.token_hex(32))".'
            )
        return cls(value.encode("utf-8", "surrogatepass"))

    def for_day(self, day: str) -> bytes:
        """The key for one UTC day, ``YYYY-MM-DD``."""
        with self._lock:
            if day != self._day:
                self._key = hmac.new(self.secret, b"tellus throttle day " + day.encode(), hashlib.sha256).digest()
                self._day = day
            return self._key


_default_keys: ClientKeys | None = None
_default_lock = threading.Lock()


def default_keys() -> ClientKeys:
    """This process's keys: from TELLUS_THROTTLE_SECRET when set, else random (made once, on first use)."""
    global _default_keys
    with _default_lock:
        if _default_keys is None:
            _default_keys = ClientKeys.from_environment()
        return _default_keys


# ---- counting ----------------------------------------------------------------


class Refused(Exception):
    """Over the limit: ``wait`` seconds until ``throttle`` lets this client in again."""

    def __init__(self, throttle: StoredThrottle, wait: int) -> None:
        super().__init__(f"over the limit of {throttle.name}; try again in {wait} s")
        self.throttle = throttle
        self.wait = wait


class StoredThrottle:
    """At most ``limit`` attempts per client in each fixed ``window`` of seconds, counted in the store."""

    def __init__(
        self, name: str, limit: int, window: int, clock: Callable[[], float] = time.time, keys: ClientKeys | None = None
    ) -> None:
        if limit < 1 or window < 1 or int(window) != window:
            raise ValueError("a throttle needs a positive limit and a whole number of seconds as its window")
        self.name = name
        self.limit = int(limit)
        self.window = int(window)
        self._clock = clock
        self._keys = keys

    def _window_end(self, now: float) -> int:
        return (int(now) // self.window + 1) * self.window

    def _client_key(self, client: str, window_end: int) -> bytes:
        if client == GLOBAL:
            return b"*"
        day = time.strftime("%Y-%m-%d", time.gmtime(window_end - self.window))
        key = (self._keys or default_keys()).for_day(day)
        message = self.name.encode() + b"\0" + str(client).encode("utf-8", "surrogatepass")
        return hmac.new(key, message, hashlib.sha256).digest()[:16]

    def _take(self, client: str) -> tuple[int, int, bytes]:
        """Count one attempt if under the limit. Returns (seconds to wait or 0, window end, client hash)."""
        from .models import ThrottleCounter, database

        now = self._clock()
        end = self._window_end(now)
        key = self._client_key(client, end)
        query = ThrottleCounter.insert(name=self.name, key_hash=key, window_end=end, count=1).on_conflict(
            conflict_target=[ThrottleCounter.name, ThrottleCounter.key_hash, ThrottleCounter.window_end],
            update={ThrottleCounter.count: ThrottleCounter.count + 1},
            where=ThrottleCounter.count < self.limit,
        )
        with database.atomic():
            counted = database.execute(query).rowcount == 1
        return (0 if counted else max(1, math.ceil(end - now))), end, key

    def hit(self, client: str) -> int:
        """Count one attempt unless over the limit. Returns 0, or seconds to wait (nothing counted)."""
        return self._take(client)[0]

    @contextlib.contextmanager
    def counted(self, client: str) -> Iterator[None]:
        """Count one attempt for the block, or raise Refused; given back if the block raises (nothing was done)."""
        wait, end, key = self._take(client)
        if wait:
            raise Refused(self, wait)
        try:
            yield
        except BaseException:
            self._give_back(end, key)
            raise

    def _give_back(self, end: int, key: bytes) -> None:
        from .models import ThrottleCounter, database

        with database.atomic():
            ThrottleCounter.update(count=ThrottleCounter.count - 1).where(
                (ThrottleCounter.name == self.name)
                & (ThrottleCounter.key_hash == key)
                & (ThrottleCounter.window_end == end)
                & (ThrottleCounter.count > 0)
            ).execute()

    def _live(self) -> pw.ModelSelect[ThrottleCounter]:
        from .models import ThrottleCounter

        return (
            ThrottleCounter.select(ThrottleCounter.key_hash)
            .where((ThrottleCounter.name == self.name) & (ThrottleCounter.window_end > self._clock()))
            .distinct()
        )

    def tracked_clients(self) -> int:
        return self._live().count()

    def held_keys(self) -> list[bytes]:
        """What is kept about clients (for tests that prove no address is held)."""
        return [bytes(k) for k in self._live().scalars()]


class Unlimited:
    """A throttle that never refuses (benchmarks, tests of other behaviour)."""

    name = "unlimited"
    limit = math.inf

    def hit(self, client: str) -> int:
        return 0

    def counted(self, client: str) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def tracked_clients(self) -> int:
        return 0

    def held_keys(self) -> list[bytes]:
        return []


# ---- forgetting --------------------------------------------------------------

_wal_owed = threading.Event()  # a sweep deleted rows but could not truncate the WAL yet


def sweep(now: float | None = None) -> int:
    """Delete every count whose window has ended, from the file and (SQLite) the WAL. Returns how many."""
    from .db import is_sqlite
    from .models import ThrottleCounter, database

    now = time.time() if now is None else now
    with database.atomic():
        deleted = ThrottleCounter.delete().where(ThrottleCounter.window_end <= now).execute()
    if is_sqlite() and (deleted or _wal_owed.is_set()):
        if _truncate_wal(database):
            _wal_owed.clear()
        else:
            _wal_owed.set()
    return deleted


def _truncate_wal(database: pw.Database | pw.DatabaseProxy) -> bool:
    """Copy the WAL into the file and cut it to nothing, so deleted rows' old pages go with it.

    It waits for readers on older snapshots only briefly (writers wait while
    it does): when they are still busy, the next sweep tries again.
    """
    from .db import SQLITE_PRAGMAS

    database.execute_sql(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_MS}")
    try:
        busy, _frames, _copied = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        database.execute_sql(f"PRAGMA busy_timeout = {SQLITE_PRAGMAS['busy_timeout']}")
    return not busy
