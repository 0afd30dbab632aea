"""The reporter site: one explicit Bottle application, built by ``make_app``.

The factory makes the app, checks every request before any page sees it,
and registers the pages (reporter_web/pages/), which share one Site
(reporter_web/site.py): the settings, the limits, the templates.

Pages only translate between people and store services (see
ARCHITECTURE.md). What the site learns about a client — its address — is
used for throttling only, through store.throttle, which counts a keyed hash
of it in the store for the length of a window, under a key that is never in
the database. The cookies it sets are described in cookies.py.
"""

import bottle
from bottle import request

from . import errors, i18n
from .errors import refused
from .multipart import discard_cap, is_multipart
from .pages import PAGES
from .security import ALLOWED_METHODS, MAX_BODY, TracebackOnlyStream, same_origin
from .site import Site, Throttles


def make_app(config, *, https=False, throttles=None):
    """Build the reporter site for ``config``. The database must be opened (store.open_database)."""
    i18n.check_catalogues(config)
    app = bottle.Bottle()
    app.config["catchall"] = True
    site = Site(config=config, https=https, throttles=throttles or Throttles.for_config(config))
    app.hook("before_request")(lambda: check_request(config))
    app.hook("after_request")(site.finish)
    errors.install(app, site)
    for page in PAGES:
        page.register(app, site)
    app.throttles = site.throttles
    return app


# The forms that carry files; their bodies may be larger (multipart.body_limit), and a body over
# that limit is answered by the page itself (the form again, everything typed kept).
UPLOAD_PATHS = ("/report", "/conversation")


def check_request(config):
    """What no page should have to think about: the method, the path's encoding, the body's size, the origin."""
    env = request.environ
    env["wsgi.errors"] = TracebackOnlyStream(env["wsgi.errors"])
    method = env.get("REQUEST_METHOD", "GET").upper()
    if method not in ALLOWED_METHODS:
        raise refused(405, headers={"Allow": ", ".join(ALLOWED_METHODS)})
    if not utf8_path(env.get("bottle.raw_path", "")):
        raise refused(404)
    if method == "POST":
        try:
            length = int(env.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise refused(400) from None
        uploading = is_multipart(env) and env.get("PATH_INFO") in UPLOAD_PATHS
        limit = discard_cap(config.attachments_max_files, config.attachments_max_bytes) if uploading else MAX_BODY
        if length > limit:
            raise refused(413)
        # Browsers say where a form came from even when they send no Referer: newer
        # ones in Sec-Fetch-Site, most in Origin (older ones in neither; for them the
        # form tokens are bound to the browser).
        if not same_origin(env):
            raise refused(403)


def utf8_path(raw):
    """Whether a WSGI path (bytes as latin-1) is UTF-8. Bottle drops the bytes that are not,
    which would make ``/report%ff`` the report form."""
    try:
        raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return True
