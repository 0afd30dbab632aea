"""PDFs: rewritten without the author, scripts or attachments; hostile ones refused."""

import io
import time
import zlib

import pypdf
import pytest

from store.evidence import EvidenceLimits, EvidenceRefused, Kind, clean

from . import evidence_samples as samples


def test_pdf_with_author_comes_out_without_it():
    original = samples.pdf_with_author(pages=3)
    assert samples.AUTHOR.encode() in original  # the sample carries it in raw bytes (info, XMP, annotations)

    cleaned = clean(original, "Complaint (final).pdf")

    assert cleaned.kind is Kind.PDF and cleaned.name == "Complaint (final).pdf" and cleaned.pages == 3
    assert samples.AUTHOR.encode() not in cleaned.data
    assert samples.COMPANY.encode() not in cleaned.data
    assert b"JavaScript" not in cleaned.data and b"EmbeddedFile" not in cleaned.data
    assert b"Exif" not in cleaned.data and b"xpacket" not in cleaned.data and b"x:xmpmeta" not in cleaned.data
    reader = pypdf.PdfReader(io.BytesIO(cleaned.data))
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"] and "/OpenAction" not in reader.trailer["/Root"]
    assert "/ID" not in reader.trailer
    assert [page.extract_text().strip() for page in reader.pages] == [f"Evidence page {n}" for n in (1, 2, 3)]
    for page in reader.pages:
        assert "/PieceInfo" not in page
        note = page["/Annots"][0].get_object()
        assert note["/Contents"] == "see the second paragraph" and "/T" not in note and "/M" not in note
        picture = page["/Resources"]["/XObject"]["/Im1"].get_object()
        assert picture.get_data().startswith(b"\xff\xd8")  # still a JPEG, just without its segments
    for words in (
        "author",
        "editing software",
        "editing details (XMP)",
        "attached files",
        "scripts and automatic actions",
        "names of the authors of comments",
        "location (GPS)",
    ):
        assert words in cleaned.removed


def test_pdf_without_metadata_says_nothing_was_removed():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    cleaned = clean(out.getvalue(), "blank.pdf")
    assert cleaned.removed == [] and cleaned.pages == 1


def test_pdf_with_a_zip_appended_keeps_only_the_pdf():
    polyglot = samples.pdf_with_author(1) + samples.office_file("docx")
    cleaned = clean(polyglot, "x.pdf")
    assert cleaned.kind is Kind.PDF and b"PK\x03\x04" not in cleaned.data
    assert samples.AUTHOR.encode() not in cleaned.data


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n",
        b"%PDF-1.4\n" + b"\x00\xff" * 500,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
    ids=["header-only", "garbage", "no-pages"],
)
def test_malformed_pdfs_are_refused_in_one_sentence(data):
    with pytest.raises(EvidenceRefused, match=r"^This PDF seems to be damaged or incomplete, so we cannot open it\.$"):
        clean(data, "x.pdf")


@pytest.mark.parametrize("cut", [0.3, 0.6])
def test_truncated_pdf_is_refused_or_keeps_no_author(cut):
    data = samples.pdf_with_author(3)
    try:
        cleaned = clean(data[: int(len(data) * cut)], "x.pdf")
    except EvidenceRefused as refused:
        assert "damaged" in refused.sentence
    else:  # pypdf rebuilt what it could: whatever it kept must still be clean
        assert samples.AUTHOR.encode() not in cleaned.data


def test_too_many_pages_are_refused():
    writer = pypdf.PdfWriter()
    for _ in range(12):
        writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EvidenceRefused, match="more than 10 pages"):
        clean(out.getvalue(), "x.pdf", EvidenceLimits(max_pages=10))


def test_password_protected_pdf_is_refused_but_an_empty_password_is_opened():
    for password, refused in (("s3cret", True), ("", False)):
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(samples.pdf_with_author(1, with_picture=False)))
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        if refused:
            with pytest.raises(EvidenceRefused, match="protected with a password"):
                clean(out.getvalue(), "x.pdf")
        else:
            cleaned = clean(out.getvalue(), "x.pdf")
            assert pypdf.PdfReader(io.BytesIO(cleaned.data)).pages[0].extract_text().strip() == "Evidence page 1"


def test_stream_decompression_bomb_in_a_page_is_not_unpacked():
    """A page whose content stream inflates to 1 GB: copying it must not inflate it."""
    squeeze = zlib.compressobj(9)
    bomb = b"".join(squeeze.compress(b" " * (1024 * 1024)) for _ in range(1024)) + squeeze.flush()
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(100, 100)
    stream = pypdf.generic.StreamObject()
    stream._data = bomb
    stream[pypdf.generic.NameObject("/Filter")] = pypdf.generic.NameObject("/FlateDecode")
    page[pypdf.generic.NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    started = time.monotonic()
    cleaned = clean(out.getvalue(), "bomb.pdf")
    assert time.monotonic() - started < 5
    assert len(cleaned.data) < len(out.getvalue()) + 10_000


def test_object_stream_bomb_is_refused():
    """Objects hidden in a compressed object stream that inflates past the limit."""
    squeeze = zlib.compressobj(9)
    body = b"".join(squeeze.compress(b"0" * (1024 * 1024)) for _ in range(200)) + squeeze.flush()
    pdf = (
        b"%PDF-1.7\n1 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(body)).encode()
        + b" >>\nstream\n"
        + body
        + b"\nendstream\nendobj\n"
        b"2 0 obj << /Type /XRef /Size 4 /W [1 4 2] /Root 3 0 R /Length 21 >>\nstream\n"
        + b"\x00\x00\x00\x00\x00\xff\xff"
        + b"\x01\x00\x00\x00\x09\x00\x00"
        + b"\x02\x00\x00\x00\x01\x00\x00"
        + b"\nendstream\nendobj\nstartxref\n"
        + b"%d" % (len(body) + 100)
        + b"\n%%EOF"
    )
    with pytest.raises(EvidenceRefused, match=r"damaged or incomplete|too complex"):
        clean(pdf, "x.pdf")
