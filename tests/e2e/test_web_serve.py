"""A real `tellus web` spoken to over raw sockets: the answers waitress writes itself, paths that
are not UTF-8, and clients that never finish their headers."""

import http.client
import re
import socket
import threading
import time

import pytest

from bench.spawn import spawn_server, stop_process, tellus_web_argv

# One worker starts the module's one server for all its tests (pytest-xdist, pyproject addopts).
pytestmark = pytest.mark.xdist_group("e2e-web-serve")

HARDENED = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One `tellus web` process for the raw-socket tests below."""
    proc, _, port = spawn_server(tellus_web_argv(tmp_path_factory.mktemp("serve") / "site.db", threads=4))
    try:
        wait_until(lambda: get(port, "/healthz")[0] == 200, 30, "the site answers")
        yield port
    finally:
        stop_process(proc)
        proc.stdout.close()


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def get(port, path, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        res = conn.getresponse()
        return res.status, res.read()
    except OSError:
        return None, b""
    finally:
        conn.close()


def exchange(port, data, timeout=10):
    """Send exactly these bytes; return (status, {header: value}, body) of the answer, read to the end.

    The answer is read while the bytes are still going out: waitress answers an
    oversized request early and closes, and the client must not miss that answer.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:

        def send():
            try:
                sock.sendall(data)
            except OSError:  # the server already answered and closed
                pass

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:  # closed with our bytes unread, after its answer
            pass
        sender.join(timeout)
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


WAITRESS_ERRORS = {
    "a bad request line": (b"GARBAGE\r\n\r\n", 400),
    "a header without a colon": (b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),
    "two Content-Lengths": (
        b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        400,
    ),
    "a body over waitress's limit": (b"POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n", 413),
    "a broken chunked body": (b"POST /report HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", 400),
    "headers over waitress's limit": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n", 431),
    "a transfer coding it does not know": (b"POST /report HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
}


@pytest.mark.parametrize("case", WAITRESS_ERRORS)
def test_errors_waitress_writes_itself_carry_our_headers(site, case):
    data, status = WAITRESS_ERRORS[case]
    got, headers, body = exchange(site, data)
    assert got == status
    for name, value in HARDENED.items():
        assert headers.get(name) == value, (name, headers)
    text = body.decode()
    assert "waitress" not in text and "Traceback" not in text
    assert headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("path", ["/report%ff", "/report%FF%FE", "/rep%c3ort", "/continue%80", "/%ff"])
def test_a_path_with_bytes_that_are_not_utf8_is_not_a_page(site, path):
    got, headers, body = exchange(site, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert got == 404
    assert b"Page not found" in body and b'name="csrf_token"' not in body
    assert headers["content-security-policy"] == HARDENED["content-security-policy"]


def test_a_hundred_and_fifty_clients_that_never_finish_their_headers_do_not_starve_the_site(tmp_path):
    """Slow clients: each sends half a request line and waits. Everyone else is still served."""
    proc, _, port = spawn_server(tellus_web_argv(tmp_path / "site.db", threads=4))
    held = []
    try:
        wait_until(lambda: get(port, "/healthz")[0] == 200, 30, "the site answers")
        for _ in range(150):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /rep")
            held.append(sock)
        for path in ("/healthz", "/report", "/", "/continue", "/static/tellus.css", "/healthz"):
            started = time.monotonic()
            status, _ = get(port, path, timeout=5)
            took = time.monotonic() - started
            assert status == 200 and took < 2.0, (path, status, round(took, 2))
    finally:
        for sock in held:
            sock.close()
        stop_process(proc)
        printed = proc.stdout.read()
        proc.stdout.close()
    assert not re.search(rb"Traceback|WARNING|ERROR|limit", printed), printed
