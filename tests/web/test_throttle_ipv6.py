"""IPv6 clients are counted per network (/64 by default), IPv4-mapped addresses as IPv4.

A home or phone connection gets a whole /64 and may use any address in it,
so counting single IPv6 addresses would let one person multiply every
limit. Tested directly (the address waitress puts in REMOTE_ADDR) and
through a trusted reverse proxy (waitress takes it from X-Forwarded-For).
"""

import http.client
import threading
import urllib.parse

import pytest

from bench.load import CSRF
from reporter_web import serve as web_serve
from reporter_web.site import Throttles
from store import Config
from store.config import ConfigError, config_from_mapping
from store.models import Report
from store.throttle import StoredThrottle, client_of

from .support import log_in, send_report, text_of, web
from .throttle_support import still_clock


def reports_and_codes(codes=10):
    """The site's per-client limits (5 reports, or ``codes`` code guesses), in one window for the whole test."""
    return Throttles(
        reports_per_client=StoredThrottle("report", 5, 3600, clock=still_clock()),
        code_per_client=StoredThrottle("code", codes, 900, clock=still_clock()),
    )


def test_addresses_are_counted_as_ipv4_hosts_and_ipv6_networks():
    assert client_of("198.51.100.7") == "198.51.100.7"
    assert client_of("::ffff:198.51.100.7") == "198.51.100.7"  # IPv4-mapped: the same client
    assert client_of("2001:db8:1:2:aaaa::1") == client_of("2001:DB8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_of("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert client_of("fe80::1%eth0") == "fe80::/64"
    assert (
        client_of("2001:db8:1:2::1", ipv6_prefix=48)
        == client_of("2001:db8:1:ff::1", ipv6_prefix=48)
        == "2001:db8:1::/48"
    )
    assert client_of("2001:db8::1", ipv6_prefix=128) != client_of("2001:db8::2", ipv6_prefix=128)
    for junk in ("", None, "unknown", "not an address", "1.2.3.4.5"):
        assert client_of(junk) == "unknown"


def test_the_prefix_is_a_setting_with_a_clear_answer_when_wrong():
    assert Config().ipv6_prefix == 64
    assert config_from_mapping({"ipv6_prefix": 56}).ipv6_prefix == 56
    for bad in (0, 16, 129):
        with pytest.raises(ConfigError, match="ipv6_prefix must be between 32 and 128"):
            config_from_mapping({"ipv6_prefix": bad})


def test_reports_from_one_slash_64_share_a_limit_and_another_slash_64_does_not(sqlite_db, config):
    throttles = reports_and_codes()
    one_network = ["2001:db8:1:2::10", "2001:db8:1:2:8000::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"]
    for n in range(5):
        send_report(web(config, throttles=throttles, remote_addr=one_network[n % 3]), two_way=None)
    page = send_report(
        web(config, throttles=throttles, remote_addr="2001:db8:1:2::99"),
        status=429,
        description="Sixth, from a new address in the same /64",
    )
    assert "several reports in a short time" in text_of(page)
    send_report(web(config, throttles=throttles, remote_addr="2001:db8:1:3::10"), two_way=None)  # the next /64
    assert Report.select().count() == 6


def test_an_ipv4_mapped_address_is_the_same_client_as_its_ipv4_address(sqlite_db, config):
    throttles = reports_and_codes()
    for n in range(5):
        send_report(
            web(config, throttles=throttles, remote_addr="198.51.100.7" if n % 2 else "::ffff:198.51.100.7"),
            two_way=None,
        )
    send_report(web(config, throttles=throttles, remote_addr="::ffff:198.51.100.7"), status=429)
    send_report(web(config, throttles=throttles, remote_addr="198.51.100.7"), status=429)


def test_a_wider_prefix_when_configured(sqlite_db):
    config = Config(ipv6_prefix=48)
    throttles = reports_and_codes(codes=2)
    log_in(web(config, throttles=throttles, remote_addr="2001:db8:1:2::1"), "0000-0000-0000-0000", status=400)
    log_in(web(config, throttles=throttles, remote_addr="2001:db8:1:3::1"), "0000-0000-0000-0000", status=400)
    log_in(web(config, throttles=throttles, remote_addr="2001:db8:1:4::1"), "0000-0000-0000-0000", status=429)
    log_in(web(config, throttles=throttles, remote_addr="2001:db8:2::1"), "0000-0000-0000-0000", status=400)


# ---- through waitress, as deployed ------------------------------------------------


@pytest.fixture
def served(sqlite_url, config):
    """``tellus web``'s server in this process, with throttles of 2 code guesses per client."""

    def start(host="127.0.0.1", trusted_proxy=None):
        server = web_serve.build_server(
            config,
            sqlite_url,
            host=host,
            port=0,
            threads=2,
            trusted_proxy=trusted_proxy,
            throttles=reports_and_codes(codes=2),
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        started.append((server, thread))
        return server

    started = []
    yield start
    for server, thread in started:
        # Closed inside waitress's own loop, so it never polls a socket closed under it.
        server.trigger.pull_trigger(server.close)
        thread.join(10)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive()


def guess(host, port, forwarded_for=None):
    """GET the code form and POST a wrong code; the POST's status."""
    cookies = []  # the code form only works in the browser it was shown to

    def request(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        headers = dict(headers or {})
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        conn.request(method, path, body, headers)
        res = conn.getresponse()
        text = res.read().decode()
        cookies.extend(c.split(";")[0] for c in res.headers.get_all("Set-Cookie") or [])
        conn.close()
        return res.status, text

    token = CSRF.search(request("GET", "/continue")[1]).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "code": "0000-0000-0000-0000"})
    return request("POST", "/continue", body, {"Content-Type": "application/x-www-form-urlencoded"})[0]


def test_through_a_trusted_proxy_clients_are_counted_per_slash_64(served):
    server = served(trusted_proxy="127.0.0.1")
    port = server.effective_port
    assert guess("127.0.0.1", port, "2001:db8:5:6::1") == 400
    assert guess("127.0.0.1", port, "2001:db8:5:6:abcd::2") == 400
    assert guess("127.0.0.1", port, "2001:db8:5:6::3") == 429  # the same /64
    assert guess("127.0.0.1", port, "2001:db8:5:7::1") == 400  # another /64
    # waitress splits "::ffff:a.b.c.d" at its last colon as if it ended in a port; still the IPv4 client.
    assert guess("127.0.0.1", port, "::ffff:198.51.100.9") == 400
    assert guess("127.0.0.1", port, "198.51.100.9") == 400
    assert guess("127.0.0.1", port, "::ffff:198.51.100.9") == 429
    assert guess("127.0.0.1", port, "198.51.100.10") == 400


def test_directly_over_ipv6_the_peer_address_is_counted(served):
    try:
        server = served(host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    port = server.effective_port
    assert [guess("::1", port) for _ in range(3)] == [400, 400, 429]
    other = served(host="127.0.0.1")
    assert guess("127.0.0.1", other.effective_port) == 400  # an IPv4 client is another client
