"""Headers, request limits and safe error logging for the reporter site."""

import re

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
}

MAX_BODY = 64 * 1024  # bytes; larger request bodies get 413
ALLOWED_METHODS = ("GET", "HEAD", "POST")
MAX_FIELDS = 50


def apply_security_headers(response, https=False):
    for name, value in SECURITY_HEADERS.items():
        response.set_header(name, value)
    if https:
        response.set_header("Strict-Transport-Security", "max-age=31536000")
    # Pages may hold a form token, a code or a conversation; none belongs in a
    # cache or in a shared computer's history. The stylesheet overrides this.
    if "Cache-Control" not in response.headers:
        response.set_header("Cache-Control", "no-store")


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
