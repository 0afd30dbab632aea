"""Files through the real forms: cleaned, sealed, listed back with what was removed; every refusal a clear page."""

import pytest

from store.attachments import file_bytes, list_files
from store.models import Attachment, AttachmentChunk, Message, Report, database

from ..helpers import bodies, reporter_key, sqlite_file_bytes
from ..store import evidence_samples as samples
from .support import code_on, log_in, report_fields, send_report, text_of, token_of, web

MIB = 1024 * 1024
DESCRIPTION = "Roedd e’n fy nilyn i ar ôl y seminar — كان يتبعني بعد الندوة 🌙 <script>alert(1)</script>"


def post_report(app, files, status=200, **overrides):
    token = token_of(app.get("/report"))
    fields = {"csrf_token": token, **report_fields(**overrides)}
    return app.post(
        "/report",
        fields,
        upload_files=[("attachments", name, data) for name, data in files],
        content_type="multipart/form-data",
        status=status,
    )


def only_report():
    (report,) = Report.select()
    return report


def stored_infos():
    report = only_report()
    return list_files(report.id, reporter_key(report.id))


def database_bytes(sqlite_url):
    database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")  # the WAL stays: it is scanned too
    return sqlite_file_bytes(sqlite_url)


def test_a_phone_photo_and_a_pdf_are_cleaned_sealed_and_listed(app, sqlite_url):
    photo, pdf = samples.phone_photo(), samples.pdf_with_author()
    page = post_report(
        app, [("IMG_20260314_092653.jpg", photo), ("Complaint letter.pdf", pdf)], description=DESCRIPTION
    )
    text = text_of(page)
    assert code_on(page)
    assert "IMG_20260314_092653.jpg" in text and "Complaint letter.pdf" in text
    assert "JPEG picture" in text and "PDF document" in text
    assert "photo details (EXIF)" in text and "We removed:" in text
    infos = stored_infos()
    assert [i.name for i in infos] == ["IMG_20260314_092653.jpg", "Complaint letter.pdf"]
    report = only_report()
    key = reporter_key(report.id)
    cleaned_photo, cleaned_pdf = (file_bytes(i.id, key) for i in infos)
    assert samples.CAMERA_MODEL.encode() not in cleaned_photo and samples.AUTHOR.encode() not in cleaned_pdf
    # Nothing of either file, as sent or as kept, is readable in the database file, its WAL or SHM.
    raw = database_bytes(sqlite_url)
    for secret in (samples.CAMERA_MODEL, samples.CAMERA_MAKE, samples.AUTHOR, samples.COMPANY, "IMG_20260314"):
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw, secret
    for data in (photo, pdf, cleaned_photo, cleaned_pdf):
        middle = len(data) // 2
        assert data[middle : middle + 48] not in raw
    assert b"Complaint letter" not in raw


def test_a_welsh_page_lists_the_files_in_welsh(app):
    page = post_report(app, [("llun.jpg", samples.phone_photo())], two_way=None)
    assert "Thank you" in text_of(page) or "Diolch" in text_of(page)
    app.get("/?lang=cy")
    page = post_report(app, [("llun.jpg", samples.phone_photo())], two_way=None)
    text = text_of(page)
    assert "Llun JPEG" in text and "Fe wnaethon ni dynnu:" in text and "Eich ffeiliau" in text


def test_five_files_and_the_whole_allowance_are_taken(app):
    size = 20 * MIB // 5
    files = []
    for n in range(5):
        start = f"Diwrnod {n} — اليوم {n} 🗓️\n".encode()
        files.append((f"nodiadau-{n}.txt", start + b"." * (size - len(start))))
    assert sum(len(d) for _n, d in files) == 20 * MIB
    page = post_report(app, files)
    assert code_on(page)
    assert len(stored_infos()) == 5
    # Text is kept as UTF-8 text ends (with a final line end), so each file is its bytes and at most that line end.
    assert all(len(data) <= i.size <= len(data) + 1 for i, (_n, data) in zip(stored_infos(), files, strict=True))


def test_one_byte_over_is_the_form_again_with_everything_typed(app):
    size = 20 * MIB // 5
    files = [(f"n{n}.txt", b"a" * size) for n in range(4)] + [("n4.txt", b"a" * (size + 1))]
    page = post_report(app, files, 413, description=DESCRIPTION, people="Dr Ąłéx O’Brien-Núñez")
    text = text_of(page)
    assert "larger than 20 MB" in text and "choose them again" in text
    assert (
        page.html.find("textarea", id="description").get_text()
        == "Roedd e’n fy nilyn i ar ôl y seminar — كان يتبعني بعد الندوة 🌙 <script>alert(1)</script>"
    )
    assert page.html.find("textarea", id="people").get_text() == "Dr Ąłéx O’Brien-Núñez"
    assert "<script>alert" not in page.text  # kept as text, escaped
    assert Report.select().count() == 0 and Attachment.select().count() == 0
    # The token was not spent: the same page, sent again with fewer files, goes through.
    again = page.forms["report-form"]
    again["attachments"] = [("n.txt", b"a" * 10)]
    assert code_on(again.submit(status=200))


def test_six_files_are_refused(app):
    page = post_report(app, [(f"{n}.txt", b"words %d" % n) for n in range(6)], 400)
    assert "at most 5 files" in text_of(page)
    assert Report.select().count() == 0 and Attachment.select().count() == 0


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("bomb.docx", None, "too large or too complex"),
        ("bomb.png", samples.png_claiming(100_000, 100_000), "too large"),
        ("notes.png", samples.png_with_text_bomb(), ""),
        ("broken.pdf", samples.pdf_with_author()[:900], "damaged"),
        ("clip.gif", samples.animated("GIF"), "GIF"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
    ],
    ids=["zip-bomb-docx", "pixel-bomb-png", "text-bomb-png", "malformed-pdf", "gif", "old-doc"],
)
def test_hostile_and_unsupported_files_are_refused_with_nothing_stored(app, name, data, says):
    if data is None:  # a zip bomb dressed as a Word document
        data = samples.office_file("docx", {"word/media/zeros.bin": samples.zeros_entry(100 * MIB)})
    page = post_report(app, [("fine.txt", b"a good file"), (name, data)], 400, description=DESCRIPTION)
    text = text_of(page)
    assert f"{name}:" in text and says in text
    assert page.html.find("textarea", id="description").get_text() == DESCRIPTION
    assert Report.select().count() == 0 and Attachment.select().count() == 0 and AttachmentChunk.select().count() == 0


@pytest.mark.parametrize(
    "name",
    ["../../x", "..\\..\\windows\\evil.jpg", "bad\x1b[31mred\x07.jpg", "photo\u202egpj.exe", "\u200b\u2066x\u2069.jpg"],
)
def test_hostile_names_are_shown_and_kept_plain(app, name):
    page = post_report(app, [(name, samples.phone_photo(64, 48, 1))])
    (info,) = stored_infos()
    shown = page.html.find("ul", class_="files").get_text()
    for bad in ("/", "\\", "\x1b", "\x07", "\u202e", "\u200b", "\u2066", ".."):
        assert bad not in info.name and bad not in shown
    assert info.name in shown
    assert info.name.endswith(".jpg")


def test_a_polyglot_keeps_only_what_its_first_kind_shows(app):
    hidden = samples.office_file("docx")
    post_report(app, [("x.docx", samples.phone_photo(64, 48, 1) + hidden)])
    (info,) = stored_infos()
    assert info.name == "x.jpg"
    report = only_report()
    assert b"PK\x03\x04" not in file_bytes(info.id, reporter_key(report.id))


def test_a_forged_or_cross_site_upload_is_refused_like_any_post(app):
    token_of(app.get("/report"))
    files = [("attachments", "a.jpg", samples.phone_photo(64, 48, 1))]
    app.post("/report", {"csrf_token": "forged", **report_fields()}, upload_files=files, status=403)
    token = token_of(app.get("/report"))
    app.post(
        "/report",
        {"csrf_token": token, **report_fields()},
        upload_files=files,
        headers={"Sec-Fetch-Site": "cross-site"},
        status=403,
    )
    assert Report.select().count() == 0 and Attachment.select().count() == 0


def test_a_body_that_is_not_multipart_we_can_read_is_a_clear_400(app):
    token = token_of(app.get("/report"))
    for body in (b"no boundary here", b"--xyz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--xyz--"):
        page = app.post(
            "/report",
            body,
            headers={"Content-Type": "multipart/form-data; boundary=xyz"},
            status=400,
            expect_errors=True,
        )
        assert "could not read" in text_of(page)
    del token


def conversation_app(config):
    app = web(config)
    code = code_on(send_report(app))
    log_in(app, code)
    return app


def post_message(app, body, files, status=303):
    page = app.get("/conversation")
    form = page.forms[0]
    assert form.enctype == "multipart/form-data"
    token = form["csrf_token"].value
    return app.post(
        "/conversation",
        {"csrf_token": token, "body": body},
        upload_files=[("attachments", name, data) for name, data in files],
        status=status,
    )


def test_a_message_with_files_shows_them_in_the_thread(sqlite_db, config):
    app = conversation_app(config)
    post_message(app, "Dyma’r sgrinlun 📱", [("sgrinlun.png", samples.png_with_notes())])
    post_message(app, "", [("letter.pdf", samples.pdf_with_author(1, with_picture=False))])
    text = text_of(app.get("/conversation"))
    assert "sgrinlun.png" in text and "PNG picture" in text and "letter.pdf" in text
    messages = list(Message.select().order_by(Message.id))
    assert bodies(messages[0].report_id) == ["Dyma’r sgrinlun 📱", ""]
    assert [a.message_id for a in Attachment.select().order_by(Attachment.id)] == [m.id for m in messages]


def test_a_refused_file_keeps_the_message_and_sends_nothing(sqlite_db, config):
    app = conversation_app(config)
    page = post_message(app, DESCRIPTION, [("clip.gif", samples.animated("GIF"))], status=400)
    assert page.html.find("textarea", id="body").get_text() == DESCRIPTION
    assert page.html.find(id="attachments-error") is not None and "clip.gif:" in text_of(page)
    assert "choose them again" in text_of(page)
    assert Message.select().count() == 0 and Attachment.select().count() == 0


def test_a_message_over_the_limit_is_the_page_again_with_the_message(sqlite_db, config):
    app = conversation_app(config)
    page = post_message(app, DESCRIPTION, [("big.txt", b"b" * (20 * MIB + 1))], status=413)
    assert page.html.find("textarea", id="body").get_text() == DESCRIPTION
    assert "larger than 20 MB" in text_of(page)
    assert Message.select().count() == 0


def test_the_limits_come_from_the_configuration(sqlite_db):
    from store.config import config_from_mapping

    app = web(config_from_mapping({"attachments_max_files": 2, "attachments_max_bytes": 2048}))
    form_text = text_of(app.get("/report"))
    assert "up to 2 files, 2 KB together" in form_text
    page = post_report(app, [("a.txt", b"a" * 1500), ("b.txt", b"b" * 1000)], 413)
    assert "larger than 2 KB" in text_of(page)
    page = post_report(app, [("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")], 400)
    assert "at most 2 files" in text_of(page)
    none = web(config_from_mapping({"attachments_max_files": 0}))
    assert none.get("/report").html.find(id="attachments") is None


def test_what_the_cleaner_says_about_real_files_is_in_welsh():
    """Every removed item and refusal the cleaner gives for the sample files reads differently in Welsh."""
    from reporter_web import i18n
    from store.evidence import EvidenceRefused, clean

    welsh = i18n.language("cy")
    said = []
    for name, data in [
        ("p.jpg", samples.phone_photo()),
        ("h.heic", samples.heic_photo()),
        ("n.png", samples.png_with_notes()),
        ("w.webp", samples.webp_photo()),
        ("d.pdf", samples.pdf_with_author()),
        ("w.docx", samples.office_file("docx")),
        ("x.xlsx", samples.office_file("xlsx")),
        ("s.pptx", samples.office_file("pptx")),
        ("t.txt", "Helo\u202e\u200bbyd\n".encode()),
    ]:
        said += clean(data, name).removed
    for data in (b"GIF89a" + bytes(40), samples.pdf_with_author()[:900], b"", samples.animated("WEBP"), b"\x7fELF"):
        try:
            clean(data, "x")
        except EvidenceRefused as refusal:
            said.append(refusal.sentence)
    assert len(said) > 25
    for words in said:
        assert welsh.words(words) != str(words), words
