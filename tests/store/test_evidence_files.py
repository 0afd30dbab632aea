"""Deciding a file's kind by content, names, plain text, submission limits, parallel use."""

import codecs
import concurrent.futures
import io

import pytest
from PIL import Image

from store.errors import ValidationError
from store.evidence import (
    EvidenceLimits,
    EvidenceRefused,
    Kind,
    check_submission,
    clean,
    clean_submission,
    inspect,
    safe_name,
)

from . import evidence_samples as samples

WHAT_WE_TAKE = "You can send photos, PDFs, text files or Word, Excel and PowerPoint documents."


def test_kind_is_decided_by_content_not_by_name():
    assert inspect(samples.phone_photo(), "report.pdf") is Kind.JPEG
    assert inspect(samples.pdf_with_author(1), "holiday.jpg") is Kind.PDF
    assert inspect(samples.office_file("xlsx"), "notes.docx") is Kind.XLSX
    assert inspect(samples.heic_photo(), "x.txt") is Kind.HEIC
    assert inspect(b"Dw i'n poeni.", "photo.png") is Kind.TEXT
    cleaned = clean(samples.phone_photo(), "report.pdf")
    assert cleaned.kind is Kind.JPEG and cleaned.name == "report.jpg"


@pytest.mark.parametrize(
    "data, label",
    [
        (b"GIF89a" + bytes(100), "a GIF picture"),
        (b"II*\x00" + bytes(100), "a TIFF picture"),
        (b"{\\rtf1\\ansi {\\info{\\author G}} hello}", "an RTF document"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(100), "a video or sound recording"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(100), "an AVIF picture"),
        (b"<!DOCTYPE html><html><head><meta name=author content=G></head></html>", "a web page"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "an XML file"),
        ("Caf\u00e9 na \u0142\u0105ce".encode("cp1250"), "we could not tell what it is"),
        (bytes(range(256)) * 10, "we could not tell what it is"),
        (b"\x7fELF" + bytes(100), "a program"),
        (b"PK\x05\x06" + bytes(18), "an empty ZIP archive"),
    ],
    ids=["gif", "tiff", "rtf", "mp4", "avif", "html", "svg", "latin2", "binary", "elf", "empty-zip"],
)
def test_other_kinds_are_refused_saying_what_they_look_like_and_what_we_take(data, label):
    with pytest.raises(EvidenceRefused) as refused:
        clean(data, "evidence.pdf")
    assert refused.value.sentence == f"We cannot take this kind of file ({label}). {WHAT_WE_TAKE}"
    assert isinstance(refused.value, ValidationError) and refused.value.errors == {
        "attachments": refused.value.sentence
    }


def test_empty_file_is_refused():
    with pytest.raises(EvidenceRefused, match=r"^This file is empty, so there is nothing to send\.$"):
        clean(b"", "x.jpg")
    with pytest.raises(EvidenceRefused, match="empty"):
        clean(b"  \n\t \r\n", "blank.txt")


def test_a_file_one_byte_over_the_limit_is_refused_unread():
    limit = EvidenceLimits().max_submission_bytes
    assert limit == 20 * 1024 * 1024
    with pytest.raises(EvidenceRefused, match=r"^This file is larger than 20 MB, the most we can take at once\.$"):
        clean(b"a" * (limit + 1), "big.txt")
    assert clean(b"a" * limit, "big.txt").kind is Kind.TEXT  # exactly at the limit is fine


def test_submission_limits_are_checked_before_any_file_is_opened():
    photo = samples.phone_photo(64, 48)
    with pytest.raises(EvidenceRefused, match=r"^You can send at most 5 files at once\.$"):
        clean_submission([(photo, f"{i}.jpg") for i in range(6)])
    big = b"x" * (5 * 1024 * 1024)
    with pytest.raises(EvidenceRefused, match=r"^Together these files are larger than 20 MB"):
        check_submission([(big, "a"), (big, "b"), (big, "c"), (big, "d"), (b"x", "e")])
    cleaned = clean_submission([(photo, "a.jpg"), (b"hello", "b.txt")])
    assert [c.kind for c in cleaned] == [Kind.JPEG, Kind.TEXT]


def test_one_refused_file_refuses_the_whole_submission():
    with pytest.raises(EvidenceRefused, match="GIF"):
        clean_submission([(samples.phone_photo(64, 48), "a.jpg"), (b"GIF89a" + bytes(10), "b.gif")])


@pytest.mark.parametrize(
    "given, kind, expected",
    [
        ("../../x", Kind.JPEG, "x.jpg"),
        ("..\\..\\windows\\x.png", Kind.PNG, "x.png"),
        ("C:\\Users\\gp\\Desktop\\Complaint.docx", Kind.DOCX, "Complaint.docx"),
        ("photo.png", Kind.JPEG, "photo.jpg"),
        ("IMG_0001.HEIC", Kind.JPEG, "IMG_0001.jpg"),
        ("Mr.Smith", Kind.TEXT, "Mr.Smith.txt"),
        ("report\u202egnp.exe", Kind.PDF, "reportgnp.exe.pdf"),
        ("bad\x1b[31mname\x00.pdf", Kind.PDF, "badname.pdf"),
        ("  ...  ", Kind.PDF, "file.pdf"),
        ("", Kind.JPEG, "picture.jpg"),
        ("CON.txt", Kind.TEXT, "CON_.txt"),
        ('a<b>c:"d"|e?f*g.pdf', Kind.PDF, "a_b_c__d__e_f_g.pdf"),
        ("Adroddiad ŵyr — zażółć تقرير 📸.pdf", Kind.PDF, "Adroddiad ŵyr — zażółć تقرير 📸.pdf"),
    ],
)
def test_names_are_reduced_to_a_safe_display_name(given, kind, expected):
    assert safe_name(given, kind) == expected


def test_long_names_are_cut_without_breaking_a_character():
    name = safe_name("👩🏽‍💻" * 60 + ".pdf", Kind.PDF, max_length=40)
    assert len(name) <= 40 and name.endswith(".pdf")
    assert not name[:-4].endswith(("\u200d", "\U0001f3fd"))  # no dangling joiner or skin tone
    assert safe_name("e\u0301" * 100, Kind.TEXT, max_length=21) == "é" * 17 + ".txt"  # NFC first, then cut


def test_plain_text_in_every_script_is_kept_and_control_characters_removed():
    text = (
        "Dw i eisiau adrodd am y digwyddiad — Zgłaszam nękanie — أبلغ عن تحرش 📸\n" * 200
        + "\x1b]8;;http://evil\x07link\x1b]8;;\x07 and \u202eevil\u202c\n"
    )
    cleaned = clean(text.encode("utf-8"), "notes.txt")
    out = cleaned.data.decode("utf-8")
    assert "Zgłaszam nękanie" in out and "أبلغ عن تحرش 📸" in out
    assert "\x1b" not in out and "\u202e" not in out and "link and evil" in out
    assert cleaned.removed == ["invisible and control characters"]
    assert clean(b"plain words\n", "a.txt").removed == []


@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF8, "utf-8")]
)
def test_text_with_a_byte_order_mark_becomes_utf8(bom, codec):
    cleaned = clean(bom + "Llongyfarchiadau! Gdańsk ☕".encode(codec), "x.txt")
    assert cleaned.data == "Llongyfarchiadau! Gdańsk ☕\n".encode()


def test_text_at_the_message_length_limit_with_unbroken_lines():
    line = "ŵ" * 20_000
    cleaned = clean((line + "\n").encode() * 50, "long.txt")
    assert cleaned.data.decode().splitlines() == [line] * 50


def test_jpeg_that_is_also_a_zip_keeps_only_the_picture():
    polyglot = samples.phone_photo(64, 48, 1) + samples.office_file("docx")
    assert inspect(polyglot, "x.docx") is Kind.JPEG
    cleaned = clean(polyglot, "x.docx")
    assert cleaned.kind is Kind.JPEG and cleaned.name == "x.jpg"
    assert b"PK" not in cleaned.data[-200:] and b"PK\x03\x04" not in cleaned.data
    assert Image.open(io.BytesIO(cleaned.data)).size == (64, 48)


def test_refusals_never_repeat_the_name_or_content():
    name = "Gwenllian's complaint.gif"
    with pytest.raises(EvidenceRefused) as refused:
        clean(b"GIF89a" + samples.AUTHOR.encode(), name)
    assert "Gwenllian" not in str(refused.value)


def test_cleaning_many_files_in_parallel_gives_the_same_results():
    files = [(samples.phone_photo(200, 150, o), f"p{o}.jpg") for o in range(1, 9)]
    files += [
        (samples.pdf_with_author(2), "a.pdf"),
        (samples.office_file("docx"), "d.docx"),
        (samples.heic_photo(), "h.heic"),
        (samples.png_with_notes(), "n.png"),
    ]
    alone = [clean(data, name) for data, name in files]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda f: clean(*f), files * 3))
    for index, cleaned in enumerate(together):
        expected = alone[index % len(files)]
        assert (cleaned.kind, cleaned.name, cleaned.removed) == (expected.kind, expected.name, expected.removed)
        if cleaned.kind is not Kind.PDF:
            assert cleaned.data == expected.data
