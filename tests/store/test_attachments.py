"""Reporters' files in the store: sealed in chunks, read back piece by piece, gone with their case."""

import datetime as dt

import pytest

from store.attachments import CHUNK_BYTES, file_bytes, list_files, read_file, store_files
from store.conversation import post_reporter_message
from store.errors import CaseClosed, NotFound, ValidationError
from store.evidence import Kind, clean, clean_submission
from store.models import Attachment, AttachmentChunk, Message, Report, database
from store.retention import purge
from store.sealing import Unreadable, new_key

from ..helpers import reporter_key, submit, utc
from .evidence_samples import AUTHOR, CAMERA_MODEL, pdf_with_author, phone_photo

WELSH_NAME = "Llun o’r neuadd 🏛️ — \u202egpj.exe\u202c ../../x"


def stored_report(config, **overrides):
    return submit(config, **overrides).report


def test_files_are_sealed_in_chunks_and_come_back_whole(db, config):
    report = stored_report(config)
    key = new_key()
    big_text = ("Neges hir — رسالة طويلة 🌧️\n" * 40000).encode("utf-8")  # several chunks
    files = clean_submission([(phone_photo(), "IMG_2041.JPG"), (big_text, WELSH_NAME)])
    with database.atomic():
        rows = store_files(report, files, key)
    assert [r.chunk_count for r in rows] == [1, -(-len(files[1].data) // CHUNK_BYTES)]
    assert rows[1].chunk_count > 3
    infos = list_files(report.id, key)
    assert [i.kind for i in infos] == [Kind.JPEG, Kind.TEXT]
    assert infos[0].name == "IMG_2041.jpg"
    assert "/" not in infos[1].name and "\u202e" not in infos[1].name and infos[1].name.endswith(".txt")
    assert "photo details (EXIF)" in infos[0].removed
    assert [i.size for i in infos] == [len(f.data) for f in files]
    assert infos[0].created_at.second == 0 and infos[0].created_at.microsecond == 0
    pieces = list(read_file(rows[1].id, key))
    assert len(pieces) == rows[1].chunk_count and all(len(p) <= CHUNK_BYTES for p in pieces)
    assert b"".join(pieces) == files[1].data
    assert file_bytes(rows[0].id, key) == files[0].data
    # Nothing readable in the rows: neither the name nor the content.
    for chunk in AttachmentChunk.select():
        assert b"Neges hir" not in bytes(chunk.sealed)
    assert b"Llun" not in bytes(Attachment.get_by_id(rows[1].id).sealed_name)


def test_the_wrong_key_opens_nothing(db, config):
    report = stored_report(config)
    key = new_key()
    with database.atomic():
        (row,) = store_files(report, [clean(pdf_with_author(), "letter.pdf")], key)
    with pytest.raises(Unreadable):
        list_files(report.id, new_key())
    with pytest.raises(Unreadable):
        next(read_file(row.id, new_key()))
    with pytest.raises(ValueError):
        list_files(report.id, b"short")


def two_chunk_files(config):
    report = stored_report(config)
    key = new_key()
    data = ("Tystiolaeth 🧾 " * 50000).encode("utf-8")
    with database.atomic():
        rows = store_files(report, [clean(data, "a.txt"), clean(data, "b.txt")], key)
    return report, key, rows


def chunk(attachment_id, n):
    return AttachmentChunk.get((AttachmentChunk.attachment == attachment_id) & (AttachmentChunk.n == n))


def set_chunk(attachment_id, n, sealed):
    AttachmentChunk.update(sealed=sealed).where(
        (AttachmentChunk.attachment == attachment_id) & (AttachmentChunk.n == n)
    ).execute()


def test_a_flipped_bit_is_unreadable(db, config):
    _report, key, (a, _b) = two_chunk_files(config)
    sealed = bytearray(bytes(chunk(a.id, 1).sealed))
    sealed[40] ^= 1
    set_chunk(a.id, 1, bytes(sealed))
    pieces = read_file(a.id, key)
    next(pieces)  # the first piece is intact
    with pytest.raises(Unreadable):
        next(pieces)


def test_swapped_pieces_and_pieces_from_another_file_do_not_open(db, config):
    _report, key, (a, b) = two_chunk_files(config)
    first, second = bytes(chunk(a.id, 0).sealed), bytes(chunk(a.id, 1).sealed)
    set_chunk(a.id, 0, second)
    set_chunk(a.id, 1, first)
    with pytest.raises(Unreadable):
        file_bytes(a.id, key)
    set_chunk(a.id, 0, first)
    set_chunk(a.id, 1, bytes(chunk(b.id, 1).sealed))  # same key, same position, other file
    with pytest.raises(Unreadable):
        file_bytes(a.id, key)


def test_a_shortened_or_lengthened_file_is_unreadable(db, config):
    _report, key, (a, b) = two_chunk_files(config)
    total = a.chunk_count
    AttachmentChunk.delete().where((AttachmentChunk.attachment == a.id) & (AttachmentChunk.n == total - 1)).execute()
    Attachment.update(chunk_count=total - 1).where(Attachment.id == a.id).execute()
    with pytest.raises(Unreadable):
        file_bytes(a.id, key)
    AttachmentChunk.insert(attachment=b.id, n=b.chunk_count, sealed=bytes(chunk(b.id, 0).sealed)).execute()
    with pytest.raises(Unreadable):
        file_bytes(b.id, key)


def test_a_name_moved_to_another_file_does_not_open(db, config):
    _report, key, (a, b) = two_chunk_files(config)
    Attachment.update(sealed_name=Attachment.get_by_id(a.id).sealed_name).where(Attachment.id == b.id).execute()
    with pytest.raises(Unreadable):
        list_files(_report.id, key)


def test_no_such_file_or_case(db, config):
    with pytest.raises(NotFound):
        read_file(999999, new_key())
    with pytest.raises(NotFound):
        list_files(999999, new_key())


def test_a_report_and_its_files_are_stored_together(db, config):
    files = clean_submission([(phone_photo(), "photo.jpg"), (pdf_with_author(), "letter.pdf")])
    submission = submit(config, attachments=files, two_way="on")
    report = submission.report
    key = reporter_key(report.id)
    infos = list_files(report.id, key)
    assert [i.name for i in infos] == ["photo.jpg", "letter.pdf"]
    assert all(i.message_id is None for i in infos)
    assert file_bytes(infos[1].id, key) == files[1].data
    # A report refused after its files were cleaned stores neither.
    with pytest.raises(ValidationError):
        submit(config, attachments=files, description="")
    assert Attachment.select().count() == 2


def test_a_message_may_be_only_its_files_and_keeps_them(db, config):
    report = stored_report(config, two_way="on")
    files = [clean(phone_photo(), "screenshot.jpg")]
    message = post_reporter_message(report.id, case_key=reporter_key(report.id), body="  ", attachments=files)
    assert message.body == ""
    (info,) = list_files(report.id, reporter_key(report.id), message_id=message.id)
    assert info.message_id == message.id and info.name == "screenshot.jpg"
    with pytest.raises(ValidationError):
        post_reporter_message(
            report.id, case_key=reporter_key(report.id), body="  "
        )  # without files a message still needs words


def test_a_message_on_a_closed_case_stores_no_files(db, config):
    report = stored_report(config, two_way="on")
    Report.update(status="closed", closed_at=utc(2026, 1, 5, 9)).where(Report.id == report.id).execute()
    with pytest.raises(CaseClosed):
        post_reporter_message(
            report.id, case_key=reporter_key(report.id), body="more", attachments=[clean(phone_photo(), "x.jpg")]
        )
    assert Attachment.select().count() == 0 and AttachmentChunk.select().count() == 0
    assert Message.select().count() == 0


def test_retention_purges_files_with_their_case(db, config):
    old = submit(config, now=utc(2024, 1, 8, 10), attachments=[clean(phone_photo(), "a.jpg")]).report
    kept = submit(config, attachments=[clean(pdf_with_author(), "b.pdf")]).report
    Report.update(status="closed", closed_at=utc(2024, 1, 9, 10)).where(Report.id == old.id).execute()
    result = purge(config, now=utc(2026, 1, 1, 12))
    assert [c.id for c in result.cases] == [old.id]
    assert Attachment.select().where(Attachment.report == old.id).count() == 0
    assert [a.report_id for a in Attachment.select()] == [kept.id]
    assert AttachmentChunk.select().join(Attachment).where(Attachment.report == old.id).count() == 0
    assert AttachmentChunk.select().count() == 1


def test_cleaned_metadata_is_not_in_the_stored_bytes(db, config):
    report = stored_report(config)
    key = new_key()
    with database.atomic():
        rows = store_files(report, clean_submission([(phone_photo(), "p.jpg"), (pdf_with_author(), "d.pdf")]), key)
    for row in rows:
        data = file_bytes(row.id, key)
        assert CAMERA_MODEL.encode() not in data and AUTHOR.encode() not in data


def test_times_are_to_the_minute(db, config):
    report = stored_report(config)
    with database.atomic():
        (row,) = store_files(report, [clean(b"plain words", "n.txt")], new_key(), now=dt.datetime(2026, 3, 1, 9, 7, 42))
    assert Attachment.get_by_id(row.id).created_at == dt.datetime(2026, 3, 1, 9, 7)
