"""Headers, request limits, origins and safe error logging for the reporter site."""

import re
from urllib.parse import urlsplit

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    # Nobody, not even this site, is told where a visitor came from. (Browsers
    # then send "Origin: null" with our own forms; see same_origin.)
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
}

# Bytes; larger request bodies get 413. A form is sent percent-encoded, so a
# character can cost 12 bytes (4 UTF-8 bytes, 3 each): a report with every
# text field at its limit in Arabic or emoji is about 260,000 bytes.
MAX_BODY = 320 * 1024
ALLOWED_METHODS = ("GET", "HEAD", "POST")
MAX_FIELDS = 50


def security_headers(https=False):
    """The headers every response carries (see ARCHITECTURE.md, web hardening), as (name, value) pairs."""
    headers = list(SECURITY_HEADERS.items())
    if https:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


def apply_security_headers(response, https=False):
    for name, value in security_headers(https):
        response.set_header(name, value)
    # Pages may hold a form token, a code or a conversation; none belongs in a
    # cache or in a shared computer's history. The stylesheet overrides this.
    if "Cache-Control" not in response.headers:
        response.set_header("Cache-Control", "no-store")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url):
    """(scheme, host, port) of ``scheme://host[:port]`` with nothing after it, else None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if (
        scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def same_origin(environ):
    """False when the request comes from another site, as far as the browser says.

    Sec-Fetch-Site (every current browser) is believed first. Otherwise the
    Origin must be this site: the request's own scheme and Host (behind the
    trusted proxy, waitress has already put the forwarded scheme in
    wsgi.url_scheme, and the proxy passes the browser's Host). ``Origin: null``
    is what browsers send with our own forms under Referrer-Policy no-referrer,
    so it says nothing either way; a request with no Origin is an older
    browser's. For those two the form tokens, bound to the browser by a cookie
    that no other site's POST carries, are the defence.
    """
    fetch_site = environ.get("HTTP_SEC_FETCH_SITE", "").lower()
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    origin = environ.get("HTTP_ORIGIN")
    if origin is None or origin.strip() == "null":
        return True
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    ours = _origin(f"{environ.get('wsgi.url_scheme', 'http')}://{host}")
    return ours is not None and _origin(origin.strip()) == ours


_ADDRESS = re.compile(
    r"\b(?:\d{1,3}\.){3}\d{1,3}\b"  # IPv4
    r"|\b(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\b"  # IPv6
)


def redact(text):
    """Remove anything that looks like a network address from a log line."""
    return _ADDRESS.sub("[address]", text)


class TracebackOnlyStream:
    """Stands in for ``wsgi.errors``: keeps where an error happened, not what it said.

    Bottle writes a whole traceback there on an unhandled error. An exception's
    message can quote reporter text or a client's details, so only the frame
    lines and the exception's type reach the real stream.
    """

    _FRAME = re.compile(r'^\s*File "[^"]*", line \d+, in \S+$')
    _EXC = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))\b")

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        kept = []
        for line in str(text).splitlines():
            if self._FRAME.match(line):
                kept.append(line)
            else:
                m = self._EXC.match(line.strip())
                if m:
                    kept.append(m.group(1))
        if kept:
            self.stream.write(redact("\n".join(kept)) + "\n")

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        try:
            self.stream.flush()
        except (OSError, ValueError):
            pass
