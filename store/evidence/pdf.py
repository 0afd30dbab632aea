"""PDF: rewritten from its pages, without what identifies its author.

The pages (with the fonts, pictures and annotations they use) are copied
into a new file; what is not a page's content stays behind:

* the document information dictionary (author, creator and producer
  software, title, subject, keywords, dates) and the file identifier;
* XMP metadata, of the document and of every page, picture and font;
* applications' private data (``/PieceInfo``; Illustrator keeps whole
  drawings there), page modification dates;
* embedded files and file attachment, sound, movie and rich-media annotations;
* JavaScript and launch actions, document open actions, additional actions;
* comment authors' names and dates (``/T``, ``/M``, ``/CreationDate`` of
  annotations);
* EXIF/XMP/IPTC segments of JPEG pictures (removed without re-encoding);
* bookmarks, the structure tree and form definitions (not copied: they are
  document-level, and carried names and scripts).

Parsing is bounded by pypdf's limits (stream decompression output, array and
dictionary sizes, page tree depth), by the page and object limits here, and
by a wall-clock deadline checked while walking the objects. No stream is
decompressed to copy it.
"""

import io

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

from . import errors
from .images import strip_jpeg_metadata
from .limits import Deadline, EvidenceLimits

_INFO_WORDS = {
    "/Author": "author",
    "/Creator": "editing software",
    "/Producer": "editing software",
    "/CreationDate": "dates created and modified",
    "/ModDate": "dates created and modified",
    "/Title": "title, subject and keywords",
    "/Subject": "title, subject and keywords",
    "/Keywords": "title, subject and keywords",
}
_UNSAFE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition", "/GoToE"}
_MEDIA_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
_STREAM_LIMIT_BYTES = 64 * 1024 * 1024  # one stream, decompressed (pypdf's default is 75 MB)


def clean_pdf(data: bytes, limits: EvidenceLimits) -> tuple[bytes, list[str], int]:
    """(cleaned PDF, what was removed, number of pages)."""
    deadline = Deadline(limits.max_seconds, "PDF")
    with pypdf.apply_configuration(
        jbig2dec_binary=None,  # never run an outside program on a reporter's file
        zlib_maximum_output_length=_STREAM_LIMIT_BYTES,
        maximum_declared_stream_length=_STREAM_LIMIT_BYTES,
        page_tree_maximum_entries=limits.max_pages * 4,
        disable_legacy_handling=True,
    ):
        try:
            return _clean(data, limits, deadline)
        except errors.EvidenceRefused:
            raise
        except Exception:  # noqa: BLE001 — pypdf raises many kinds of error on hostile input; all mean "damaged"
            raise errors.damaged("PDF") from None


def _clean(data: bytes, limits: EvidenceLimits, deadline: Deadline) -> tuple[bytes, list[str], int]:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not _opens_without_password(reader):
        raise errors.password_protected()
    objects = sum(len(section) for section in reader.xref.values()) + len(reader.xref_objStm)
    if objects > limits.max_pdf_objects:
        raise errors.too_complex("PDF")
    pages = len(reader.pages)
    if pages > limits.max_pages:
        raise errors.too_many_pages(limits.max_pages)
    if pages == 0:
        raise errors.damaged("PDF")
    removed = _document_level(reader)
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        deadline.check()
        writer.add_page(page)
    writer.metadata = None  # no information dictionary at all, not even pypdf's "Producer"
    removed += _scrub(writer, limits, deadline)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), list(dict.fromkeys(removed)), pages


def _opens_without_password(reader: pypdf.PdfReader) -> bool:
    # Many PDFs are "encrypted" only to restrict printing, with an empty password.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 — a missing AES backend or a broken encryption dictionary: locked
        return False


def _document_level(reader: pypdf.PdfReader) -> list[str]:
    """What the document carries outside its pages (none of it is copied)."""
    removed = []
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else None
    if isinstance(info, DictionaryObject):
        for key, value in info.items():
            if str(value).strip():
                removed.append(_INFO_WORDS.get(key, "other document properties"))
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject):  # nothing document-level to speak of
        return removed
    if "/Metadata" in root:
        removed.append("editing details (XMP)")
    found = root.get("/Names")
    names = found.get_object() if found is not None else None
    if not isinstance(names, DictionaryObject):
        names = DictionaryObject()
    if "/EmbeddedFiles" in names:
        removed.append("attached files")
    if "/JavaScript" in names or "/OpenAction" in root or "/AA" in root:
        removed.append("scripts and automatic actions")
    return removed


def _scrub(writer: pypdf.PdfWriter, limits: EvidenceLimits, deadline: Deadline) -> list[str]:
    """Walk every object the copied pages use and take out what identifies."""
    removed: list[str] = []
    seen: set[int] = set()
    stack = list(writer.pages)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            if len(seen) > limits.max_pdf_objects:
                raise errors.too_complex("PDF")
            if len(seen) % 1000 == 0:
                deadline.check()
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            removed += _scrub_dictionary(obj)
            stack.extend(value for key, value in obj.items() if key not in ("/Parent", "/P"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return removed


def _scrub_dictionary(obj: DictionaryObject) -> list[str]:
    removed = []
    for key, words in (
        ("/Metadata", "editing details (XMP)"),
        ("/PieceInfo", "editing software's private data"),
        ("/LastModified", "dates created and modified"),
        ("/AA", "scripts and automatic actions"),
    ):
        if key in obj:
            del obj[key]
            removed.append(words)
    for key in ("/A", "/Next", "/OpenAction"):
        action = obj.get(key)
        action = action.get_object() if action is not None else None
        if isinstance(action, DictionaryObject) and action.get("/S") in _UNSAFE_ACTIONS:
            del obj[key]
            removed.append("scripts and automatic actions")
    if obj.get("/Type") == "/Page" and "/Annots" in obj:
        removed += _drop_media_annotations(obj)
    if "/Subtype" in obj and ("/Rect" in obj or obj.get("/Type") == "/Annot"):
        for key, words in (
            ("/T", "names of the authors of comments"),
            ("/M", "dates of comments"),
            ("/CreationDate", "dates of comments"),
        ):
            if key in obj and obj.get("/Subtype") != "/Widget":  # a form field's /T is its name, not a person
                del obj[key]
                removed.append(words)
    if (
        isinstance(obj, StreamObject)
        and obj.get("/Subtype") == "/Image"
        and obj.get("/Filter")
        in (
            "/DCTDecode",
            ["/DCTDecode"],
        )
    ):
        stripped, found = strip_jpeg_metadata(obj._data)  # the encoded bytes are the JPEG file itself
        if found:
            obj._data = stripped
            removed += found
    return removed


def _drop_media_annotations(page: DictionaryObject) -> list[str]:
    annotations = page["/Annots"].get_object()
    if not isinstance(annotations, ArrayObject):
        del page["/Annots"]
        return []
    keep = ArrayObject(a for a in annotations if a.get_object().get("/Subtype") not in _MEDIA_ANNOTATIONS)
    if len(keep) == len(annotations):
        return []
    page[NameObject("/Annots")] = keep
    return ["attached files"]
