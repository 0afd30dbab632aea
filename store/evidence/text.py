"""Plain text: UTF-8 (with or without a byte order mark) or UTF-16 with one.

Older 8-bit encodings are refused rather than guessed: a wrong guess turns a
reporter's words into different words without anyone noticing. Markup that
hides parts of itself from its reader (web pages, XML, RTF) is not plain
text either — its hidden parts (an author's ``<meta>``, an RTF ``\\info``
group) are exactly what we promise to remove, so it is refused.
"""

import codecs
import re

from ..sanitize import clean_text
from . import errors

# Control characters other than those real text files do hold: tab, line
# feed, vertical tab, form feed, carriage return and ESC (coloured logs).
_UNUSUAL_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# What the shared cleaner drops silently: controls, bidi and invisible
# formatting characters, tag characters (regular expressions, so a 20 MB file
# is checked at C speed).
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_MARKUP = [
    (re.compile(r"<!doctype\s+html|<html[\s>]", re.I), "a web page"),
    (re.compile(r"<\?xml[\s?]|<svg[\s>]", re.I), "an XML file"),
]


def decode(data: bytes) -> str | None:
    """The text ``data`` holds, or None when it is not text we can read."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]  # the UTF-16 decoder keeps nothing, but a doubled BOM is no content
    return text


def is_plain_text(data: bytes) -> bool:
    text = decode(data)
    if text is None or "\x00" in text:
        return False
    unusual = len(_UNUSUAL_CONTROLS.findall(text))
    return unusual <= len(text) // 100  # a stray control character or two, not binary data


def markup_label(data: bytes) -> str | None:
    head = (decode(data[:4096]) or decode(data) or "").lstrip()[:1024]
    for pattern, label in _MARKUP:
        if pattern.match(head):
            return label
    return None


def clean(data: bytes) -> tuple[bytes, list[str]]:
    """The text re-encoded as UTF-8 after the shared cleaner (store.sanitize)."""
    text = decode(data)
    if text is None:
        raise errors.unsupported("text we cannot read")
    hidden = _HIDDEN.search(text) is not None
    cleaned = clean_text(text, multiline=True)
    removed = ["invisible and control characters"] if hidden else []
    return (cleaned + "\n").encode("utf-8") if cleaned else b"", removed
