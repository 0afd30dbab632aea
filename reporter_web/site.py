"""What every page of one site needs, in one object that make_app builds and hands to the pages.

Nothing here is module-level state: two apps in one process (tests do it)
have their own settings, limits, compiled templates and cached blank form.
"""

from dataclasses import dataclass, field

from bottle import request, response

from store.config import Config
from store.models import database
from store.throttle import StoredThrottle, Unlimited, client_of

from .rendering import Templates
from .security import apply_security_headers


@dataclass
class Throttles:
    """How often a client (and everyone together) may do the expensive things.

    Counted in the store, shared by every instance (see store.throttle).
    ``reports_site`` is the site-wide brake on reports (README, "Limits").
    """

    code_per_client: object = field(default_factory=lambda: StoredThrottle("code", 10, 15 * 60))
    code_global: object = field(default_factory=lambda: StoredThrottle("code_global", 600, 60))
    reports_per_client: object = field(default_factory=lambda: StoredThrottle("report", 5, 60 * 60))
    reports_site: object = field(
        default_factory=lambda: StoredThrottle("report_site", Config.site_reports_per_hour, 60 * 60))

    @classmethod
    def for_config(cls, config):
        return cls(reports_site=StoredThrottle("report_site", config.site_reports_per_hour, 60 * 60))

    @classmethod
    def unlimited(cls):
        return cls(Unlimited(), Unlimited(), Unlimited(), Unlimited())


@dataclass
class Site:
    config: Config
    https: bool  # served over HTTPS: cookies get Secure, responses Strict-Transport-Security
    throttles: Throttles
    templates: Templates = field(default_factory=Templates)
    # The empty report form for each preselected way, rendered once with a token
    # placeholder (a form page is the site's most frequent answer).
    blank_forms: dict = field(default_factory=dict)

    def render(self, name, status=200, **values):
        """A page from views/``name``.tpl, answered with ``status``."""
        response.status = status
        response.content_type = "text/html; charset=utf-8"
        values.setdefault("title", "")
        values.setdefault("org", self.config.organisation)
        return self.templates.render(name, **values)

    def finish(self):
        """Every answer, page or error: the site's headers, and the request's database connection back."""
        apply_security_headers(response, self.https)
        # One connection per request, opened lazily by the first query.
        if not database.is_closed():
            database.close()

    def client(self):
        """Whom the throttles count: the address waitress gives (its network, for IPv6). Never stored."""
        address, port = request.environ.get("REMOTE_ADDR") or "", request.environ.get("REMOTE_PORT") or ""
        if ":" in address and "." in port:
            # waitress splits an X-Forwarded-For of "::ffff:a.b.c.d" at its last colon, as if a port followed.
            address = f"{address}:{port}"
        return client_of(address, self.config.ipv6_prefix)
