"""Case bundles (store/export.py): what goes in, who may write one, where the app's go, and that a failed
export leaves nothing behind and no audit entry."""

import dataclasses
import datetime as dt
import hashlib
import os
import resource
import stat

import peewee as pw
import pytest

from store.advisers import create_adviser
from store.audit import events
from store.conversation import add_note
from store.errors import PermissionDenied
from store.evidence import clean
from store.export import NOT_CONFIGURED, ExportFailed, export_case, export_folder_problem, export_to_folder
from store.models import Adviser, database

from ..helpers import reporter_message, submit
from .evidence_samples import phone_photo

PASSWORD = "an admin's long password"
NOW = dt.datetime(2026, 7, 1, 13, 5, 9)  # 14:05:09 in London (summer time)


@pytest.fixture
def admin(db):
    return create_adviser("ada", PASSWORD, "Ada Admin", is_admin=True)  # before the reports: sealed to her


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o700)
    return folder


def with_folder(config, folder):
    return dataclasses.replace(config, export_folder=str(folder))


def a_case(config, admin, text_size=100):
    report = submit(
        config,
        attachments=[clean(phone_photo(), "garden.jpg"), clean(b"Dates and times\n" * (text_size // 16), "notes.txt")],
    ).report
    reporter_message(report.id, "I remembered something else.")
    add_note(report.id, admin, "Checked the CCTV request form.", config=config)
    return report


def exported(report_id):
    return [e.detail for e in events(report_id=report_id, action="export")]


def test_the_app_export_is_a_private_bundle_in_a_new_folder_named_for_the_case(db, config, admin, exports):
    report = a_case(config, admin)
    bundle = export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)
    assert bundle.folder == exports / f"{report.reference}-20260701-140509"  # local time
    assert bundle.attachments == 2 and len(bundle.files) == 4
    inside = sorted(str(p.relative_to(bundle.folder)) for p in bundle.folder.rglob("*"))
    assert inside == ["MANIFEST.txt", "files", "files/01-garden.jpg", "files/02-notes.txt", "report.txt", "thread.txt"]
    for path in [bundle.folder, *bundle.folder.rglob("*")]:  # the manifest too
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    manifest = (bundle.folder / "MANIFEST.txt").read_text().splitlines()
    assert len(manifest) == 4
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((bundle.folder / name).read_bytes()).hexdigest() == digest
    thread = (bundle.folder / "thread.txt").read_text()
    assert "I remembered something else." in thread and "INTERNAL NOTE by Ada Admin" in thread
    assert exported(report.id) == ["case bundle: 2 files"]  # as the CLI's export is audited


def test_an_export_never_writes_into_another(db, config, admin, exports):
    report = a_case(config, admin)
    first = export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)
    before = {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()}
    second = export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)  # the same second
    assert second.folder == exports / f"{report.reference}-20260701-140509-2"
    assert {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()} == before
    assert len(exported(report.id)) == 2


def test_only_an_admin_exports_and_the_right_is_read_when_exporting(db, config, admin, exports):
    report = a_case(config, admin)
    adviser = create_adviser("sam", "a long adviser password", "Sam")
    with pytest.raises(PermissionDenied, match="Only administrators can export a case"):
        export_to_folder(report.id, adviser, with_folder(config, exports), now=NOW)
    # Demoted while signed in: the adviser object still says admin, the database no longer does.
    Adviser.update(is_admin=False).where(Adviser.id == admin.id).execute()
    assert admin.is_admin
    with pytest.raises(PermissionDenied, match="Only administrators"):
        export_case(report.reference, exports / "cli", admin, config)
    with pytest.raises(PermissionDenied, match="Only administrators"):
        export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)
    assert list(exports.iterdir()) == [] and exported(report.id) == []


def test_the_export_folder_must_be_configured_there_and_private(db, config, admin, tmp_path):
    report = a_case(config, admin)
    assert export_folder_problem(config) == NOT_CONFIGURED
    with pytest.raises(ExportFailed, match=r"not configured: .* export_folder"):
        export_to_folder(report.id, admin, config, now=NOW)
    missing = tmp_path / "nowhere"
    with pytest.raises(ExportFailed, match="does not exist"):
        export_to_folder(report.id, admin, with_folder(config, missing), now=NOW)
    assert not missing.exists()  # not made: a typo must not scatter case files
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    assert "is not a folder" in export_folder_problem(with_folder(config, a_file))
    open_to_all = tmp_path / "shared"
    open_to_all.mkdir()
    open_to_all.chmod(0o755)
    with pytest.raises(ExportFailed, match=r"open to every account on the server \(mode 0755\).*chmod o-rwx"):
        export_to_folder(report.id, admin, with_folder(config, open_to_all), now=NOW)
    assert list(open_to_all.iterdir()) == [] and exported(report.id) == []


@pytest.fixture
def small_files_only():
    """Files this process writes may not grow past 64 KiB: the kernel refuses the write itself (EFBIG), as a
    full disk would (Python ignores SIGXFSZ, so it is an OSError). The database is only read meanwhile."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)

    def limit():
        if isinstance(database.obj, pw.SqliteDatabase):  # an empty WAL takes the audit entry within the limit
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))

    yield limit
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def test_a_failed_write_leaves_no_half_bundle_and_no_audit(db, config, admin, exports, tmp_path, small_files_only):
    # report.txt, thread.txt and the photo fit; the text does not. (a_case's note has already made the store
    # remember ada's key to the case, a database write the limit would otherwise catch first.)
    report = a_case(config, admin, text_size=200 * 1024)
    empty = tmp_path / "given-empty"
    empty.mkdir()
    small_files_only()
    with pytest.raises(ExportFailed, match="File too large; nothing was kept"):
        export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)
    with pytest.raises(ExportFailed, match="nothing was kept"):
        export_case(report.reference, empty, admin, config)  # a folder given empty stays, empty
    with pytest.raises(ExportFailed, match="nothing was kept"):
        export_case(report.reference, tmp_path / "new" / "bundle", admin, config)
    assert list(exports.iterdir()) == [] and list(empty.iterdir()) == [] and not (tmp_path / "new" / "bundle").exists()
    # Audited as stopped, as the other exports are: what was opened reached the disk for a moment.
    assert exported(report.id) == ["case bundle, stopped: File too large; nothing was kept"] * 3


def test_an_export_whose_audit_cannot_be_written_is_removed(sqlite_db, config, exports):
    admin = create_adviser("ada", PASSWORD, "Ada Admin", is_admin=True)
    report = a_case(config, admin)
    database.execute_sql(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
    )
    with pytest.raises(Exception, match="audit refused"):
        export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)
    assert list(exports.iterdir()) == []  # a bundle nobody could account for does not stay


def test_a_file_name_never_leaves_the_bundle(db, config, admin, exports):
    report = submit(config, attachments=[clean(b"evidence\n", "../../../outside.txt")]).report
    bundle = export_to_folder(report.id, admin, with_folder(config, exports), now=NOW)
    assert sorted(os.listdir(bundle.folder / "files")) == ["01-outside.txt"]
    assert sorted(os.listdir(exports)) == [bundle.folder.name]
