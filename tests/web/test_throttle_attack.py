"""A copy of the database gives back no client address (ARCHITECTURE.md, "Nothing identifying is kept").

The attacker here holds only the bytes of the SQLite file, its WAL and its
shared-memory file, copied while the site ran. Reports, wrong and right code
guesses, a code login and a message came from one known IPv4 address and one
known IPv6 address. The attacker tries every key the bytes offer (every
setting, every stored value, every hex run) against the *real* addresses in
every encoding, hashed the ways a throttle could hash them. If the right
address does not match under any candidate key, no address will: that keeps
the test strong and fast. A timed brute force over a /16 then measures what
trying all of IPv4 would cost with such a key.

Also here: throttle rows hold no time finer than their window, and counts
whose window has passed are gone from the file and the WAL, not only deleted.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import pathlib
import re
import sqlite3
import time

import pytest

from store import throttle as throttle_mod
from store.models import database

from .support import code_on, log_in, send_report, token_of, web

IPV4 = "198.51.100.23"  # TEST-NET-2
IPV6 = "2001:db8:77:5:a1b2::15"  # documentation prefix; its /64 is 2001:db8:77:5::/64
BRUTE_FORCE_RANGE = ipaddress.ip_network("198.51.0.0/16")  # holds TEST-NET-2, and IPV4

STORY = (
    "Po seminarium ktoś szedł za mną aż do akademika. 😟 "
    "Dywedodd rhywun rywbeth cas wrthyf yn y llyfrgell. "
    "قال لي أحدهم كلاماً مسيئاً في المكتبة. "
)


def drive_the_site(config, path):
    """Reports, code guesses, a login and a message from IPV4 and IPV6, with other clients around them.

    Returns an open connection standing in for an adviser's app: while any
    connection is open SQLite keeps the WAL, as it does on a live server.
    """
    watcher = sqlite3.connect(path)
    watcher.execute("SELECT count(*) FROM tellus_setting").fetchone()
    for n in range(3):
        send_report(web(config, remote_addr=f"203.0.113.{n + 1}"), two_way=None, description=STORY * (n + 1))
    for address in (IPV4, IPV6):
        app = web(config, remote_addr=address)
        codes = [code_on(send_report(app, description=STORY * 20)) for _ in range(3)]
        for _ in range(3):
            log_in(app, "0000-0000-0000-0000", status=400)
        log_in(app, codes[1])
        page = app.get("/conversation")
        app.post("/conversation", {"csrf_token": token_of(page), "body": STORY}, status=303)
    send_report(web(config, remote_addr="2001:db8:99::1"), two_way=None)
    return watcher


def copy_files(path):
    """The attacker's copy: the bytes of the database, its WAL and its shared memory."""
    files = {}
    for suffix in ("", "-wal", "-shm"):
        try:
            files["tellus.db" + suffix] = (path.parent / (path.name + suffix)).read_bytes()
        except FileNotFoundError:
            pass
    return files


HEX_RUN = re.compile(rb"[0-9a-fA-F]{32,}")


def hex_windows(text):
    """Every 16- and 32-byte window of every hex run (at every offset), decoded, plus the hex itself."""
    for run in HEX_RUN.findall(text):
        for width in (32, 64):
            for i in range(len(run) - width + 1):
                window = run[i : i + width]
                yield bytes.fromhex(window.decode())
                yield window


class Attacker:
    """Holds only the copied bytes; every conclusion comes from them."""

    def __init__(self, files, workdir):
        self.files = files
        self.windows = set()  # every 8-byte window: a digest truncated to 8, 16 or 32 bytes starts with one
        self.hex_windows = set()  # every 16-hex-digit window, lower case
        for data in files.values():
            self.windows.update(data[i : i + 8] for i in range(len(data) - 7))
            for run in re.findall(rb"[0-9a-f]{16,}", data.lower()):
                self.hex_windows.update(run[i : i + 16] for i in range(len(run) - 15))
        # What ``seen`` looks a digest's first 8 bytes up in, as one set: the raw windows, and each hex window
        # as the 8 bytes it spells (a digest's lower-case hex is that window exactly when its bytes are these).
        self.heads = self.windows | {bytes.fromhex(w.decode()) for w in self.hex_windows}
        for name, data in files.items():
            (workdir / name).write_bytes(data)
        conn = sqlite3.connect(workdir / "tellus.db")  # reads the copied WAL too
        self.values, self.settings, self.throttle_names, self.client_throttles = [], [], set(), set()
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            for row in cursor:
                self.values.extend(row)
                if table == "tellus_setting":
                    self.settings.extend(row)
                if table.startswith("throttle") and "name" in columns:
                    name = row[columns.index("name")]
                    self.throttle_names.add(name)
                    if b"*" not in [v for v in row if isinstance(v, bytes)]:
                        self.client_throttles.add(name)  # counts clients, not everyone together
        conn.close()

    # ---- the keys to try -----------------------------------------------------------

    @staticmethod
    def keys_in(value):
        """A stored value as candidate keys: itself, its parts, its hex windows."""
        if isinstance(value, bytes) and len(value) <= 512:
            yield value
            for width in (16, 32):
                for i in range(len(value) - width + 1):
                    yield value[i : i + width]
        elif isinstance(value, str) and len(value) <= 512:
            raw = value.encode("utf-8", "surrogatepass")
            yield raw
            for part in re.split(rb"[:\s$,;=|/]", raw):
                if part:
                    yield part
            yield from hex_windows(raw)

    def candidate_keys(self):
        keys = set()
        for value in self.values:
            keys.update(self.keys_in(value))
        for data in self.files.values():
            keys.update(hex_windows(data))
        return self.with_derived(keys)

    def setting_keys(self):
        """For the brute force: each setting whole, split into its parts, and hex parts decoded.

        (Every window and derivation of every value was already tried against the real address.)
        """
        keys = set()
        for value in self.settings:
            raw = value.encode() if isinstance(value, str) else value
            parts = [raw] + [p for p in re.split(rb"[:\s$,;=|/]", raw) if p]
            keys.update(parts)
            keys.update(bytes.fromhex(p.decode()) for p in parts if HEX_RUN.fullmatch(p) and len(p) % 2 == 0)
        return keys

    @staticmethod
    def with_derived(keys):
        """Each key also as the daily key the code would derive from it, for today and yesterday."""
        today = dt.datetime.now(dt.UTC).date()
        days = [str(today), str(today - dt.timedelta(days=1))]
        return keys | {throttle_mod.ClientKeys(secret=key).for_day(day) for key in keys if key for day in days}

    # ---- the address, every way it could have been written ---------------------

    def messages(self, address):
        ip = ipaddress.ip_address(address)
        forms = {address, str(ip), ip.exploded}
        packed = {ip.packed}
        if ip.version == 4:
            mapped = ipaddress.IPv6Address("::ffff:" + str(ip))
            forms |= {str(mapped), mapped.exploded, f"::ffff:{ip}"}
            packed.add(mapped.packed)
        else:
            net = ipaddress.ip_network(f"{ip}/64", strict=False)
            forms |= {str(net), str(net.network_address), net.network_address.exploded, net.exploded}
            packed |= {net.network_address.packed, net.network_address.packed[:8]}
        forms.add(throttle_mod.client_of(address))  # what the site counts
        plain = {f.encode() for f in forms} | packed
        out = set(plain)
        for name in self.throttle_names | {"code", "code_global", "report", "report_site"}:
            for sep in (b"\0", b":", b"|", b""):
                out |= {name.encode() + sep + m for m in plain}
        return out

    def seen(self, digest):
        """Whether the copy holds the digest's first 8 bytes, raw or as lower-case hex."""
        return digest[:8] in self.heads

    def links(self, address, keys):
        """Every (how, what, key) by which the bytes give ``address`` away; empty when nothing does."""
        found = []
        for message in self.messages(address):
            if self.seen(hashlib.sha256(message).digest()):
                found.append(("plain sha256", message, None))
        for form in (address.encode(), address.encode("utf-16-le"), ipaddress.ip_address(address).exploded.encode()):
            if any(form in data for data in self.files.values()):
                found.append(("stored as it is", form, None))
        ip = ipaddress.ip_address(address)
        if ip.version == 6:
            for packed in (ip.packed, ipaddress.ip_network(f"{ip}/64", strict=False).network_address.packed[:8]):
                if any(packed in data for data in self.files.values()):
                    found.append(("stored packed", packed, None))
        # The keyed hashes a throttle could store, HMAC-SHA256 and SHA-256 over key then message, of every
        # key and message, each looked up as ``seen`` does (written out here: the loop runs some eight million
        # times, and calls per digest were most of its time).
        messages = self.messages(address)
        heads, hmac_digest, sha256 = self.heads, hmac.digest, hashlib.sha256
        for key in keys:
            for message in messages:
                if hmac_digest(key, message, "sha256")[:8] in heads or sha256(key + message).digest()[:8] in heads:
                    found.append(("keyed hash", message, key))
        return found

    def brute_force(self, network, keys):
        """Try every address of ``network`` under ``keys`` the way the site hashes; (found, hashes, seconds)."""
        names = sorted(self.client_throttles) or ["code"]
        client_of = throttle_mod.client_of
        found, hashes = [], 0
        started = time.perf_counter()
        windows, hmac_digest = self.windows, hmac.digest
        for address in network:
            text = client_of(str(address)).encode()
            variants = [text] + [name.encode() + b"\0" + text for name in names]
            for key in keys:
                for message in variants:
                    if hmac_digest(key, message, "sha256")[:8] in windows:
                        found.append(str(address))
                hashes += len(variants)
        return found, hashes, time.perf_counter() - started


@pytest.fixture
def attacked(sqlite_db, sqlite_url, config, tmp_path):
    """The site driven from IPV4 and IPV6, then the attacker's copy of the files."""
    watcher = drive_the_site(config, pathlib.Path(sqlite_url))
    try:
        files = copy_files(pathlib.Path(sqlite_url))
    finally:
        watcher.close()
        database.close()
    assert files.get("tellus.db-wal"), "the copy must include a WAL with content"
    workdir = tmp_path / "attacker"
    workdir.mkdir()
    return Attacker(files, workdir)


def test_no_key_in_the_copy_links_any_report_login_or_message_to_the_address(attacked):
    started = time.perf_counter()
    keys = attacked.candidate_keys()
    assert len(keys) > 100  # settings, hashes, tokens and every hex run were tried
    assert attacked.throttle_names, "the throttles counted these clients in the store"
    for address in (IPV4, IPV6):
        assert attacked.links(address, keys) == [], f"{address} recovered from the copy"
    print(
        f"attack on the copy ({sum(map(len, attacked.files.values())):,} bytes): {len(keys):,} candidate keys x "
        f"{len(attacked.messages(IPV4))} + {len(attacked.messages(IPV6))} encodings of the two addresses, "
        f"nothing found, {time.perf_counter() - started:.1f} s"
    )


def test_the_attack_would_find_the_address_if_the_key_were_in_the_copy(attacked):
    """The positive control: given the process's own key, the same attack recovers both addresses."""
    process_keys = throttle_mod.default_keys()
    key = process_keys.secret
    for address in (IPV4, IPV6):
        assert attacked.links(address, attacked.with_derived({key})), (
            f"the attack cannot see {address} even with the key"
        )


def test_a_timed_brute_force_over_a_slash_16_finds_nothing(attacked, record_property):
    keys = attacked.setting_keys()
    found, hashes, seconds = attacked.brute_force(BRUTE_FORCE_RANGE, keys)
    rate = hashes / seconds
    per_key_all_ipv4 = 2**32 / rate  # one key, the site's own encoding
    summary = (
        f"brute force: {BRUTE_FORCE_RANGE.num_addresses} addresses x {len(keys)} candidate keys from "
        f"tellus_setting = {hashes:,} HMAC-SHA256 in {seconds:.1f} s ({rate:,.0f}/s); all of IPv4 would take "
        f"{per_key_all_ipv4 / 60:.0f} min per candidate key; found: {sorted(set(found)) or 'nothing'}"
    )
    print(summary)
    record_property("brute_force", summary)
    assert found == []
    # The same brute force, handed the process's keys for today (and yesterday, near midnight), finds the
    # address: it is a real search.
    keys = throttle_mod.default_keys()
    days = {time.strftime("%Y-%m-%d", time.gmtime(time.time() - lag)) for lag in (0, 3600)}
    assert set(attacked.brute_force(BRUTE_FORCE_RANGE, {keys.for_day(day) for day in days})[0]) == {IPV4}


def throttle_rows(conn):
    """Every row of every throttle table, as dicts (read straight from the file)."""
    rows = []
    tables = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'throttle%'")
    ]
    for table in tables:
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        columns = [c[0] for c in cursor.description]
        rows += [dict(zip(columns, row)) for row in cursor]
    return rows


def test_throttle_rows_hold_no_time_finer_than_their_window(sqlite_db, sqlite_url, config):
    app = web(config, remote_addr=IPV4)
    send_report(app)
    log_in(app, "0000-0000-0000-0000", status=400)
    conn = sqlite3.connect(sqlite_url)
    rows = throttle_rows(conn)
    conn.close()
    assert {r["name"] for r in rows} >= {"code", "report"}
    windows = {"code": 15 * 60, "report": 60 * 60, "code_global": 60}
    for row in rows:
        window = windows.get(row["name"], 60)
        times = [v for k, v in row.items() if k not in ("count", "id") and isinstance(v, (int, float))]
        assert times and all(v == int(v) and int(v) % window == 0 for v in times), row


class Clock:
    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_counts_whose_window_passed_are_gone_from_the_file_and_the_wal(sqlite_db, sqlite_url):
    clock = Clock()
    limiter = throttle_mod.StoredThrottle("code", 5, 15 * 60, clock=clock)
    for n in range(40):
        limiter.hit(f"198.51.100.{n}")
    conn = sqlite3.connect(sqlite_url)  # another reader, as on a live server: the WAL stays
    stored = [v for row in throttle_rows(conn) for v in row.values() if isinstance(v, bytes) and len(v) >= 8]
    assert len(stored) == 40
    clock.now += 15 * 60 + 1
    throttle_mod.sweep(clock.now)
    path = pathlib.Path(sqlite_url)
    data = b"".join(
        (path.parent / (path.name + s)).read_bytes()
        for s in ("", "-wal", "-shm")
        if (path.parent / (path.name + s)).exists()
    )
    conn.close()
    assert throttle_rows(sqlite3.connect(sqlite_url)) == []
    assert [h for h in stored if h in data] == [], "deleted counts can still be read from the file or the WAL"
