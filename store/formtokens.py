"""Signed, stateless tokens for the reporter site's forms.

Showing a form must not write to the database: a page view that costs a
durable write is slow and lets anyone grow a table by reloading. So form
tokens are ``issued-at + random nonce`` signed with an install-wide key kept
in the store (every web instance behind a load balancer shares it). The
report form's token is made single-use when it is *spent*: the store records
its hash in the same transaction as the report (see ``reports.submit_report``).

The report and code forms are shown before there is a session, so their
tokens are bound to the browser instead: to a random value the site keeps in
an HttpOnly cookie (never stored or logged; the web layer's BROWSER_COOKIE).
A token carried to another browser — an attacker's own code-form token
posted from their page into a victim's browser (login CSRF), say — is
genuine but "elsewhere", and refused.

Tokens bound to a reporter session (for the conversation and log-out forms)
are an HMAC of the session token, so they need no storage at all.
"""

import base64
import datetime as dt
import hmac
import secrets

import peewee as pw

from .clock import utcnow
from .db import get_setting, set_setting_if_absent
from .models import database

# A form older than this is refused (the reporter is asked to send it again,
# with their text kept). It must not exceed retention's FORM_TOKEN_DAYS, or a
# spent token's record could be purged while the token is still accepted.
MAX_AGE = dt.timedelta(hours=12)

_EPOCH = dt.datetime(1970, 1, 1)
_key_cache: dict[int, tuple[pw.Database, bytes]] = {}


def signing_key() -> bytes:
    """The install-wide HMAC key (created on first use, shared by all instances)."""
    cached = _key_cache.get(id(database.obj))
    if cached is None or cached[0] is not database.obj:
        value = get_setting("form_signing_key")
        if value is None:
            value = set_setting_if_absent("form_signing_key", secrets.token_hex(32))
        cached = (database.obj, bytes.fromhex(value))
        _key_cache[id(database.obj)] = cached
    return cached[1]


def _hmac(text: str, size: int) -> str:
    # hmac.digest: OpenSSL's one-shot HMAC, several times faster than hmac.new (every form page pays it twice).
    digest = hmac.digest(signing_key(), text.encode("utf-8", "surrogatepass"), "sha256")
    return base64.urlsafe_b64encode(digest[:size]).decode("ascii")


def _mac(purpose: str, signed: str) -> str:
    return _hmac(f"{purpose}|{signed}", 24)


def _bind(purpose: str, payload: str, browser: str | None) -> str:
    return _hmac(f"browser|{purpose}|{payload}|{browser}", 12)


def issue(purpose: str, browser: str | None, now: dt.datetime | None = None) -> str:
    """A fresh signed token for a form of kind ``purpose`` ("report", "continue"),
    bound to ``browser`` (the browser's random cookie value).

    ``issued-seconds.nonce.binding.mac``; the nonce is 144 random bits.
    """
    now = now or utcnow()
    payload = f"{int((now - _EPOCH).total_seconds())}.{secrets.token_urlsafe(18)}"
    signed = f"{payload}.{_bind(purpose, payload, browser)}"
    return f"{signed}.{_mac(purpose, signed)}"


def _genuine(token: object, purpose: str) -> tuple[dt.datetime, str, str] | None:
    """(issued at, payload, binding) of a genuine token of kind ``purpose``, else None."""
    if not isinstance(token, str) or len(token) > 200 or not token.isascii():
        return None
    parts = token.split(".")
    if len(parts) != 4:
        return None
    seconds, nonce, binding, mac = parts
    if not seconds.isdigit() or len(seconds) > 12 or not nonce or not binding:
        return None
    if not hmac.compare_digest(mac, _mac(purpose, f"{seconds}.{nonce}.{binding}")):
        return None
    return _EPOCH + dt.timedelta(seconds=int(seconds)), f"{seconds}.{nonce}", binding


def issued_at(token: object, purpose: str) -> dt.datetime | None:
    """When a genuine token of kind ``purpose`` was issued, or None if it is not genuine."""
    genuine = _genuine(token, purpose)
    return genuine[0] if genuine else None


def check(
    token: object, purpose: str, browser: str | None, now: dt.datetime | None = None, max_age: dt.timedelta = MAX_AGE
) -> str:
    """ "ok"; "expired" (genuine but too old, or from the future); "elsewhere" (genuine
    and fresh, but issued to another browser, or ``browser`` is None: the request
    carried no browser cookie); or "forged"."""
    genuine = _genuine(token, purpose)
    if genuine is None:
        return "forged"
    when, payload, binding = genuine
    now = now or utcnow()
    # A little clock skew between instances is tolerated.
    if when > now + dt.timedelta(minutes=5) or now - when > max_age:
        return "expired"
    if browser is None or not hmac.compare_digest(binding, _bind(purpose, payload, browser)):
        return "elsewhere"
    return "ok"


def for_session(session_token: object) -> str:
    """The anti-forgery token for forms shown inside a reporter session."""
    if not isinstance(session_token, str) or not session_token:
        return ""
    return _hmac(f"session|{session_token}", 24)


def check_for_session(token: object, session_token: object) -> bool:
    expected = for_session(session_token)
    return (
        bool(expected)
        and isinstance(token, str)
        and hmac.compare_digest(token.encode("utf-8", "surrogatepass"), expected.encode("ascii"))
    )
