"""Reporters' files, stored sealed in the database, in chunks.

A file arrives already cleaned (store.evidence). Its bytes are cut into
``CHUNK_BYTES`` pieces, each sealed with the case key under a context that
names the case reference, the attachment, the piece's number and how many
pieces there are: a piece moved to another file or case, swapped with
another, dropped, or changed by one bit does not open (``Unreadable``). The
file's name and what was removed from it are sealed the same way. Kind,
media type, size and the minute it came stay readable: they say nothing of
the content.

In the database (not on disk beside it) so that SQLite and PostgreSQL both
hold them, every web instance sees them, backups include them and retention
deletes them with their case; in chunks so that nothing is loaded whole
where streaming will do.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from . import sealing
from .clock import to_minute, utcnow
from .config import Config
from .errors import NotFound
from .evidence import Cleaned, EvidenceLimits, Kind
from .models import Attachment, AttachmentChunk, Message, Report, database
from .sealing import Unreadable

CHUNK_BYTES = 256 * 1024


def evidence_limits(config: Config) -> EvidenceLimits:
    """The cleaner's bounds with this site's limits on files (config: attachments_max_*)."""
    return EvidenceLimits(max_files=config.attachments_max_files, max_submission_bytes=config.attachments_max_bytes)


@dataclass(frozen=True)
class AttachmentInfo:
    """What the pages and the app show of a file (its name and the removed list opened)."""

    id: int
    message_id: int | None  # None: sent with the report
    name: str
    kind: Kind
    media_type: str
    size: int
    removed: list[str]
    created_at: dt.datetime


def _context(reference: str, attachment_id: int, item: str) -> str:
    return f"{reference}|attachment:{attachment_id}|{item}"


def _chunk_context(reference: str, attachment_id: int, n: int, total: int) -> str:
    # The total is part of every piece's context: a shortened file (its last pieces deleted and
    # the count lowered) opens no piece at all.
    return _context(reference, attachment_id, f"chunk:{n}/{total}")


def _check_key(case_key: bytes) -> None:
    if not sealing.is_case_key(case_key):
        raise ValueError("a case key is one or more keys of 32 bytes")


def store_files(
    report: Report,
    cleaned: list[Cleaned],
    case_key: bytes,
    message: Message | None = None,
    now: dt.datetime | None = None,
) -> list[Attachment]:
    """Seal and store ``cleaned`` files of ``report`` (and of ``message``, when they came with one).

    Runs in the caller's transaction (a savepoint of it), so a report or
    message and its files are stored together or not at all.
    """
    _check_key(case_key)
    now = to_minute(now or utcnow())
    stored = []
    with database.atomic():
        for file in cleaned:
            total = max(1, -(-len(file.data) // CHUNK_BYTES))
            row = Attachment.create(
                report=report,
                message=message,
                kind=file.kind.name,
                media_type=file.media_type,
                size=file.size,
                chunk_count=total,
                sealed_name=b"",
                sealed_removed=b"",
                created_at=now,
            )
            reference = report.reference
            row.sealed_name = sealing.seal(case_key, file.name, _context(reference, row.id, "name"))
            row.sealed_removed = sealing.seal(
                case_key, json.dumps(list(file.removed), ensure_ascii=False), _context(reference, row.id, "removed")
            )
            row.save()
            view = memoryview(file.data)
            for n in range(total):
                piece = view[n * CHUNK_BYTES : (n + 1) * CHUNK_BYTES]
                AttachmentChunk.insert(
                    attachment=row.id,
                    n=n,
                    sealed=sealing.seal(case_key, bytes(piece), _chunk_context(reference, row.id, n, total)),
                ).execute()
            stored.append(row)
    return stored


def _info(row: Attachment, reference: str, case_key: bytes) -> AttachmentInfo:
    name = sealing.open_text(case_key, row.sealed_name, _context(reference, row.id, "name"), "file name")
    removed_text = sealing.open_text(case_key, row.sealed_removed, _context(reference, row.id, "removed"), "file")
    try:
        removed = [str(item) for item in json.loads(removed_text)]
    except (ValueError, TypeError):  # cannot happen for what we sealed
        raise Unreadable("file") from None
    try:
        kind = Kind[row.kind]
    except KeyError:
        raise Unreadable("file") from None
    return AttachmentInfo(row.id, row.message_id, name, kind, row.media_type, row.size, removed, row.created_at)


def list_files(report_id: int, case_key: bytes, message_id: int | None = None) -> list[AttachmentInfo]:
    """The files of a case, in the order they came; with ``message_id``, only that message's.

    ``Unreadable`` if a name or list does not open (tampered, or the wrong key).
    """
    _check_key(case_key)
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        raise NotFound("That case no longer exists.")
    query = Attachment.select().where(Attachment.report == report_id)
    if message_id is not None:
        query = query.where(Attachment.message == message_id)
    return [_info(row, report.reference, case_key) for row in query.order_by(Attachment.id)]


def read_file(attachment_id: int, case_key: bytes) -> Iterator[bytes]:
    """The file's bytes, piece by piece (one query and one piece in memory at a time).

    ``NotFound`` at once if there is no such file; ``Unreadable`` from the
    piece that does not open, or is missing — so a caller writing the pieces
    out must treat what it wrote as void on ``Unreadable``.
    """
    _check_key(case_key)
    row = (
        Attachment.select(Attachment.id, Attachment.chunk_count, Report.reference)
        .join(Report)
        .where(Attachment.id == attachment_id)
        .tuples()
        .first()
    )
    if row is None:
        raise NotFound("That file no longer exists.")
    _id, total, reference = row
    return _pieces(attachment_id, int(total), str(reference), case_key)


def _pieces(attachment_id: int, total: int, reference: str, case_key: bytes) -> Iterator[bytes]:
    for n in range(total):
        sealed = (
            AttachmentChunk.select(AttachmentChunk.sealed)
            .where((AttachmentChunk.attachment == attachment_id) & (AttachmentChunk.n == n))
            .scalar()
        )
        yield sealing.open_bytes(case_key, sealed, _chunk_context(reference, attachment_id, n, total), "file")
    extra = (
        AttachmentChunk.select()
        .where((AttachmentChunk.attachment == attachment_id) & (AttachmentChunk.n >= total))
        .exists()
    )
    if extra:  # pieces beyond the sealed count were added: the file is not what was stored
        raise Unreadable("file")


def file_bytes(attachment_id: int, case_key: bytes) -> bytes:
    """The whole file at once (tests, small files); prefer ``read_file``."""
    return b"".join(read_file(attachment_id, case_key))
