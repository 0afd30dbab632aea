"""What every page of one site needs, in one object that make_app builds and hands to the pages.

Nothing here is module-level state: two apps in one process (tests do it)
have their own settings, limits, compiled templates and cached blank form.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from bottle import request, response

from store.config import Config
from store.i18n import N_
from store.models import database
from store.throttle import StoredThrottle, Unlimited, client_of

from . import i18n
from .rendering import Templates
from .security import apply_security_headers

# A form's button to another language, shown in that language.
# TRANSLATORS: shown to readers of other languages on a button that shows the form in yours: say "in <your language>".
SWITCH_BUTTON = N_("Show this form in English, keeping what you typed")


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
        default_factory=lambda: StoredThrottle("report_site", Config.site_reports_per_hour, 60 * 60)
    )

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
    # The empty report form for each language and preselected way, rendered once with a
    # token placeholder (a form page is the site's most frequent answer).
    blank_forms: dict = field(default_factory=dict)

    def language(self, picked=None):
        """This request's language (i18n.choose); ``picked``: the reporter chose it with a form's button."""
        return i18n.choose(self.config, self.https, picked)

    def render(self, name, status=200, **values):
        """A page from views/``name``.tpl in this request's language, answered with ``status``."""
        response.status = status
        return self.page(name, **values)

    def page(self, name, switch_query=None, switch_form=None, **values):
        """A page from views/``name``.tpl in this request's language.

        Every page offers the other languages: links to this page with
        ``?lang=`` (``switch_query``: the query to keep, by default the
        request's), or, for a page a GET cannot bring back (the code page),
        ``switch_form``: (action, [(name, value)]) posted with the language.
        """
        lang = self.language()
        response.content_type = "text/html; charset=utf-8"
        response.set_header("Content-Language", lang.code)
        values.setdefault("title", "")
        return self.templates.render(
            name,
            lang=lang,
            _=lang.gettext,
            ngettext=lang.ngettext,
            org=self.text("organisation"),
            switch=self.switch_links(lang, switch_query),
            switch_form=switch_form,
            language_button=self.language_buttons(lang),
            **values,
        )

    def text(self, name):
        """An institution text (organisation, emergency_contacts) in this request's language."""
        lang = self.language()
        return lang.say(self.config.text(name, lang.code))

    def switch_links(self, lang, query=None):
        """(code, name, href) of this page in each other language the site offers."""
        if query is None:
            query = [(k, v) for k, v in request.query.allitems() if k != "lang"]
        path = quote(request.path)
        links = []
        for code in i18n.offered(self.config):
            if code != lang.code:
                links.append((code, i18n.language(code).name, f"{path}?{urlencode([*query, ('lang', code)])}"))
        return links

    def language_buttons(self, lang):
        """The words of a form's button for each other language, in that language."""
        return {
            code: i18n.language(code).gettext(SWITCH_BUTTON) for code in i18n.offered(self.config) if code != lang.code
        }

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
