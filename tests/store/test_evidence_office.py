"""Word, Excel and PowerPoint: authors and company gone (raw bytes checked), hostile packages refused."""

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest
from PIL import Image

from store.evidence import EvidenceLimits, EvidenceRefused, Kind, clean, inspect

from . import evidence_samples as samples

SECRETS = [
    samples.AUTHOR,
    samples.COMPANY,
    "gprzybylska",
    "gp@example.ac.uk",
    "PRINTSRV",
    "Dr Ieuan Jones",
    "2026-03-14T09",
    "Normal.dotm",
]


def assert_nothing_identifying(data: bytes):
    """Neither the file's raw bytes nor any of its unpacked parts hold a secret."""
    texts = {"(raw)": data, **samples.zip_texts(data)}
    for name, text in texts.items():
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in text, (name, secret)


@pytest.mark.parametrize("kind, expected", [("docx", Kind.DOCX), ("xlsx", Kind.XLSX), ("pptx", Kind.PPTX)])
def test_office_files_lose_their_authors_and_company(kind, expected):
    original = samples.office_file(kind)
    assert any(samples.AUTHOR.encode() in text for text in samples.zip_texts(original).values())

    cleaned = clean(original, f"Report.{kind}")

    assert cleaned.kind is expected and cleaned.name == f"Report.{kind}"
    assert_nothing_identifying(cleaned.data)
    for words in (
        "author",
        "last editor",
        "company",
        "manager",
        "editing software",
        "custom document properties",
        "names of the authors of comments and changes",
    ):
        assert words in cleaned.removed
    with zipfile.ZipFile(io.BytesIO(cleaned.data)) as package:
        assert package.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(package.read(name))  # every part is still well-formed XML


def test_word_document_keeps_its_words_prefixes_and_who_changed_what():
    cleaned = clean(samples.office_file("docx"), "x.docx")
    parts = samples.zip_texts(cleaned.data)
    document = parts["word/document.xml"].decode()
    # The reporter's words, every script, the preserved spaces.
    assert "Dw i'n adrodd: zażółć gęślą jaźń — تقرير 📸 &amp; more  </w:t>" in document
    # Prefixes are kept exactly: mc:Ignorable names them, so renaming them breaks Word.
    assert 'mc:Ignorable="w14 w15"' in document and 'xmlns:w15="' in document
    # Two different people made changes: they stay two different people.
    assert 'w:author="Author 1"' in document and 'w:author="Author 2"' in document
    assert "w:date=" not in document and "<!--" not in document
    comments = parts["word/comments.xml"].decode()
    assert 'w:author="Author 1"' in comments and 'w:initials="A1"' in comments
    assert "This is what he said." in comments
    people = parts["word/people.xml"].decode()
    assert 'w15:author="Author 1"' in people and "presenceInfo" not in people
    settings_rels = parts["word/_rels/settings.xml.rels"].decode()
    assert 'Target="about:blank"' in settings_rels
    assert "https://example.org/policy" in parts["word/_rels/document.xml.rels"].decode()  # a web link is content
    core = parts["docProps/core.xml"].decode()
    assert core.endswith("/>") and "cp:coreProperties" in core
    assert "file locations on the author's computer" in cleaned.removed
    assert "dates of comments and changes" in cleaned.removed and "account identifiers" in cleaned.removed


def test_photo_inside_a_document_loses_its_gps_but_keeps_its_orientation():
    cleaned = clean(samples.office_file("docx"), "x.docx")
    picture = Image.open(io.BytesIO(samples.zip_texts(cleaned.data)["word/media/image1.jpeg"]))
    exif = picture.getexif()
    assert dict(exif) == {0x0112: 6}  # only the orientation, which the layout was made with
    assert "location (GPS)" in cleaned.removed


def test_excel_printer_name_and_desktop_path_are_removed():
    cleaned = clean(samples.office_file("xlsx"), "x.xlsx")
    parts = samples.zip_texts(cleaned.data)
    assert parts["xl/printerSettings/printerSettings1.bin"][:64] == bytes(64)
    assert len(parts["xl/printerSettings/printerSettings1.bin"]) == 220
    assert "absPath" not in parts["xl/workbook.xml"].decode()
    assert "<author>Author 1</author>" in parts["xl/comments1.xml"].decode()
    assert "printer name" in cleaned.removed


def test_chart_workbook_embedded_in_a_document_is_cleaned_too():
    inner = samples.office_file("xlsx")
    cleaned = clean(samples.office_file("docx", {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner}), "x.docx")
    embedded = samples.zip_texts(cleaned.data)["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert_nothing_identifying(embedded)
    assert "printer name" in cleaned.removed


@pytest.mark.parametrize(
    "extra, sentence",
    [
        ({"word/embeddings/archive.zip": samples.zip_of({"a.txt": "hello"})}, "embedded object or archive"),
        ({"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)}, "embedded object"),
        ({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)}, "macros"),
    ],
    ids=["plain-zip", "ole-object", "vba"],
)
def test_what_cannot_be_cleaned_inside_a_document_refuses_it(extra, sentence):
    with pytest.raises(EvidenceRefused, match=sentence):
        clean(samples.office_file("docx", extra), "x.docx")


def test_packages_nested_twice_are_refused():
    twice = samples.office_file(
        "docx",
        {
            "word/embeddings/inner.xlsx": samples.office_file(
                "xlsx", {"xl/embeddings/deeper.docx": samples.office_file("docx")}
            )
        },
    )
    with pytest.raises(EvidenceRefused, match="embedded object or archive"):
        clean(twice, "x.docx")


def test_macro_enabled_document_is_refused():
    with pytest.raises(EvidenceRefused, match="macros"):
        inspect(samples.office_file("docm"), "x.docx")


def test_zip_that_is_not_office_is_refused_with_what_it_is():
    with pytest.raises(EvidenceRefused, match=r"\(a ZIP archive\)"):
        inspect(samples.zip_of({"photo.jpg": samples.phone_photo()}), "x.docx")
    odt = samples.zip_of(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<a/>"}, zipfile.ZIP_STORED
    )
    with pytest.raises(EvidenceRefused, match="OpenDocument"):
        inspect(odt, "x.odt")


def test_zip_bomb_part_is_refused_before_unpacking():
    bomb = samples.office_file("docx", {"word/media/big.bin": samples.zeros_entry(100 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(EvidenceRefused, match="too large or too complex"):
        clean(bomb, "bomb.docx")


def test_total_unpacked_size_is_bounded():
    parts = {f"word/media/part{i}.bin": bytes(range(256)) * 4096 for i in range(4)}  # 1 MiB each, ratio < 200
    with pytest.raises(EvidenceRefused, match="too large or too complex"):
        clean(samples.office_file("docx", parts), "x.docx", EvidenceLimits(max_unpacked_bytes=3 * 1024 * 1024))


def test_too_many_entries_are_refused():
    parts = {f"word/media/p{i}.bin": b"x" for i in range(60)}
    with pytest.raises(EvidenceRefused, match="too large or too complex"):
        clean(samples.office_file("docx", parts), "x.docx", EvidenceLimits(max_zip_entries=50))


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.xml",
        "/etc/passwd",
        "word\\..\\x.xml",
        "C:/x.xml",
        "word//x.xml",
        "word/./x.xml",
        "word/\x1b[31mx.xml",
    ],
)
def test_hostile_entry_names_are_refused(name):
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(samples.office_file("docx", {name: "<a/>"}), "x.docx")


def test_duplicate_entry_names_are_refused():
    # Two entries of one name: readers disagree on which one counts.
    data = samples.office_file("docx")
    doubled = samples.office_file("docx", {"WORD/DOCUMENT.XML": samples.zip_texts(data)["word/document.xml"]})
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(doubled, "x.docx")


def test_entity_expansion_bomb_is_refused():
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        '<w:comments xmlns:w="' + samples.W + '">&lol2;</w:comments>'
    )
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(samples.office_file("docx", {"word/comments.xml": lol}), "x.docx")


def test_external_entity_is_refused():
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(samples.office_file("docx", {"word/comments.xml": xxe}), "x.docx")


def test_malformed_xml_part_is_refused():
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(samples.office_file("docx", {"word/comments.xml": "<w:comments w:author='x'><unclosed>"}), "x.docx")


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_document_is_refused(cut):
    data = samples.office_file("docx")
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(data[: int(len(data) * cut)], "x.docx")


def test_corrupted_part_is_refused_by_its_checksum():
    package = bytearray(samples.office_file("docx"))
    where = package.index(b"word/people.xml") + len("word/people.xml") + 5  # inside that entry's data
    package[where] ^= 0xFF
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(bytes(package), "x.docx")


def test_password_protected_office_file_is_refused_as_such():
    # An encrypted .docx is an OLE container holding an "EncryptedPackage" stream.
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    with pytest.raises(EvidenceRefused, match="protected with a password"):
        clean(encrypted, "secret.docx")


def test_legacy_word_file_is_refused_with_what_to_do():
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(100)
    with pytest.raises(EvidenceRefused, match=r"older Word.*save it as \.docx"):
        clean(legacy, "report.doc")
