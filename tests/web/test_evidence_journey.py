"""Evidence end to end: a phone photo with GPS and a PDF with an author, sent through the real report form,
come out of `tellus export` as the same picture without its EXIF and the PDF without its author — and
neither their bytes nor their metadata are anywhere in the database file."""

import hashlib
import io
import os
import subprocess
import sys

from PIL import Image
from pypdf import PdfReader

from store import open_database
from store.advisers import create_adviser
from store.audit import events
from store.models import Report, database

from ..helpers import sqlite_file_bytes
from ..store.evidence_samples import AUTHOR, CAMERA_MODEL, pdf_with_author, phone_photo
from .support import code_on, report_fields, token_of, web

PASSWORD = "the exporting admin's password"


def test_photo_and_pdf_through_the_form_come_out_of_export_clean(config, sqlite_db, sqlite_url, tmp_path):
    create_adviser("ada", PASSWORD, "Ada", is_admin=True)  # before the report: it is sealed to her
    photo, pdf = phone_photo(), pdf_with_author()
    app = web(config)
    page = app.post(
        "/report",
        {"csrf_token": token_of(app.get("/report")), **report_fields(description="The photo and the letter.")},
        upload_files=[("attachments", "IMG_2041.jpg", photo), ("attachments", "letter.pdf", pdf)],
        content_type="multipart/form-data",
    )
    assert code_on(page)
    database.close()

    # The database file (and its WAL and SHM) holds neither the files nor what identified their sender.
    stored = sqlite_file_bytes(sqlite_url)
    for needle in (photo[2000:2064], pdf[-200:-136], AUTHOR.encode(), CAMERA_MODEL.encode(), b"Exif", b"%PDF"):
        assert needle not in stored, needle[:20]

    bundle = tmp_path / "bundle"
    open_database(sqlite_url)
    reference = Report.get().reference
    database.close()
    done = subprocess.run(
        [sys.executable, "-m", "tellus", "export", reference, "--to", str(bundle), "--admin", "ada",
         "--password-stdin", "--database", sqlite_url],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=os.getcwd()),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (bundle / "files").iterdir())
    assert names == ["01-IMG_2041.jpg", "02-letter.pdf"]
    assert "The photo and the letter." in (bundle / "report.txt").read_text()
    # The manifest checks out with the standard tool.
    check = subprocess.run(["sha256sum", "-c", "MANIFEST.txt"], cwd=bundle, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 4, check.stdout

    exported_photo = (bundle / "files" / "01-IMG_2041.jpg").read_bytes()
    picture = Image.open(io.BytesIO(exported_photo))
    assert (
        not picture.getexif() and AUTHOR.encode() not in exported_photo and CAMERA_MODEL.encode() not in exported_photo
    )
    original = Image.open(io.BytesIO(photo))
    # The same picture, turned upright as the phone meant it (orientation 6: a quarter turn).
    assert picture.size == (original.size[1], original.size[0])

    exported_pdf = (bundle / "files" / "02-letter.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(exported_pdf))
    assert not (reader.metadata or {}).get("/Author") and AUTHOR.encode() not in exported_pdf
    assert len(reader.pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert hashlib.sha256(exported_photo).hexdigest() in (bundle / "MANIFEST.txt").read_text()

    # The export is audited, naming the case, never its content.
    open_database(sqlite_url)
    (event,) = events(action="export", reference=reference)
    assert event.adviser_name == "ada" and event.detail == "case bundle: 2 files"
