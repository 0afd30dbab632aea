"""What a file is, decided by its content (magic bytes and a bounded look inside).

The name a browser sends is never trusted: a photo called ``report.pdf`` is a
photo. Only the kinds Tellus can clean are accepted; everything else gets one
sentence that names what it looks like and what we do take.
"""

import enum
import io
import struct
import zipfile

from . import errors
from .limits import EvidenceLimits
from .text import is_plain_text, markup_label


class Kind(enum.Enum):
    """A kind of file Tellus takes: its media type, extension and everyday noun."""

    JPEG = ("image/jpeg", ".jpg", "picture")
    PNG = ("image/png", ".png", "picture")
    WEBP = ("image/webp", ".webp", "picture")
    HEIC = ("image/heic", ".heic", "picture")
    PDF = ("application/pdf", ".pdf", "PDF")
    TEXT = ("text/plain; charset=utf-8", ".txt", "text file")
    DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "document")
    XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "spreadsheet")
    PPTX = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "presentation")

    def __init__(self, media_type: str, extension: str, noun: str):
        self.media_type = media_type
        self.extension = extension
        self.noun = noun

    @property
    def is_image(self) -> bool:
        return self in (Kind.JPEG, Kind.PNG, Kind.WEBP, Kind.HEIC)

    @property
    def is_office(self) -> bool:
        return self in (Kind.DOCX, Kind.XLSX, Kind.PPTX)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# ISO base media brands (the ``ftyp`` box) that mean a HEIF still image
# coded with HEVC, as phones write it.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}

# Recognised but refused, so the answer can say what the file looks like.
_REFUSED_MAGIC = [
    (b"GIF87a", "a GIF picture"),
    (b"GIF89a", "a GIF picture"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed archive"),
    (b"Rar!", "a compressed archive"),
    (b"\x1f\x8b", "a compressed archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"ID3\x02", "a sound recording"),
    (b"ID3\x03", "a sound recording"),
    (b"ID3\x04", "a sound recording"),
    (b"OggS", "a sound or video recording"),
    (b"fLaC", "a sound recording"),
    (b"\x1aE\xdf\xa3", "a video"),
]


def inspect(data: bytes, filename: str = "", limits: EvidenceLimits | None = None) -> Kind:
    """The kind of ``data``, or ``EvidenceRefused`` with one sentence.

    ``filename`` plays no part in the decision (names lie, and hostile files
    lie on purpose); it is accepted so callers can pass what they were given.
    """
    limits = limits or EvidenceLimits()
    if not data:
        raise errors.empty()
    if len(data) > limits.max_submission_bytes:
        raise errors.too_big(limits.max_submission_bytes)
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind.WEBP
    if data[:4] == b"RIFF":
        raise errors.unsupported("a sound or video recording")
    if data[4:8] == b"ftyp":
        return _iso_media(data)
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if data.startswith(ZIP_MAGIC):
        from .office import package_kind  # imported here: office.py imports this module

        return package_kind(data, limits)
    if data.startswith(OLE_MAGIC):
        raise _ole_refusal(data)
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        raise errors.unsupported("a BMP picture")
    for magic, label in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise errors.unsupported(label)
    if is_plain_text(data):
        markup = markup_label(data)
        if markup:
            raise errors.unsupported(markup)
        return Kind.TEXT
    raise errors.unsupported("we could not tell what it is")


def _iso_media(data: bytes) -> Kind:
    """HEIC stills are taken; the same container also carries AVIF and video."""
    box_size = int.from_bytes(data[:4], "big")
    if not 16 <= box_size <= 256 or box_size > len(data):
        raise errors.damaged("file")
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_size - 3, 4)}
    if brands & _HEIC_BRANDS:
        return Kind.HEIC
    if brands & {b"avif", b"avis"}:
        raise errors.unsupported("an AVIF picture")
    raise errors.unsupported("a video or sound recording")


def _ole_refusal(data: bytes) -> errors.EvidenceRefused:
    # A password-protected .docx/.xlsx/.pptx is an OLE container holding an
    # "EncryptedPackage" stream (its directory names are UTF-16).
    if "EncryptedPackage".encode("utf-16-le") in data:
        return errors.password_protected()
    return errors.old_office_format()


def open_zip(data: bytes) -> zipfile.ZipFile:
    """A zip reader over ``data``; a damaged archive is one clear sentence."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, ValueError, OSError, EOFError, NotImplementedError):
        raise errors.damaged("document") from None
