"""Reading multipart/form-data ourselves: the forms that carry files, held in memory only.

No library here ever writes a part to a temporary file: the body is one
bytes object (waitress keeps it in memory too, see serve.py), split into
text fields, decoded like forms.read_form decodes them, and files, which
stay bytes until the store has cleaned and sealed them.

Bounds: a body up to ``body_limit`` is read and parsed whole. A body over
it but within waitress' cap (``discard_cap``: the browser is usually still
sending when the server decides) is still read — its files are dropped
unopened and only its text fields kept, so the page can say what was too
large with everything typed kept. Nothing beyond the cap reaches the app.
"""

import re
from dataclasses import dataclass, field

from .security import MAX_BODY, MAX_FIELDS

FILE_FIELD = "attachments"
# Room for each part's boundary and headers, beyond what the fields and files themselves hold.
PART_OVERHEAD = 1024
MAX_HEADER_BYTES = 4096  # of one part's headers
READ_PIECE = 256 * 1024


class BadMultipart(Exception):
    """Not multipart/form-data we can read (no boundary, malformed, too many parts)."""


@dataclass
class Upload:
    """A form with files: its text fields (as forms.read_form gives them) and the files, as sent."""

    fields: dict[str, str] = field(default_factory=dict)
    badly_encoded: set[str] = field(default_factory=set)
    files: list[tuple[bytes, str]] = field(default_factory=list)  # (content, name the browser gave)
    too_large: bool = False  # over body_limit: files dropped unopened, fields kept
    chosen: int = 0  # files the browser sent (also when too large)


def body_limit(max_files: int, max_bytes: int) -> int:
    """The largest multipart body taken: every text field at its limit, the files at theirs, the framing."""
    return MAX_BODY + max_bytes + (MAX_FIELDS + max_files) * PART_OVERHEAD


def discard_cap(max_files: int, max_bytes: int) -> int:
    """What waitress accepts at most (and this module reads and discards past ``body_limit``).

    Twice the limit: a reporter who chose a few files too many is answered with the form
    again; a body beyond this is no mistake, and waitress refuses it before reading it.
    """
    return 2 * body_limit(max_files, max_bytes)


def is_multipart(environ) -> bool:
    return (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower() == "multipart/form-data"


_PARAM = re.compile(rb';\s*([A-Za-z0-9_*.-]+)\s*=\s*(?:"((?:[^"\\\r\n]|\\.)*)"|([^;\s]*))')


def _params(value: bytes) -> dict[str, bytes]:
    params = {}
    for name, quoted, plain in _PARAM.findall(value):
        raw = re.sub(rb"\\(.)", rb"\1", quoted) if quoted or not plain else plain
        params[name.decode("ascii").lower()] = raw
    return params


def boundary_of(environ) -> bytes:
    ctype = (environ.get("CONTENT_TYPE") or "").encode("latin-1", "replace")
    boundary = _params(ctype[ctype.find(b";") :] if b";" in ctype else b"").get("boundary", b"")
    # RFC 2046: 1 to 70 characters.
    if not 1 <= len(boundary) <= 70:
        raise BadMultipart("no boundary")
    return boundary


def read_body(environ, limit: int) -> tuple[bytes, bool]:
    """(body, too_large). A body over ``limit`` is read to its end in pieces and only its first
    MAX_BODY + the framing kept: enough for the text fields, which browsers send in the form's
    order, before the file field (the forms put it last)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadMultipart("bad length") from None
    stream = environ.get("wsgi.input")
    if stream is None or length <= 0:
        return b"", False
    if length <= limit:
        return stream.read(length), False
    kept, left = [], length
    keep = MAX_BODY + MAX_FIELDS * PART_OVERHEAD
    while left > 0:
        piece = stream.read(min(READ_PIECE, left))
        if not piece:
            break
        left -= len(piece)
        if keep > 0:
            kept.append(piece[:keep])
            keep -= len(piece)
    return b"".join(kept), True


def parse(body: bytes, boundary: bytes, max_files: int, truncated: bool = False) -> Upload:
    """Split ``body``; with ``truncated`` (the start of a body too large), keep the text fields
    that arrived whole, drop files, and stop at the first part cut off."""
    upload = Upload(too_large=truncated)
    delimiter = b"--" + boundary
    view = memoryview(body)
    if not body.startswith(delimiter):
        if truncated:
            return upload
        raise BadMultipart("does not start with the boundary")
    position, parts = len(delimiter), 0
    while True:
        if body[position : position + 2] == b"--":
            return upload  # the closing delimiter
        if body[position : position + 2] != b"\r\n":
            if truncated:
                return upload
            raise BadMultipart("bad delimiter line")
        start = position + 2
        end = body.find(b"\r\n" + delimiter, start)
        if end < 0:
            if truncated:
                return upload
            raise BadMultipart("unterminated part")
        parts += 1
        if parts > MAX_FIELDS + max_files + 1:
            raise BadMultipart("too many parts")
        _part(view, start, end, upload)
        position = end + 2 + len(delimiter)


def _part(view: memoryview, start: int, end: int, upload: Upload) -> None:
    body = view.obj
    head_end = body.find(b"\r\n\r\n", start, min(end + 4, start + MAX_HEADER_BYTES))
    if head_end < 0:
        raise BadMultipart("part headers too long or missing")
    disposition = b""
    for line in body[start:head_end].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-disposition":
            disposition = value
    if not disposition.strip().lower().startswith(b"form-data"):
        raise BadMultipart("not form-data")
    params = _params(disposition[disposition.find(b";") :] if b";" in disposition else b"")
    if "name" not in params:
        raise BadMultipart("part without a name")
    name = params["name"].decode("utf-8", "replace")
    content = view[head_end + 4 : end]
    if "filename" in params:
        if name != FILE_FIELD:
            return  # a file in a field that takes none: ignored, as an unknown text field is
        if not params["filename"] and not len(content):
            return  # the file field left empty: browsers send an empty part
        upload.chosen += 1
        if not upload.too_large:
            upload.files.append((bytes(content), params["filename"].decode("utf-8", "replace")))
        return
    if len(upload.fields) >= MAX_FIELDS:
        raise BadMultipart("too many fields")
    raw = bytes(content)
    if len(raw) > MAX_BODY:
        raise BadMultipart("field too long")
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError:
        value = raw.decode("utf-8", "replace")
        upload.badly_encoded.add(name)
    upload.fields[name] = value  # a repeated field: the last one wins, as in forms.read_form


def read_upload(environ, max_files: int, max_bytes: int) -> Upload:
    """This request's multipart form (BadMultipart if it is not one we can read)."""
    boundary = boundary_of(environ)
    body, too_large = read_body(environ, body_limit(max_files, max_bytes))
    upload = parse(body, boundary, max_files, truncated=too_large)
    if not too_large and sum(len(data) for data, _ in upload.files) > max_bytes:
        # The body fitted (short text fields left room) but the files alone are over: the same answer.
        upload.files, upload.too_large = [], True
    return upload
