"""Signed, stateless tokens for the reporter site's forms.

Showing a form must not write to the database: a page view that costs a
durable write is slow and lets anyone grow a table by reloading. So form
tokens are ``issued-at + random nonce`` signed with an install-wide key kept
in the store (every web instance behind a load balancer shares it). The
report form's token is made single-use when it is *spent*: the store records
its hash in the same transaction as the report (see ``reports.submit_report``).

Tokens bound to a reporter session (for the conversation and log-out forms)
are an HMAC of the session token, so they need no storage at all.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from .clock import utcnow
from .db import get_setting, set_setting_if_absent
from .models import database

# A form older than this is refused (the reporter is asked to send it again,
# with their text kept). It must not exceed retention's FORM_TOKEN_DAYS, or a
# spent token's record could be purged while the token is still accepted.
MAX_AGE = dt.timedelta(hours=12)

_EPOCH = dt.datetime(1970, 1, 1)
_key_cache = {}


def signing_key():
    """The install-wide HMAC key (created on first use, shared by all instances)."""
    cached = _key_cache.get(id(database.obj))
    if cached is None or cached[0] is not database.obj:
        value = get_setting("form_signing_key")
        if value is None:
            value = set_setting_if_absent("form_signing_key", secrets.token_hex(32))
        cached = (database.obj, bytes.fromhex(value))
        _key_cache[id(database.obj)] = cached
    return cached[1]


def _mac(purpose, payload):
    digest = hmac.new(signing_key(), f"{purpose}|{payload}".encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def issue(purpose, now=None):
    """A fresh signed token for a form of kind ``purpose`` ("report", "continue")."""
    now = now or utcnow()
    payload = f"{int((now - _EPOCH).total_seconds())}.{secrets.token_urlsafe(18)}"
    return f"{payload}.{_mac(purpose, payload)}"


def issued_at(token, purpose):
    """When a genuine token of kind ``purpose`` was issued, or None if it is not genuine."""
    if not isinstance(token, str) or len(token) > 200 or not token.isascii():
        return None
    payload, _, mac = token.rpartition(".")
    seconds, _, nonce = payload.partition(".")
    if not seconds.isdigit() or not nonce or len(seconds) > 12:
        return None
    if not hmac.compare_digest(mac, _mac(purpose, payload)):
        return None
    return _EPOCH + dt.timedelta(seconds=int(seconds))


def check(token, purpose, now=None, max_age=MAX_AGE):
    """"ok", "expired" (genuine but too old, or from the future) or "forged"."""
    when = issued_at(token, purpose)
    if when is None:
        return "forged"
    now = now or utcnow()
    # A little clock skew between instances is tolerated.
    if when > now + dt.timedelta(minutes=5) or now - when > max_age:
        return "expired"
    return "ok"


def for_session(session_token):
    """The anti-forgery token for forms shown inside a reporter session."""
    if not isinstance(session_token, str) or not session_token:
        return ""
    digest = hmac.new(signing_key(), b"session|" + session_token.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def check_for_session(token, session_token):
    expected = for_session(session_token)
    return bool(expected) and isinstance(token, str) and hmac.compare_digest(token.encode("utf-8", "surrogatepass"), expected.encode("ascii"))
