"""Limits that hold when raced: many requests at once, on SQLite and PostgreSQL.

Each test lets every request through a barrier together, so the check and
the count of a limit are truly contended. A limit holds when the number let
through is exactly the limit, however the requests interleave.
"""

import http.client
import secrets
import threading
import urllib.parse

import pytest
from webtest import TestApp

from bench.load import CSRF, WebServer
from reporter_web import make_app
from reporter_web.site import Throttles
from store.models import Report, database
from store.throttle import StoredThrottle

from .support import report_fields, token_of
from .throttle_support import fresh_window, still_clock

PARALLEL = 12


def together(jobs, timeout=180):
    """Run each job in its own thread, all released at once; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(i, job):
        try:
            barrier.wait(timeout)
            results[i] = job()
        except Exception as exc:  # shown by the assertion below
            errors.append(repr(exc))
        finally:
            if not database.is_closed():
                database.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a request never finished"
    assert errors == []
    return results


def report_job(app, address):
    """A reporter with the form already open, pressing send: returns the status."""
    client = TestApp(app, extra_environ={"REMOTE_ADDR": address})
    token = token_of(client.get("/report"))
    fields = {"csrf_token": token, **report_fields(description="Sent in parallel. 🙏 Wysłane równolegle.")}
    return lambda: client.post("/report", fields, expect_errors=True).status_int


def test_twelve_parallel_reports_from_one_address_store_only_five(db, config):
    fresh_window(3600, 120)  # the site's own limit: 5 an hour, in windows fixed to the clock
    app = make_app(config)
    jobs = [report_job(app, "198.51.100.40") for _ in range(PARALLEL)]
    database.close()
    statuses = together(jobs)
    print(
        f"parallel reports ({db.url.split(':')[0] if '://' in db.url else 'sqlite'}): "
        f"{Report.select().count()} of {PARALLEL} stored, answers {sorted(statuses)}"
    )
    assert Report.select().count() == 5
    assert sorted(statuses) == [200] * 5 + [429] * 7


def test_parallel_reports_from_many_addresses_stop_at_the_site_brake(db, config):
    app = make_app(
        config, throttles=Throttles(reports_site=StoredThrottle("report_site", 5, 3600, clock=still_clock()))
    )
    jobs = [report_job(app, f"198.51.100.{50 + n}") for n in range(PARALLEL)]
    database.close()
    statuses = together(jobs)
    assert Report.select().count() == 5
    assert sorted(statuses) == [200] * 5 + [429] * 7


def code_job(app, address):
    client = TestApp(app, extra_environ={"REMOTE_ADDR": address})
    token = token_of(client.get("/continue"))
    return lambda: (
        client.post("/continue", {"csrf_token": token, "code": "0000-0000-0000-0000"}, expect_errors=True).status_int
    )


def test_parallel_code_guesses_from_one_address_stop_at_its_limit(db, config):
    app = make_app(config, throttles=Throttles(code_per_client=StoredThrottle("code", 4, 15 * 60, clock=still_clock())))
    jobs = [code_job(app, "198.51.100.70") for _ in range(PARALLEL)]
    database.close()
    assert sorted(together(jobs)) == [400] * 4 + [429] * 8  # 400: checked, and the code matched nothing


def test_parallel_code_guesses_from_many_addresses_stop_at_the_global_limit(db, config):
    app = make_app(config, throttles=Throttles(code_global=StoredThrottle("code_global", 4, 60, clock=still_clock())))
    jobs = [code_job(app, f"198.51.100.{80 + n}") for n in range(PARALLEL)]
    database.close()
    assert sorted(together(jobs)) == [400] * 4 + [429] * 8


# ---- two server processes, one database -------------------------------------------


def post_report(port, address="127.0.0.1"):
    """GET the form and POST it from ``address`` to the server on ``port``; returns a sender for later."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(address, 0))
    conn.request("GET", "/report")
    token = CSRF.search(conn.getresponse().read().decode()).group(1)
    conn.close()
    body = urllib.parse.urlencode({"csrf_token": token, **report_fields(description="Two processes, one client.")})

    def send():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(address, 0))
        c.request("POST", "/report", body, {"Content-Type": "application/x-www-form-urlencoded"})
        status = c.getresponse().status
        c.close()
        return status

    return send


@pytest.mark.e2e
@pytest.mark.e2e  # two real `tellus web`-like server processes
def test_twelve_parallel_reports_split_over_two_server_processes_store_only_five(db, monkeypatch):
    # Both instances derive the same client keys from one secret kept outside the database.
    monkeypatch.setenv("TELLUS_THROTTLE_SECRET", secrets.token_hex(32))
    database.close()
    fresh_window(3600, 180)
    servers = [WebServer(db.url, threads=6), WebServer(db.url, threads=6)]
    try:
        for s in servers:
            s.wait_healthy()
        jobs = [post_report(servers[n % 2].port) for n in range(PARALLEL)]
        statuses = together(jobs)
    finally:
        for s in servers:
            s.stop()
    assert b"Traceback" not in b"".join(s.printed() for s in servers)
    print(
        f"parallel reports over two processes: {Report.select().count()} of {PARALLEL} stored, answers {sorted(statuses)}"
    )
    assert Report.select().count() == 5
    assert sorted(statuses) == [200] * 5 + [429] * 7
