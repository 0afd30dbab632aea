"""Two `tellus web` processes sharing one PostgreSQL database (README, "Several instances").

A reporter logs in on one instance and carries on on the other (sessions
live in the store), and the throttles count across both (they live in the
store too, hashed under keys both derive from one TELLUS_THROTTLE_SECRET), so
a second instance does not double anyone's code guesses.
"""

import http.client
import re
import secrets
import urllib.parse

import pytest

from bench.load import CODE, COOKIE, CSRF, WebServer, loopback_sources_work

from ..web.throttle_support import fresh_window

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not loopback_sources_work(), reason="needs 127/8 loopback sources"),
]


class Browser:
    """A cookie-keeping client at one loopback address, talking to whichever instance it is told."""

    def __init__(self, address="127.0.3.7"):
        self.address, self.cookie, self.browser = address, None, None  # session and browser cookies

    def go(self, server, path, fields=None):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30, source_address=(self.address, 0))
        cookies = [
            f"{name}={value}"
            for name, value in (("tellus_session", self.cookie), ("tellus_browser", self.browser))
            if value
        ]
        headers = {"Cookie": "; ".join(cookies)} if cookies else {}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST" if fields is not None else "GET", path, body, headers)
        res = conn.getresponse()
        text = res.read().decode()
        conn.close()
        for cookie in res.headers.get_all("Set-Cookie") or []:
            if cookie.startswith("tellus_session="):
                self.cookie = COOKIE.search(cookie).group(1) or None
            elif cookie.startswith("tellus_browser="):
                self.browser = cookie.split(";")[0].split("=", 1)[1]
        return res.status, res, text

    def token(self, server, path):
        return CSRF.search(self.go(server, path)[2]).group(1)


@pytest.fixture
def two(postgres_url, monkeypatch):
    monkeypatch.setenv("TELLUS_THROTTLE_SECRET", secrets.token_hex(32))  # as deploy/ sets it for every instance
    servers = [WebServer(postgres_url, threads=4), WebServer(postgres_url, threads=4)]
    try:
        for s in servers:
            s.wait_healthy()
        yield servers
    finally:
        for s in servers:
            s.stop()
    for s in servers:
        assert not re.search(rb"Traceback|Error|locked", s.printed()), s.printed()


def test_a_reporter_who_logs_in_on_one_instance_continues_on_the_other(two):
    a, b = two
    me = Browser()
    # The form comes from A and is sent to B: the signing key is shared through the store.
    status, _, page = me.go(
        b,
        "/report",
        {
            "csrf_token": me.token(a, "/report"),
            "way": "anonymous",
            "role": "student",
            "category": "Harassment",
            "description": "Seen on two instances.",
            "two_way": "on",
        },
    )
    assert status == 200
    code = CODE.search(page).group(1)
    status, res, _ = me.go(a, "/continue", {"csrf_token": me.token(b, "/continue"), "code": code})
    assert status == 303 and res.getheader("Location").endswith("/conversation") and me.cookie
    status, _, page = me.go(b, "/conversation")
    assert status == 200 and "Seen on two instances." in page
    status, _, _ = me.go(b, "/conversation", {"csrf_token": CSRF.search(page).group(1), "body": "Written on B."})
    assert status == 303
    status, _, page = me.go(a, "/conversation")
    assert status == 200 and "Written on B." in page
    # Logging out on A ends the session on B as well.
    old = me.cookie
    assert me.go(a, "/logout", {"csrf_token": CSRF.search(page).group(1)})[0] == 303
    me.cookie = old  # replayed: the store no longer knows it
    status, res, _ = me.go(b, "/conversation")
    assert status == 303 and "/continue" in res.getheader("Location")


def test_code_guesses_are_counted_across_instances(two):
    a, b = two
    fresh_window(15 * 60, 120)  # the limit is counted in 15-minute windows fixed to the clock
    guesser = Browser("127.0.3.8")
    answers = []
    for n in range(12):  # the limit is 10 per client per 15 minutes, whichever instance answers
        server = (a, b)[n % 2]
        status, _res, _ = guesser.go(
            server, "/continue", {"csrf_token": guesser.token(server, "/continue"), "code": "0000-0000-0000-0000"}
        )
        answers.append(status)
    assert answers[:10] == [400] * 10 and answers[10:] == [429, 429]
    # Another client is counted apart.
    other = Browser("127.0.3.9")
    assert (
        other.go(b, "/continue", {"csrf_token": other.token(b, "/continue"), "code": "0000-0000-0000-0000"})[0] == 400
    )


def test_pooled_connections_the_server_dropped_are_replaced_not_failed(postgres_url):
    """The web server pools PostgreSQL connections; one killed under it must not cost a request."""
    import uuid

    import psycopg

    from tests.conftest import POSTGRES_URL

    name = "tellus_pool_" + uuid.uuid4().hex[:8]
    server = WebServer(f"{postgres_url}&application_name={name}", threads=4)
    try:
        server.wait_healthy()
        me = Browser("127.0.3.10")
        assert all(me.go(server, "/healthz")[0] == 200 for _ in range(5))
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            killed = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s", (name,)
            ).fetchone()[0]
        assert killed >= 1
        assert [me.go(server, "/healthz")[0] for _ in range(5)] == [200] * 5
        assert (
            me.go(server, "/continue", {"csrf_token": me.token(server, "/continue"), "code": "0000-0000-0000-0000"})[0]
            == 400
        )
    finally:
        server.stop()
    assert b"Traceback" not in server.printed()
