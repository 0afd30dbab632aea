"""What people wrote in a case, sealed with the case key and opened again.

Every text is sealed with ``sealing.seal`` and a context that names the case
(its reference) and the item, so a sealed text moved to another case, field,
message or author does not open (a reply or note names the adviser who wrote
it, ``author_tag``). A text that does not open is shown as
``UNREADABLE`` (never as garbage) and flagged, so screens can say so.

What stays readable in the database is listed in ARCHITECTURE.md ("Sealed
case files"): category, role, way, status, language, dates, counts, assignee,
the reference, and the configured place a location matched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import sealing
from .sanitize import one_line

UNREADABLE = "[This item cannot be opened: it was changed or damaged, or the key is not yours.]"
NO_KEY_PREVIEW = "[No key to this case yet: an administrator's app grants it.]"
PREVIEW_LENGTH = 120

DETAIL_FIELDS = ("occurred", "location", "people")
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@dataclass
class ReportText:
    """A report's own texts, opened."""

    description: str = ""
    occurred: str = ""
    location: str = ""
    people: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    unreadable: list[str] = field(default_factory=list)  # which parts did not open


def _json(values: dict[str, str]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def seal_report(reference: str, key: bytes, values: dict[str, object]) -> dict[str, bytes | None]:
    """The sealed columns of a new report from its clean ``values`` (reports.validate_report)."""
    details = {name: str(values.get(name) or "") for name in DETAIL_FIELDS}
    contact = {name: str(values.get(name) or "") for name in CONTACT_FIELDS}
    return {
        "sealed_description": sealing.seal(key, str(values.get("description") or ""), f"{reference}|description"),
        "sealed_details": sealing.seal(key, _json(details), f"{reference}|details"),
        "sealed_contact": sealing.seal(key, _json(contact), f"{reference}|contact") if any(contact.values()) else None,
        "sealed_preview": seal_preview(reference, key, str(values.get("description") or "")),
        "sealed_assignment": seal_assignment(reference, key, None),
    }


# ---- who a case is assigned to, as the holders of its key last set it --------------------------

UNKNOWN_ASSIGNEE = -1  # the sealed assignment is missing or does not open: nobody can tell


def seal_assignment(reference: str, key: bytes, assignee_id: int | None) -> bytes:
    """The case's assignee (None: nobody), sealed with its key.

    ``Report.assignee`` is what screens and statistics read; this sealed copy is what decides who
    may be *granted* the key (keys._share). Only a holder of the case key can write it, so a row
    edit that assigns a case to someone, or unassigns it so that everyone may see it, does not
    make an admin's app hand the key on.
    """
    return sealing.seal(key, "" if assignee_id is None else str(assignee_id), f"{reference}|assignment")


def open_assignment(reference: str, key: bytes, blob: bytes | memoryview | None) -> int | None:
    """The assignee id (None: nobody), or UNKNOWN_ASSIGNEE when the sealed copy is missing or does not open."""
    try:
        text = sealing.open_text(key, blob, f"{reference}|assignment", "assignment")
    except sealing.Unreadable:
        return UNKNOWN_ASSIGNEE
    if text == "":
        return None
    return int(text) if text.isdigit() else UNKNOWN_ASSIGNEE


def open_details(reference: str, key: bytes, blob: bytes | memoryview | None) -> dict[str, str] | None:
    """When, where and who; None if it does not open."""
    try:
        values = json.loads(sealing.open_text(key, blob, f"{reference}|details"))
    except (sealing.Unreadable, ValueError):
        return None
    return details_of(values)


def details_of(values: object) -> dict[str, str] | None:
    """The details from their JSON value as sealed (``seal_report``); None if it is not an object."""
    return {name: str(values.get(name) or "") for name in DETAIL_FIELDS} if isinstance(values, dict) else None


def belongs(
    reference: str,
    key: bytes,
    details: bytes | memoryview | None,
    description: bytes | memoryview | None,
    preview: bytes | memoryview | None,
) -> bool:
    """Whether ``key`` is the case's own: it opens one of the case's texts sealed under its reference."""
    for blob, item in ((details, "details"), (description, "description"), (preview, "preview")):
        try:
            sealing.open_bytes(key, blob, f"{reference}|{item}")
        except sealing.Unreadable:
            continue
        return True
    return False


def open_report(report: object, key: bytes | None) -> ReportText:
    """All of a report's texts; parts that do not open read UNREADABLE and are named in ``unreadable``."""
    reference = report.reference  # type: ignore[attr-defined]
    text = ReportText()
    if key is None:
        text.description = UNREADABLE
        text.unreadable = ["description", "details", "contact"]
        return text
    try:
        text.description = sealing.open_text(key, report.sealed_description, f"{reference}|description")  # type: ignore[attr-defined]
    except sealing.Unreadable:
        text.description = UNREADABLE
        text.unreadable.append("description")
    details = open_details(reference, key, report.sealed_details)  # type: ignore[attr-defined]
    if details is None:
        text.unreadable.append("details")
    else:
        text.occurred, text.location, text.people = (details[name] for name in DETAIL_FIELDS)
    sealed_contact = report.sealed_contact  # type: ignore[attr-defined]
    if sealed_contact is not None:
        try:
            contact = json.loads(sealing.open_text(key, sealed_contact, f"{reference}|contact"))
            text.contact_name, text.contact_email, text.contact_phone = (
                str(contact.get(name) or "") for name in CONTACT_FIELDS
            )
        except (sealing.Unreadable, ValueError, AttributeError):
            text.unreadable.append("contact")
    return text


def seal_preview(reference: str, key: bytes, text: str) -> bytes:
    return sealing.seal(key, one_line(text, PREVIEW_LENGTH), f"{reference}|preview")


def open_preview(reference: str, key: bytes | None, blob: bytes | memoryview | None) -> str:
    if blob is None:
        return ""
    if key is None:
        return UNREADABLE
    try:
        return sealing.open_text(key, blob, f"{reference}|preview")
    except sealing.Unreadable:
        return UNREADABLE


def open_previews(items: list[tuple[str, bytes | None, bytes | memoryview | None]]) -> list[str]:
    """``open_preview`` for many (reference, key, sealed preview) at once; a missing key reads NO_KEY_PREVIEW."""
    opened = sealing.open_many((key, blob, f"{reference}|preview") for reference, key, blob in items)
    previews = []
    for (_reference, key, blob), data in zip(items, opened):
        if key is None:
            previews.append(NO_KEY_PREVIEW)
        elif blob is None:
            previews.append("")
        else:
            previews.append(_decoded(data))
    return previews


def _decoded(data: bytes | None) -> str:
    if data is None:
        return UNREADABLE
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # cannot happen for what we sealed; a forged blob would not open
        return UNREADABLE


# Who wrote a message or note, as its seal names it. A reply or note names the adviser who wrote it by id
# (``adviser:<id>``), so editing ``adviser_id`` to move it to another adviser makes it unopenable. An adviser
# item with no adviser recorded is ``adviser:none``: only old rows whose adviser was not recorded (Tellus
# disables accounts and never deletes them; an adviser row deleted by hand leaves its items unopenable).
# How the releases before authors were bound named an adviser's item: the side only, any adviser.
LEGACY_ADVISER = "adviser"


def author_tag(author: str, adviser_id: object) -> str:
    """What a body's seal names as its author; ValueError for an author Tellus does not write."""
    if author == "reporter":
        return "reporter"
    if author != "adviser":
        # Never the column's text itself: an author edited to read "adviser:5" must not stand for adviser 5.
        raise ValueError(f"not an author: {author!r}")
    if adviser_id is None:
        return "adviser:none"
    if isinstance(adviser_id, bool) or not isinstance(adviser_id, int):
        raise ValueError(f"not an adviser id: {adviser_id!r}")
    return f"adviser:{adviser_id}"


def _body_context(reference: str, kind: str, item_id: int, tag: str) -> str:
    return f"{reference}|{kind}|{item_id}|{tag}"


def seal_body(
    reference: str, key: bytes, kind: str, item_id: int, author: str, text: str, *, adviser_id: int | None
) -> bytes:
    """A message (``kind`` "message") or an internal note ("note"), bound to its id and its author: the
    reporter, or the adviser ``adviser_id`` (a reply, a note; None only for an old one whose adviser is gone)."""
    return sealing.seal(key, text, _body_context(reference, kind, item_id, author_tag(author, adviser_id)))


def _open_legacy(
    reference: str, key: bytes, kind: str, item_id: int, author: str, blob: bytes | memoryview | None
) -> str:
    """A reply or note sealed by a release before authors were bound (context naming the side only).

    This fallback does not let a row sealed since be moved to another adviser: such a row's seal names
    ``adviser:<id>``, and an AEAD seal opens only under exactly the associated data it was sealed with, so
    it never opens under the old context ``...|adviser``; and nobody without the case key can seal a new
    text under the old one. What it does leave open is the old rows themselves (and old copies of them put
    back), until an admin's keys re-seal them (conversation.bind_authors; README, "Sealed case files").
    """
    if author != "adviser":  # a reporter's message has always named its side: nothing to fall back to
        raise sealing.Unreadable
    return sealing.open_text(key, blob, _body_context(reference, kind, item_id, LEGACY_ADVISER))


def open_body_status(
    reference: str,
    key: bytes,
    kind: str,
    item_id: int,
    author: str,
    blob: bytes | memoryview | None,
    *,
    adviser_id: object,
) -> tuple[str, bool]:
    """(text, sealed before authors were bound); ``sealing.Unreadable`` if it opens as neither."""
    try:
        tag = author_tag(author, adviser_id)
    except ValueError:
        raise sealing.Unreadable from None
    try:
        return sealing.open_text(key, blob, _body_context(reference, kind, item_id, tag)), False
    except sealing.Unreadable:
        return _open_legacy(reference, key, kind, item_id, author, blob), True


def open_body(
    reference: str,
    key: bytes | None,
    kind: str,
    item_id: int,
    author: str,
    blob: bytes | memoryview | None,
    *,
    adviser_id: object,
) -> str:
    """The text of a message or note whose row says ``author`` and ``adviser_id``; UNREADABLE if the seal
    names another case, item or author (or it was damaged, or ``key`` is None)."""
    if key is None:
        return UNREADABLE
    try:
        return open_body_status(reference, key, kind, item_id, author, blob, adviser_id=adviser_id)[0]
    except sealing.Unreadable:
        return UNREADABLE
