"""Reading posted forms ourselves: bounded, and never failing on bad bytes.

Bottle's own form parsing decodes bodies as latin-1 and leaves re-decoding
to the caller; invalid UTF-8 then fails far from here. This reads the body
(at most MAX_BODY bytes), splits it as application/x-www-form-urlencoded and
decodes each value as UTF-8. A value that is not valid UTF-8 is kept with
U+FFFD in place of the bad bytes and its field is reported, so the page can
say so and show the reporter what was received.
"""

from urllib.parse import unquote_to_bytes

from bottle import request

from store.sanitize import clean_text

from .errors import refused
from .multipart import BadMultipart, Upload, is_multipart, read_upload
from .security import MAX_BODY, MAX_FIELDS


class BadForm(Exception):
    """The body is not a form we can read at all (wrong type, too many fields)."""


class TooLarge(Exception):
    pass


def posted():
    """This request's form as (fields, badly_encoded_field_names); our 413 or 400 page if it cannot be read."""
    try:
        return read_form(request.environ)
    except TooLarge:
        raise refused(413) from None
    except BadForm:
        raise refused(400) from None


def posted_upload(config):
    """This request's form, which may carry files (multipart/form-data, the report and message forms):
    an Upload, its files as sent. A url-encoded form (an older page, a test) is an Upload without files."""
    if not is_multipart(request.environ):
        fields, bad = posted()
        return Upload(fields=fields, badly_encoded=bad)
    try:
        return read_upload(request.environ, config.attachments_max_files, config.attachments_max_bytes)
    except BadMultipart:
        raise refused(400) from None


def echo(value, multiline=True):
    """Reporter input shown back to them (a refused form, a kept message): cleaned like stored text."""
    return clean_text(value, multiline=multiline)


def read_form(environ):
    """Return (fields, badly_encoded_field_names). Raises TooLarge or BadForm."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadForm("bad length") from None
    if length > MAX_BODY:
        raise TooLarge
    ctype = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if ctype not in ("", "application/x-www-form-urlencoded"):
        raise BadForm("not a url-encoded form")
    stream = environ.get("wsgi.input")
    body = stream.read(length) if (stream is not None and length > 0) else b""
    if len(body) > MAX_BODY:
        raise TooLarge
    pairs = _split(body)
    fields, bad = {}, set()
    for raw_key, raw_value in pairs:
        key = raw_key.decode("utf-8", "replace")
        try:
            value = raw_value.decode("utf-8")
        except UnicodeDecodeError:
            value = raw_value.decode("utf-8", "replace")
            bad.add(key)
        fields[key] = value  # a repeated field: the last one wins
    return fields, bad


def _split(body):
    """application/x-www-form-urlencoded → [(name bytes, value bytes)], percent-decoded."""
    parts = [p for p in body.split(b"&") if p]
    if len(parts) > MAX_FIELDS:
        raise BadForm("too many fields")
    pairs = []
    for part in parts:
        name, _, value = part.partition(b"=")
        pairs.append((unquote_to_bytes(name.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" "))))
    return pairs
