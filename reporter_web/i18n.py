"""The site's languages: catalogues, the words for numbers and dates, and which language a request gets.

Every text a reporter reads goes through a Language: the templates' and the
pages' own words (``_()``, ``ngettext()``), the store's sentences (store.i18n.Say,
through ``say``) and the institution's texts from the configuration. English
is the language the site is written in; every other one is a catalogue in
``locales/LANG/LC_MESSAGES/messages.po`` (README, "Languages": how a
translator adds one).

The catalogues are compiled from the .po files when the site starts (a few
milliseconds), not at install time: the README's ``pip install -e .`` is an
editable install, which runs no build step that could write .mo files, and a
.mo compiled once would go stale beside an edited .po.

Which language a request gets (``choose``): a language picked on the site
(``?lang=`` on a link, or a form's language button), else the one picked
earlier in this visit (the LANGUAGE_COOKIE, holding only its code), else
the browser's Accept-Language, else the first language the configuration lists.
"""

import functools
import gettext
import io
import pathlib
import re

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from bottle import request, response

from store.config import BASE_LANGUAGE, ConfigError
from store.i18n import Say

LOCALES = pathlib.Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
LANGUAGE_COOKIE = "tellus_lang"
# Languages whose weekday names CLDR capitalises but whose sentences do not:
# "erbyn dydd Gwener 4 Rhagfyr" (CLDR: "Dydd Gwener").
_WEEKDAY_LOWER_IN_SENTENCE = {"cy"}
_CHOSEN = re.compile(r"(?:^|;)\s*" + LANGUAGE_COOKIE + r"=([a-z]{2,3})\s*(?:;|$)")
_TAG = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


def catalogue_path(code):
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogued_languages():
    """The languages the site can speak: English and each with a catalogue."""
    return {BASE_LANGUAGE} | {path.parent.parent.name for path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}


@functools.cache
def _compiled(code):
    """The catalogue of ``code`` compiled in memory (a gettext object); fuzzy entries are left out."""
    path = catalogue_path(code)
    if not path.exists():
        raise ConfigError(
            f"The site has no translation into {code!r} (a language in languages): add "
            f'reporter_web/locales/{code}/LC_MESSAGES/{DOMAIN}.po (README, "Languages") or take '
            f"{code!r} out of languages."
        )
    with path.open("rb") as po:
        catalog = read_po(po, locale=code)
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


@functools.cache
def language(code):
    """The Language for ``code`` (built once per process: catalogues do not change while it runs)."""
    return Language(code)


class Language:
    """One language's words: the catalogue, and numbers, dates and waits written its way."""

    def __init__(self, code):
        self.code = code
        translations = gettext.NullTranslations() if code == BASE_LANGUAGE else _compiled(code)
        try:
            self.locale = Locale.parse("en_GB" if code == BASE_LANGUAGE else code)
        except (ValueError, UnknownLocaleError):
            raise ConfigError(
                f"{code!r} in languages is not a language code Babel knows (its dates and numbers come from there)."
            ) from None
        self.name = Locale.parse(code).get_display_name(code).capitalize()  # "English", "Cymraeg"
        self.gettext = translations.gettext
        self.ngettext = translations.ngettext

    def say(self, text):
        """A store sentence (store.i18n.Say) in this language; any other text as it is."""
        if isinstance(text, Say):
            return text.render(self.gettext, self.ngettext, self.number)
        return text

    def words(self, text):
        """A sentence from the store (a Say) or a message id of the site's (N_), in this language."""
        return self.say(text) if isinstance(text, Say) else self.gettext(text)

    def title(self, text, failed=False):
        """A page's title; a page saying what went wrong starts its title with "Error:" (screen readers read it first)."""
        return self.gettext("Error: {title}").format(title=text) if failed else text

    def number(self, value):
        return format_decimal(value, locale=self.locale)

    def long_date(self, day, ref=None):
        """A date inside a sentence, as in "Monday 30 November", with the year when it is not ``ref``'s year."""
        pattern = "EEEE d MMMM" if ref is not None and day.year == ref.year else "EEEE d MMMM y"
        text = format_date(day, pattern, locale=self.locale)
        if self.code in _WEEKDAY_LOWER_IN_SENTENCE:
            text = text[:1].lower() + text[1:]
        return text

    def date_and_time(self, moment):
        """A local time as in "30 November 2026, 14:05"."""
        return (
            f"{format_date(moment, 'd MMMM y', locale=self.locale)}, {format_time(moment, 'HH:mm', locale=self.locale)}"
        )

    def minutes(self, seconds):
        """A wait in whole minutes, rounded up: "1 minute", "12 minutes" (Welsh: "2 funud", "3 munud")."""
        count = max(1, -(-int(seconds) // 60))
        return self.ngettext("{count} minute", "{count} minutes", count).format(count=self.number(count))


def offered(config):
    """The languages the site offers (configuration order)."""
    return tuple(config.languages)


def check_catalogues(config):
    """Raise ConfigError for a configured language without a catalogue (at start-up, not on a first visitor)."""
    for code in offered(config):
        language(code)


def missing_texts(config):
    """What the configuration does not say in each language it offers ("cy: …" lines); built-in texts
    count as said where the language's catalogue translates them."""
    lines = []
    for code in offered(config):
        lang = language(code)
        lines += [
            f"{code}: {line}" for line in config.missing_texts(code, lambda text, lang=lang: lang.gettext(text) != text)
        ]
    return lines


@functools.lru_cache(maxsize=256)
def from_accept_language(header, codes):
    """The best of ``codes`` (a tuple) for an Accept-Language header, or None. Only the primary subtag counts
    (cy-GB is cy). Browsers send a handful of distinct headers, so answers are kept."""
    best, best_q = None, 0.0
    for part in header[:1000].split(",")[:50]:
        match = _TAG.match(part)
        if not match:
            continue
        code = match.group(1).lower()
        try:
            q = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if code in codes and q > best_q:
            best, best_q = code, q
    return best


def chosen_cookie():
    """The language chosen earlier in this visit, read straight from the Cookie header (as cookies.browser_cookie
    does: Bottle's cookie parsing would cost more than the rest of a cached form page)."""
    found = _CHOSEN.search(request.environ.get("HTTP_COOKIE", ""))
    return found.group(1) if found else None


def choose(config, https, picked=None):
    """This request's Language (kept in the request for its other uses); ``picked`` is a language
    the reporter just chose (a form's language button): like a link's ?lang=, it is kept for the visit."""
    codes = offered(config)
    environ = request.environ
    if picked in codes:
        keep_choice(picked, https)
        environ["tellus.language"] = language(picked)
        return environ["tellus.language"]
    if "tellus.language" in environ:
        return environ["tellus.language"]
    from_query = request.query.get("lang")
    if from_query in codes:
        keep_choice(from_query, https)
        code = from_query
    else:
        code = unpicked(codes, chosen_cookie(), environ.get("HTTP_ACCEPT_LANGUAGE", ""))
    environ["tellus.language"] = language(code)
    return environ["tellus.language"]


def unpicked(codes, cookie, accept_language):
    """The language for a request that picks none itself: the visit's choice, else the browser's, else the first."""
    if cookie in codes:
        return cookie
    return from_accept_language(accept_language, codes) or codes[0]


def cookie_value(cookie_header):
    """The LANGUAGE_COOKIE's value in a raw Cookie header (for answers made outside Bottle)."""
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE:
            return value.strip()
    return None


def keep_choice(code, https):
    """Remember the reporter's choice for this visit: a cookie holding only the language's code,
    gone when the browser closes. It names a language, nobody's browser."""
    cookie = f"{LANGUAGE_COOKIE}={code}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if https else "")
    if request.environ.get("tellus.language_cookie") != cookie:
        request.environ["tellus.language_cookie"] = cookie
        response.add_header("Set-Cookie", cookie)
