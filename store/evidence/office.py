"""Word, Excel and PowerPoint files (Office Open XML): checked, then rewritten.

A package is first checked as a zip without unpacking anything: the number
of entries, every name (no folders outside the package, no duplicates), the
declared sizes (all parts together, and how far one part expands), no
encryption. It must really be an Office document: ``_rels/.rels`` names the
main part and ``[Content_Types].xml`` says it is a Word document, an Excel
workbook or a PowerPoint presentation — macro-enabled ones are refused.

Then every part is copied into a new package (fresh entry times, no zip
comments or extra fields), with these changes:

* document properties (``docProps/core.xml``, ``app.xml``, ``custom.xml``,
  found by content type): emptied — author, last editor, revision, dates,
  title/subject/keywords, company, manager, template, editing software and
  time, custom properties (sensitivity labels name their owner there);
* SharePoint's document library properties (``customXml``): emptied;
* people: the authors of comments, tracked changes and threaded comments
  (``w:author``, ``people.xml``, Excel's comment authors and persons,
  PowerPoint's comment authors, shared workbook user names) become
  "Author 1", "Author 2"… (consistently, so who-said-what stays visible);
  initials "A1", "A2"…; account identifiers (``userId``, ``providerId``,
  ``presenceInfo``) are removed; dates of comments and changes are removed;
* file locations on the author's computer: Excel's ``absPath`` and
  relationships to local files (an attached template's path, links to files)
  are removed or pointed nowhere;
* printer settings: the printer's name is blanked;
* JPEG and PNG pictures inside: cleaned like photos (orientation kept);
* an Office package embedded inside (a chart's data workbook) is cleaned
  the same way, once; anything else embedded that we cannot clean (OLE
  objects, other archives, macros) refuses the whole file.

The text, tables and comments' words themselves are the reporter's content
and stay as they are.
"""

import dataclasses
import io
import re
import zipfile
import zlib
from collections.abc import Callable

from . import errors, images
from .kinds import OLE_MAGIC, ZIP_MAGIC, Kind, open_zip
from .limits import Deadline, EvidenceLimits
from .xmlclean import Element, Rules, XmlRefused, rewrite

_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": Kind.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": Kind.XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": Kind.PPTX,
}
_PROPERTIES = {
    "application/vnd.openxmlformats-package.core-properties+xml": {
        "creator": "author",
        "lastModifiedBy": "last editor",
        "revision": "revision number",
        "created": "dates created, modified and printed",
        "modified": "dates created, modified and printed",
        "lastPrinted": "dates created, modified and printed",
    },
    "application/vnd.openxmlformats-officedocument.extended-properties+xml": {
        "Company": "company",
        "Manager": "manager",
        "Template": "template name",
        "Application": "editing software",
        "AppVersion": "editing software",
        "TotalTime": "total editing time",
    },
    "application/vnd.openxmlformats-officedocument.custom-properties+xml": {},
}
_CORE_OTHER = "title, subject and keywords"
_SHAREPOINT = "http://schemas.microsoft.com/office/2006/metadata/properties"
_WORD = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
}
_EXCEL = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"}
_PEOPLE_ELEMENTS = {"cmAuthor", "author", "person", "userInfo"}
_WEB_TARGET = re.compile(r"^(https?|mailto|ftp|tel):", re.I)
# Words whose absence means a part holds nothing these rules change, so it
# is copied without being parsed (a large sheet then costs no XML parsing).
_TRIGGERS = (
    b"author",
    b"initials",
    b"userId",
    b"providerId",
    b"presenceInfo",
    b"absPath",
    b"userName",
    b"date",
    b"displayName",
    b"TargetMode",
    b"properties",
    b"<!",
)
_RELS_TYPE_MAIN = ("/officeDocument",)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

PEOPLE = "names of the authors of comments and changes"


def package_kind(data: bytes, limits: EvidenceLimits) -> Kind:
    """The Office kind of a zip, or a refusal that says what the zip is."""
    with open_zip(data) as package:
        entries = _checked_entries(package, limits, "document")
        names = {info.filename for info in entries}
        if "[Content_Types].xml" not in names:
            raise errors.unsupported(_other_zip_label(package, names))
        types = _ContentTypes(_read_xml_part(package, package.getinfo("[Content_Types].xml")))
        main = _main_part(package, names)
        content_type = types.of(main) if main else ""
        if content_type in _MAIN_TYPES:
            return _MAIN_TYPES[content_type]
        if "macroEnabled" in content_type:
            raise errors.macros()
        raise errors.unsupported("an Office file of a kind we cannot clean, such as a template or a show")


def clean_office(data: bytes, kind: Kind, limits: EvidenceLimits, nested: bool = False) -> tuple[bytes, list[str]]:
    """(cleaned package, what was removed)."""
    deadline = Deadline(limits.max_seconds, kind.noun)
    found: list[str] = []
    people = _Pseudonyms()
    out = io.BytesIO()
    with open_zip(data) as package, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as cleaned:
        entries = _checked_entries(package, limits, kind.noun)
        types = _ContentTypes(_read_xml_part(package, package.getinfo("[Content_Types].xml")))
        unpacked = sum(info.file_size for info in entries)
        inner_limits = dataclasses.replace(limits, max_unpacked_bytes=max(limits.max_unpacked_bytes - unpacked, 0))
        entries.sort(key=lambda info: info.filename != "[Content_Types].xml")  # conventionally first
        for info in entries:
            if info.is_dir():
                continue
            deadline.check()
            part = _read(package, info)
            new = _clean_part(info.filename, types.of(info.filename), part, people, found, inner_limits, nested)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)  # zip times are local edit times
            entry.compress_type = zipfile.ZIP_DEFLATED
            cleaned.writestr(entry, new)
    return out.getvalue(), list(dict.fromkeys(found))


def _clean_part(
    name: str,
    content_type: str,
    part: bytes,
    people: "_Pseudonyms",
    found: list[str],
    limits: EvidenceLimits,
    nested: bool,
) -> bytes:
    """One part of the package, cleaned according to what it is."""
    if part.startswith(OLE_MAGIC):
        raise errors.macros() if "vbaproject" in name.lower() else errors.embedded_object()
    if part.startswith(ZIP_MAGIC):
        if nested:
            raise errors.embedded_object()
        try:
            inner_kind = package_kind(part, limits)
        except errors.EvidenceRefused:
            raise errors.embedded_object() from None
        inner, inner_found = clean_office(part, inner_kind, limits, nested=True)
        found += inner_found
        return inner
    if content_type in _PROPERTIES:
        return _rewrite(part, _PropertiesRules(_PROPERTIES[content_type], content_type, found))
    if content_type.endswith("xml") or name.lower().endswith((".xml", ".rels")):
        if _may_need_changes(part):
            return _rewrite(part, _OfficeRules(people, found))
        return part
    if "printerSettings" in content_type and len(part) >= 64 and part[:64].strip(b"\x00"):
        found.append("printer name")
        return bytes(64) + part[64:]  # DEVMODE starts with the device name (32 UTF-16 characters)
    if part.startswith((b"\xff\xd8\xff", b"\x89PNG")):
        try:
            picture, picture_found = images.clean_embedded(part, limits)
        except errors.EvidenceRefused:
            raise errors.damaged("document") from None
        found += picture_found
        return picture
    return part


def _may_need_changes(part: bytes) -> bool:
    if part[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in part[:64]:
        return True  # UTF-16: the byte search below would not see the words
    return any(word in part for word in _TRIGGERS)


def _rewrite(part: bytes, rules: Rules) -> bytes:
    try:
        return rewrite(part, rules)
    except XmlRefused:
        raise errors.damaged("document") from None


def _checked_entries(package: zipfile.ZipFile, limits: EvidenceLimits, noun: str) -> list[zipfile.ZipInfo]:
    """The entries, refused before anything is unpacked if any is hostile."""
    entries = package.infolist()
    if len(entries) > limits.max_zip_entries:
        raise errors.too_complex(noun)
    seen: set[str] = set()
    total = 0
    for info in entries:
        name = info.filename
        if not _safe_entry_name(name) or name.lower() in seen:
            raise errors.damaged(noun)
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise errors.password_protected()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise errors.damaged(noun)
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise errors.too_complex(noun)
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise errors.too_complex(noun)
    return entries


def _safe_entry_name(name: str) -> bool:
    parts = name.rstrip("/").split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and ":" not in parts[0]
        and all(part not in ("", ".", "..") for part in parts)
        and not any(ord(ch) < 0x20 or ch == "\x7f" for ch in name)
    )


def _read(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One entry, never more than it declared (the sizes were checked)."""
    try:
        with package.open(info) as entry:
            data = entry.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise errors.damaged("document") from None
    if len(data) != info.file_size:
        raise errors.damaged("document")
    return data


def _read_xml_part(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> "_Collected":
    collected = _Collected()
    _rewrite(_read(package, info), collected)
    return collected


def _main_part(package: zipfile.ZipFile, names: set[str]) -> str | None:
    if "_rels/.rels" not in names:
        return None
    for element in _read_xml_part(package, package.getinfo("_rels/.rels")).elements:
        attributes = dict(element.attributes)
        if element.local == "Relationship" and attributes.get("Type", "").endswith(_RELS_TYPE_MAIN):
            return attributes.get("Target", "").lstrip("/")
    return None


def _other_zip_label(package: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        info = package.getinfo("mimetype")
        if info.file_size < 200:
            mimetype = _read(package, info)
            if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                return "an OpenDocument file"
            if mimetype.startswith(b"application/epub"):
                return "an e-book"
    return "a ZIP archive"


class _Collected(Rules):
    """Reads a part's elements (content types, relationships) without changing it."""

    def __init__(self) -> None:
        self.elements: list[Element] = []

    def attributes(self, element: Element) -> list[tuple[str, str]]:
        if len(self.elements) < 100_000:
            self.elements.append(element)
        return element.attributes


class _ContentTypes:
    def __init__(self, collected: _Collected):
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for element in collected.elements:
            attributes = dict(element.attributes)
            if element.local == "Default":
                self.defaults[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")
            elif element.local == "Override":
                self.overrides[attributes.get("PartName", "").lstrip("/").lower()] = attributes.get("ContentType", "")

    def of(self, name: str) -> str:
        name = name.lower()
        if name in self.overrides:
            return self.overrides[name]
        return self.defaults.get(name.rpartition(".")[2], "")


class _Pseudonyms:
    """The same person gets the same stand-in throughout one document."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.initials: dict[str, str] = {}

    def name(self, value: str) -> str:
        if value.strip() and value not in self.names:
            self.names[value] = f"Author {len(self.names) + 1}"
        return self.names.get(value, value)

    def initial(self, value: str) -> str:
        if value.strip() and value not in self.initials:
            self.initials[value] = f"A{len(self.initials) + 1}"
        return self.initials.get(value, value)


class _PropertiesRules(Rules):
    """Document properties: every property goes, the (empty) root stays."""

    def __init__(self, words: dict[str, str], content_type: str, found: list[str]):
        self.words = words
        self.custom = not words
        self.core = "core-properties" in content_type
        self.found = found

    def drop(self, element: Element) -> bool:
        return element.depth == 1

    def dropped(self, element: Element, text: str) -> None:
        if self.custom:
            self.found.append("custom document properties")
        elif text.strip() and element.local in self.words:
            self.found.append(self.words[element.local])
        elif text.strip() and self.core:
            self.found.append(_CORE_OTHER)


class _OfficeRules(Rules):
    def __init__(self, people: _Pseudonyms, found: list[str]):
        self.people = people
        self.found = found
        self.root: tuple[str, str] | None = None

    def drop(self, element: Element) -> bool:
        if element.depth == 0:
            self.root = (element.uri, element.local)
        if element.depth == 1 and self.root == (_SHAREPOINT, "properties"):
            self.found.append("document library details")
            return True
        if element.local == "presenceInfo":
            self.found.append("account identifiers")
            return True
        if element.local == "absPath":
            self.found.append("file locations on the author's computer")
            return True
        return False

    def attributes(self, element: Element) -> list[tuple[str, str]]:
        kept = []
        external = ("TargetMode", "External") in element.attributes
        for qname, value in element.attributes:
            local = element.attribute_name(qname)[1]
            if local in ("author", "userName") or (
                local in ("name", "displayName") and element.local in _PEOPLE_ELEMENTS
            ):
                if value.strip():
                    value = self.people.name(value)
                    self.found.append(PEOPLE)
            elif local == "initials":
                value = self.people.initial(value)
            elif local in ("userId", "providerId"):
                if value:
                    self.found.append("account identifiers")
                value = ""
            elif (local == "date" and element.uri in _WORD) or local == "dateUtc":
                self.found.append("dates of comments and changes")
                continue
            elif local == "Target" and external and element.local == "Relationship" and not _WEB_TARGET.match(value):
                self.found.append("file locations on the author's computer")
                value = "about:blank"
            kept.append((qname, value))
        return kept

    def text(self, element: Element) -> Callable[[str], str] | None:
        if element.local == "author" and element.uri in _EXCEL:
            self.found.append(PEOPLE)
            return self.people.name
        return None
