"""``tellus web``: serve the reporter site with waitress, logging nothing identifying.

waitress writes no access log of its own; what it does log (errors, queue
warnings) goes through a filter that removes anything shaped like an
address, and Bottle's error tracebacks are cut down to their frames (see
security.TracebackOnlyStream). Request bodies are capped at MAX_BODY by the
app (with our error page), those of the forms that carry files at
multipart.body_limit; waitress's own cap is twice that, so a body a little
over the limit is still read (and discarded) and answered with the form
again, and only absurd bodies are refused unread. Waitress keeps every body
in memory (inbuf_overflow above the cap): no upload's bytes touch the disk. The answers waitress writes itself (a malformed
request, a body over its cap) carry the site's headers too.

Slow clients: waitress reads requests in its event loop and hands only
complete ones to the worker threads, so a client that never finishes its
headers holds a connection, not a thread. Connections are therefore allowed
generously (CONNECTIONS, polled rather than select()ed, which stops at 1024
descriptors) and one that stays silent for CHANNEL_TIMEOUT seconds is closed.
"""

import logging
import resource
import sys
import threading

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server
from waitress.task import ErrorTask

from store import open_database, throttle
from store.db import is_sqlite
from store.models import database

from . import i18n
from .app import make_app
from .errors import DEFAULT_ERRORS
from .multipart import discard_cap
from .security import MAX_BODY, redact, security_headers

CONNECTIONS = 1000  # open connections at once (at most; see _connection_limit)
CHANNEL_TIMEOUT = 30  # seconds a connection may stay silent (waitress's default is 120)
CLEANUP_INTERVAL = 5  # seconds between checks for silent connections


class _RedactAddresses(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if record.exc_info:
            # A traceback's last line can repeat a peer address; keep only its type.
            exc_type = record.exc_info[0]
            message += f" ({exc_type.__name__})" if exc_type else ""
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = redact(message), ()
        return True


def _quiet_logging():
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("tellus web: %(levelname)s %(message)s"))
    handler.addFilter(_RedactAddresses())
    # "Task queue depth is N" is waitress saying requests waited for a thread:
    # normal under load, and a line per request would drown real errors.
    for name, level in (("waitress", logging.WARNING), ("waitress.queue", logging.ERROR)):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(level)
        log.propagate = False


def _connection_limit(wanted=CONNECTIONS, spare=100):
    """How many connections fit in this process's open-file limit (raised towards
    ``wanted`` if the hard limit allows), keeping ``spare`` for the database and logs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted + spare:
        raised = wanted + spare if hard == resource.RLIM_INFINITY else min(wanted + spare, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(10, min(wanted, soft - spare))


def _hardened_channel(config, https):
    """waitress's connection class, answering its own errors with the site's headers, in the site's words
    and the reader's language (as far as the request's headers were read)."""

    class HardenedErrorTask(ErrorTask):
        def execute(self):
            error = self.request.error
            # Anything but a failure of ours (500) is something the client sent that we do not take.
            title, message = DEFAULT_ERRORS.get(error.code) or DEFAULT_ERRORS[500 if error.code == 500 else 400]
            headers = self.request.headers or {}
            lang = i18n.language(
                i18n.unpicked(
                    i18n.offered(config), i18n.cookie_value(headers.get("COOKIE")), headers.get("ACCEPT_LANGUAGE", "")
                )
            )
            body = f"{lang.gettext(title)}\n\n{lang.gettext(message)}\n".encode()
            self.status = f"{error.code} {error.reason}"
            self.response_headers.extend(
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    *security_headers(https),
                    ("Cache-Control", "no-store"),
                    ("Content-Language", lang.code),
                ]
            )
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class HardenedChannel(HTTPChannel):
        error_task_class = HardenedErrorTask

    return HardenedChannel


def build_server(
    config,
    database_url,
    host="127.0.0.1",
    port=8080,
    https=False,
    threads=8,
    trusted_proxy=None,
    channel_timeout=CHANNEL_TIMEOUT,
    cleanup_interval=CLEANUP_INTERVAL,
    **app_options,
):
    """The waitress server for the site (not yet running); ``.effective_port`` says where.

    ``trusted_proxy`` (the proxy's address) lets waitress take the client
    address from that proxy's X-Forwarded-For, so throttles count clients
    rather than the proxy. Without it, proxy headers are ignored and removed.
    """
    throttle.default_keys()  # a TELLUS_THROTTLE_SECRET too short to be safe stops the start, with one sentence
    open_database(database_url, pool=True)  # pooled on PostgreSQL; each request returns its connection
    app = make_app(config, https=https, **app_options)
    _quiet_logging()
    proxy = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "log_untrusted_proxy_headers": False,
        }
    body_cap = max(2 * MAX_BODY, discard_cap(config.attachments_max_files, config.attachments_max_bytes))
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="",  # no Server header
        url_scheme="https" if https else "http",
        # Bodies stay in memory (never a temporary file: an upload's plain bytes must not touch the
        # disk): waitress spills a body over inbuf_overflow, so that is set above the largest it takes.
        max_request_body_size=body_cap,
        inbuf_overflow=body_cap + 1,
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        connection_limit=_connection_limit(),
        asyncore_use_poll=True,
        channel_timeout=channel_timeout,
        cleanup_interval=cleanup_interval,
        **proxy,
    )
    channel = _hardened_channel(config, https)
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel
    return server


def _sweep_throttles(stop, every=60):
    """Delete finished throttle windows (and push them out of the WAL) even when no one is being counted."""
    while not stop.wait(every):
        try:
            throttle.sweep()
        except Exception as exc:  # noqa: BLE001 — the database may be briefly away; the sweeper must not die
            logging.getLogger("waitress").warning("throttle sweep failed (%s)", type(exc).__name__)
        finally:
            if not database.is_closed():
                database.close()


def serve(config, database_url, host="127.0.0.1", port=8080, https=False, threads=8, **options):
    """Serve until interrupted. Prints one line saying where (never who connects)."""
    server = build_server(config, database_url, host=host, port=port, https=https, threads=threads, **options)
    shown = f"[{host}]" if ":" in host else host
    print(f"Tellus reporter site on http://{shown}:{server.effective_port}/ (Ctrl+C stops it)", flush=True)
    missing = i18n.missing_texts(config)
    if missing:
        print(
            f"{len(missing)} of the configuration's texts are missing in a language the site offers (English is "
            f"shown there instead): see `tellus config check`.",
            flush=True,
        )
    if not throttle.default_keys().shared and not is_sqlite():
        print(
            f"Limits are counted with a key of this process only: give every instance the same "
            f'{throttle.SECRET_ENV} to share them (README, "Several instances").',
            flush=True,
        )
    stop = threading.Event()
    threading.Thread(target=_sweep_throttles, args=(stop,), daemon=True, name="throttle-sweep").start()
    try:
        server.run()
    finally:
        stop.set()
        server.close()
