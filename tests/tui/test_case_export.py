"""An admin exports a case from the app (`e` on a case) into the configured export folder; nobody else can."""

import contextlib
import dataclasses
import hashlib
import os
import stat
import subprocess

import pytest

from adviser_tui.app import AdviserApp
from adviser_tui.modals.confirm import ConfirmModal
from adviser_tui.screens.case import CaseScreen
from store.advisers import create_adviser
from store.audit import events
from store.conversation import add_note
from store.evidence import clean

from ..helpers import submit
from ..store.evidence_samples import phone_photo
from .support import PASSWORD, case_ready, notifications, screen_text, wait_for, wait_inbox


@pytest.fixture
def ada(sqlite_db):
    return create_adviser("ada", PASSWORD, "Ada Admin", is_admin=True)  # before the reports: sealed to her


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o700)
    return folder


def a_case_with_files(config, admin):
    report = submit(config, attachments=[clean(phone_photo(), "garden.jpg"), clean(b"Dates\n", "notes.txt")]).report
    add_note(report.id, admin, "Asked security for the footage.", config=config)
    return report


def footer(app):
    return screen_text(app).splitlines()[-1]


def exported(report_id):
    return [(e.adviser_id, e.detail) for e in events(report_id=report_id, action="export")]


async def open_the_case(pilot):
    await wait_inbox(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: case_ready(pilot.app), what="case screen")


def said(app, fragment):
    return any(fragment in message for message in notifications(app))


@contextlib.contextmanager
def unwritable(folder):
    """``folder`` made unwritable for this process: no write permission, and immutable as well when the tests
    run as root (who writes through permissions)."""
    folder.chmod(0o500)
    immutable = False
    if os.access(folder, os.W_OK):
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if made.returncode != 0:
            pytest.skip("running as root on a file system without chattr +i: no folder is unwritable here")
        immutable = True
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o700)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_an_admin_exports_the_case_into_a_new_folder(config, sqlite_url, ada, exports, size):
    report = a_case_with_files(config, ada)
    app = AdviserApp(dataclasses.replace(config, export_folder=str(exports)), sqlite_url, signed_in=ada)
    async with app.run_test(size=size) as pilot:
        await open_the_case(pilot)
        # At 80 columns the footer has no room for all: after the scroll keys and e Export, "esc Inb" (? lists all).
        assert ("f Files e Export esc" if size[0] == 80 else "f Files e Export esc Inbox") in footer(app)
        await pilot.press("e")
        await wait_for(pilot, lambda: "Export (y)" in screen_text(app), what="the question")
        assert f"Export case {report.reference} into a new folder in" in screen_text(app)
        asked = app.screen.question
        assert str(exports) in asked and "2 files" in asked and "internal notes" in asked
        assert list(exports.iterdir()) == []  # nothing before the answer
        await pilot.press("y")
        await wait_for(pilot, lambda: said(app, "Exported"), timeout=15, what="the export's answer")
        assert isinstance(app.screen, CaseScreen)
    [bundle] = list(exports.iterdir())
    assert bundle.name.startswith(f"{report.reference}-")
    [toast] = [message for message in notifications(app) if "Exported" in message]
    assert str(bundle) in toast and "2 files" in toast and "MANIFEST.txt" in toast
    manifest = (bundle / "MANIFEST.txt").read_text().splitlines()
    assert sorted(line.split("  ", 1)[1] for line in manifest) == [
        "files/01-garden.jpg",
        "files/02-notes.txt",
        "report.txt",
        "thread.txt",
    ]
    for line in manifest:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest
        assert stat.S_IMODE((bundle / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o700
    assert "INTERNAL NOTE by Ada Admin" in (bundle / "thread.txt").read_text()
    assert exported(report.id) == [(ada.id, "case bundle: 2 files")]  # as `tellus export` is audited


async def test_answering_no_writes_nothing(config, sqlite_url, ada, exports):
    report = a_case_with_files(config, ada)
    app = AdviserApp(dataclasses.replace(config, export_folder=str(exports)), sqlite_url, signed_in=ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_the_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the question")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen), what="back to the case")
        await pilot.pause(0.3)
    assert list(exports.iterdir()) == [] and exported(report.id) == []


async def test_an_adviser_does_not_see_the_key_and_pressing_it_is_refused(config, sqlite_url, ann, exports):
    report = submit(config).report
    app = AdviserApp(dataclasses.replace(config, export_folder=str(exports)), sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_the_case(pilot)
        assert "Export" not in footer(app) and "esc Inbox" in footer(app)
        await pilot.press("e")
        await wait_for(pilot, lambda: said(app, "Only administrators can export a case."), what="the refusal")
        assert isinstance(app.screen, CaseScreen)
    assert list(exports.iterdir()) == [] and exported(report.id) == []


async def test_not_configured_says_how_to_configure_it(config, sqlite_url, ada):
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_the_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: said(app, "not configured"), what="the answer")
        assert isinstance(app.screen, CaseScreen)  # nothing asked
        [message] = [m for m in notifications(app) if "not configured" in m]
        assert "export_folder" in message and "configuration file" in message
    assert exported(report.id) == []


async def test_a_missing_or_unwritable_folder_is_named_and_nothing_is_written(config, sqlite_url, ada, tmp_path):
    report = submit(config).report
    folder = tmp_path / "exports"
    app = AdviserApp(dataclasses.replace(config, export_folder=str(folder)), sqlite_url, signed_in=ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_the_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: said(app, f"The export folder {folder} does not exist"), what="missing")
        assert isinstance(app.screen, CaseScreen) and not folder.exists()
        folder.mkdir(mode=0o700)
        with unwritable(folder):
            await pilot.press("e")
            await wait_for(pilot, lambda: said(app, "is not writable by this account"), what="unwritable")
            assert isinstance(app.screen, CaseScreen)
        # Writable when asked, taken away before the answer: the export itself checks again and says so.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the question")
        with unwritable(folder):
            await pilot.press("y")
            await wait_for(
                pilot,
                lambda: sum("is not writable by this account" in m for m in notifications(app)) == 2,
                timeout=10,
                what="the export's refusal",
            )
            assert list(folder.iterdir()) == []
    assert exported(report.id) == []


async def test_leaving_the_case_while_it_is_written_still_says_where_it_went(config, sqlite_url, ada, exports):
    big = [clean((f"Line {i} of the evidence log.\n" * 150_000).encode(), f"log-{i}.txt") for i in range(3)]  # 13 MiB
    report = submit(config, attachments=big).report
    app = AdviserApp(dataclasses.replace(config, export_folder=str(exports)), sqlite_url, signed_in=ada)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_the_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the question")
        # As y then Escape, without waiting for the app to be idle in between (the pilot's keys would).
        app.screen.action_answer(True)
        await wait_for(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen._exporting, what="writing")
        app.screen.action_back()  # straight back to the inbox while the bundle is written
        await wait_for(pilot, lambda: not isinstance(app.screen, CaseScreen), what="the inbox")
        assert not said(app, "Exported")
        await wait_for(pilot, lambda: said(app, "Exported"), timeout=30, what="the export's answer")
    assert exported(report.id) == [(ada.id, "case bundle: 3 files")]


async def test_a_hostile_folder_name_from_the_configuration_is_shown_literally(config, sqlite_url, ada, tmp_path):
    report = submit(config).report
    exports = tmp_path / "[bold]loud[/bold] [@click=app.quit]quit[/] \u202eevil"  # markup, an action, an override
    exports.mkdir(mode=0o700, parents=True)
    app = AdviserApp(dataclasses.replace(config, export_folder=str(exports)), sqlite_url, signed_in=ada)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_the_case(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: "Export (y)" in screen_text(app), what="the question")
        shown = app.screen.query_one("#confirm-question").visual
        assert "[bold]loud[/bold] [@click=app.quit]quit[/]" in shown.plain and "\u202e" not in shown.plain
        assert not shown.spans  # nothing made bold, no action
        await pilot.press("y")
        await wait_for(pilot, lambda: said(app, "Exported"), timeout=15, what="the export's answer")
        assert isinstance(app.screen, CaseScreen)  # [@click=app.quit] quit nothing
    [toast] = [message for message in notifications(app) if "Exported" in message]
    assert "[bold]loud[/bold] [@click=app.quit]quit[/]" in toast and "\u202e" not in toast
    assert len(exported(report.id)) == 1
