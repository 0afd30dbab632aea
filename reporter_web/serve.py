"""``tellus web``: serve the reporter site with waitress, logging nothing identifying.

waitress writes no access log of its own; what it does log (errors, queue
warnings) goes through a filter that removes anything shaped like an
address, and Bottle's error tracebacks are cut down to their frames (see
security.TracebackOnlyStream). Request bodies are capped at 64 KiB by the
app (with our error page); waitress's own cap is set a little higher, only
to keep absurd bodies off the heap.
"""

import logging
import sys
import threading

from waitress.server import create_server

from store import open_database
from store import throttle
from store.db import is_sqlite
from store.models import database

from .app import make_app
from .security import MAX_BODY, redact


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


def build_server(config, database_url, host="127.0.0.1", port=8080, https=False, threads=8, trusted_proxy=None,
                 **app_options):
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
        proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}, "log_untrusted_proxy_headers": False}
    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="",  # no Server header
        url_scheme="https" if https else "http",
        max_request_body_size=4 * MAX_BODY,
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        **proxy,
    )


def _sweep_throttles(stop, every=60):
    """Delete finished throttle windows (and push them out of the WAL) even when no one is being counted."""
    while not stop.wait(every):
        try:
            throttle.sweep()
        except Exception as exc:  # the database may be briefly away; try again next time
            logging.getLogger("waitress").warning("throttle sweep failed (%s)", type(exc).__name__)
        finally:
            if not database.is_closed():
                database.close()


def serve(config, database_url, host="127.0.0.1", port=8080, https=False, threads=8, **options):
    """Serve until interrupted. Prints one line saying where (never who connects)."""
    server = build_server(config, database_url, host=host, port=port, https=https, threads=threads, **options)
    shown = f"[{host}]" if ":" in host else host
    print(f"Tellus reporter site on http://{shown}:{server.effective_port}/ (Ctrl+C stops it)", flush=True)
    if not throttle.default_keys().shared and not is_sqlite():
        print(f"Limits are counted with a key of this process only: give every instance the same "
              f"{throttle.SECRET_ENV} to share them (README, \"Several instances\").", flush=True)
    stop = threading.Event()
    threading.Thread(target=_sweep_throttles, args=(stop,), daemon=True, name="throttle-sweep").start()
    try:
        server.run()
    finally:
        stop.set()
        server.close()
