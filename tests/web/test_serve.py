"""The waitress server around the app: proxy trust and what its logs may say."""

import logging
import socket
import threading
import time

from reporter_web import serve as web_serve


def test_waitress_logs_lose_addresses_and_exception_text(capsys):
    web_serve._quiet_logging()
    log = logging.getLogger("waitress")
    try:
        raise OSError("connection reset by 198.51.100.42 port 5555")
    except OSError:
        log.exception("Socket error from 198.51.100.42 and 2001:db8::7")
    logging.getLogger("waitress.queue").warning("Task queue depth is 9")
    err = capsys.readouterr().err
    assert "Socket error" in err and "(OSError)" in err
    assert "198.51.100.42" not in err and "2001:db8::7" not in err and "reset by" not in err
    assert "queue depth" not in err


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(sqlite_url, config):
    server = web_serve.build_server(config, sqlite_url, port=0, threads=1)
    try:
        assert server.adj.trusted_proxy is None and server.adj.clear_untrusted_proxy_headers
        assert server.adj.max_request_body_size >= 64 * 1024
    finally:
        server.close()


def test_a_trusted_proxy_supplies_the_client_address(sqlite_url, config):
    server = web_serve.build_server(config, sqlite_url, port=0, threads=1, trusted_proxy="127.0.0.1")
    try:
        assert server.adj.trusted_proxy == "127.0.0.1" and "x-forwarded-for" in server.adj.trusted_proxy_headers
    finally:
        server.close()


def test_a_connection_that_stays_silent_is_closed(sqlite_url, config):
    """The other half of slow clients: a half-sent request does not hold its connection for long."""
    server = web_serve.build_server(config, sqlite_url, port=0, threads=1, channel_timeout=2, cleanup_interval=1)
    runner = threading.Thread(target=server.run, daemon=True)
    runner.start()
    silent = []
    try:
        for _ in range(20):
            sock = socket.create_connection(("127.0.0.1", server.effective_port), timeout=10)
            sock.sendall(b"GET /report HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
            silent.append(sock)
        started = time.monotonic()
        for sock in silent:
            assert sock.recv(1024) == b""  # closed by the server, without an answer
        assert time.monotonic() - started < 8
        assert server.adj.channel_timeout == 2 and web_serve.CHANNEL_TIMEOUT <= 30
    finally:
        for sock in silent:
            sock.close()
        server.close()
        server.task_dispatcher.shutdown()
        runner.join(timeout=10)
