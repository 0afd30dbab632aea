"""A file's display name: safe to show, to export, and honest about its kind."""

import re
import unicodedata

from ..sanitize import clean_text
from .kinds import Kind

# Extensions a reporter's file may carry; the detected kind's one replaces them.
_KNOWN_EXTENSIONS = {
    "jpg",
    "jpeg",
    "jpe",
    "jfif",
    "png",
    "webp",
    "heic",
    "heif",
    "hif",
    "pdf",
    "txt",
    "text",
    "log",
    "csv",
    "md",
    "docx",
    "xlsx",
    "pptx",
    "doc",
    "xls",
    "ppt",
    "docm",
    "xlsm",
    "pptm",
    "rtf",
    "gif",
    "tif",
    "tiff",
    "bmp",
}
# Characters no file system or shell should meet in a name we write out.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Names Windows reserves for devices: an exported "CON.txt" cannot be opened there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_DEFAULT_STEM = {True: "picture", False: "file"}


def safe_name(filename: str, kind: Kind, max_length: int = 100) -> str:
    """``filename`` reduced to a plain display name ending in ``kind``'s extension.

    No folders (``../../x`` → ``x.jpg``), no control, bidi or invisible
    characters, at most ``max_length`` characters.
    """
    base = re.split(r"[\\/]", filename or "")[-1]
    stem = clean_text(base, multiline=False)
    stem = _UNSAFE.sub("_", stem)
    head, dot, extension = stem.rpartition(".")
    if dot and extension.lower() in _KNOWN_EXTENSIONS:
        stem = head
    stem = stem.strip(" ._")
    if stem.lower() in _RESERVED:
        stem += "_"
    stem = _shorten(stem, max_length - len(kind.extension)) or _DEFAULT_STEM[kind.is_image]
    return stem + kind.extension


def _shorten(stem: str, length: int) -> str:
    """Cut at ``length`` characters without leaving half a combined character."""
    if len(stem) <= length:
        return stem
    cut = stem[:length]
    # A trailing joiner, variation selector or combining mark belongs to a
    # character that was cut off; drop it with its orphaned base.
    while cut and (unicodedata.combining(cut[-1]) or cut[-1] in "\u200d\ufe0e\ufe0f"):
        cut = cut[:-1]
    return cut.rstrip(" ._")
