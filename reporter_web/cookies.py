"""The site's two cookies: the browser cookie forms are bound to, and the session cookie.

BROWSER_COOKIE: a random value per browser that the report and code forms'
tokens are bound to (store.formtokens), so a token only works in the
browser it was shown to — another site cannot post them from a victim's
browser, and a report form sent twice from its browser gets its code again.
Never stored or logged. SameSite=Lax, not Strict: a browser arriving from a
link on another site must still send it, or the site would set a new one
and break the forms open in its other tabs; no other site's POST carries it.

SESSION_COOKIE: only a random token; its hash is the session in the store.
"""

import re
import secrets

from bottle import request, response

SESSION_COOKIE = "tellus_session"
BROWSER_COOKIE = "tellus_browser"
# Read straight from the Cookie header (Bottle's full cookie parsing would cost
# more than the rest of a form page); any other shape counts as no cookie.
_BROWSER_VALUE = re.compile(r"(?:^|;)\s*" + BROWSER_COOKIE + r"=([A-Za-z0-9_-]{43})\s*(?:;|$)")


def browser_cookie():
    """This browser's BROWSER_COOKIE value, or None if it sent none (or a malformed one)."""
    found = _BROWSER_VALUE.search(request.environ.get("HTTP_COOKIE", ""))
    return found.group(1) if found else None


def browser_for_forms(https):
    """The value this page's form tokens are bound to: the browser's own, or a new one
    set in a cookie now (once per response)."""
    value = browser_cookie() or request.environ.get("tellus.new_browser")
    if value is None:
        value = request.environ["tellus.new_browser"] = secrets.token_urlsafe(32)
        cookie = f"{BROWSER_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
        response.add_header("Set-Cookie", cookie + ("; Secure" if https else ""))
    return value


def session_token():
    """The session token this browser sent, if any."""
    return request.get_cookie(SESSION_COOKIE)


def set_session_cookie(token, https):
    """Give the browser its session token; an empty one tells it to forget it."""
    # Written by hand: Bottle lower-cases SameSite's value.
    cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    if not token:
        cookie += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    if https:
        cookie += "; Secure"
    response.add_header("Set-Cookie", cookie)
