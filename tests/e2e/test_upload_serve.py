"""Uploads to a real `tellus web` (waitress) over HTTP: nothing reaches the temporary folder, a body
over the limit is answered with the form (never a reset), two uploads at once on one session."""

import os
import threading

import pytest

from bench.spawn import spawn_server, stop_process, tellus_web_argv
from bench.upload_client import Browser, code_in, multipart, report_fields
from store import attachments, open_database
from store.conversation import thread as case_thread
from store.models import Attachment, Message, Report, database

from ..helpers import reporter_key

MIB = 1024 * 1024
DESCRIPTION = "Fe ddigwyddodd ar ôl y ddarlith — حدث ذلك بعد المحاضرة 📎"


@pytest.fixture
def served(tmp_path):
    """(port, temporary folder, process) of a `tellus web` whose TMPDIR is an empty folder of its own."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    db_path = tmp_path / "data" / "site.db"
    db_path.parent.mkdir()
    proc, _, port = spawn_server(tellus_web_argv(db_path, threads=4), env={"TMPDIR": str(tmp)})
    try:
        yield port, tmp, proc, db_path
    finally:
        stop_process(proc)
        proc.stdout.close()
        if database.obj is not None and not database.is_closed():
            database.close()


def files_of(total, count=5):
    size = total // count
    out = []
    for n in range(count):
        start = f"Nodiadau {n} — ملاحظات {n}\n".encode()
        out.append((f"nodiadau-{n}.txt", start + bytes(range(48, 58)) * ((size - len(start)) // 10)))
        out[-1] = (out[-1][0], out[-1][1] + b"." * (size - len(out[-1][1])))
    return out


def temp_files(tmp, pid):
    """Entries in the temporary folder, and files the server holds open there (an O_TMPFILE has no name)."""
    found = [str(tmp / name) for name in os.listdir(tmp)]
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith(str(tmp)):
            found.append(target)
    return found


def test_twenty_mebibytes_never_touch_the_temporary_folder(served):
    port, tmp, proc, db_path = served
    browser = Browser(port)
    token = browser.token("/report")
    ctype, body = multipart(report_fields(token, DESCRIPTION), files_of(20 * MIB))
    seen, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            seen.extend(temp_files(tmp, proc.pid))
            stop.wait(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # Sent in pieces, so that the watching overlaps the server receiving and holding the body.
        status, _headers, page = browser.post("/report", ctype, body, piece=256 * 1024, pause=0.002)
    finally:
        stop.set()
        watcher.join()
    assert status == 200, page[:500]
    assert code_in(page)
    assert page.count(b'class="file-name"') == 5
    assert seen == [] and temp_files(tmp, proc.pid) == []
    open_database(str(db_path))
    report = Report.get()
    infos = attachments.list_files(report.id, reporter_key(report.id))
    assert [i.name for i in infos] == [f"nodiadau-{n}.txt" for n in range(5)]


def test_one_byte_over_is_read_and_answered_with_the_form(served):
    port, _tmp, _proc, _db = served
    browser = Browser(port)
    token = browser.token("/report")
    files = files_of(20 * MIB)
    files[-1] = (files[-1][0], files[-1][1] + b"!")
    ctype, body = multipart(report_fields(token, DESCRIPTION), files)
    status, headers, page = browser.post("/report", ctype, body, piece=256 * 1024)
    assert status == 413
    assert headers["Content-Type"].startswith("text/html")
    text = page.decode("utf-8")
    assert DESCRIPTION in text and "larger than 20 MB" in text and 'enctype="multipart/form-data"' in text


def test_two_uploads_at_once_on_one_session_both_arrive_whole(served):
    port, _tmp, _proc, db_path = served
    browser = Browser(port)
    status, _h, page = browser.post("/report", *multipart(report_fields(browser.token("/report")), []))
    code = code_in(page)
    status, _h, _page = browser.post_form("/continue", [("csrf_token", browser.token("/continue")), ("code", code)])
    assert status == 303
    token = browser.token("/conversation")
    answers = []

    def send(n):
        body = multipart(
            [("csrf_token", token), ("body", f"Neges {n} 📨")], [(f"atodiad-{n}.txt", f"Ffeil {n}\n".encode() * 50000)]
        )
        answers.append(browser.post("/conversation", *body, piece=64 * 1024)[0])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [303, 303]
    open_database(str(db_path))
    report = Report.get()
    key = reporter_key(report.id)
    texts = {item.id: item.body for item in case_thread(report.id, key=key)}
    for message in Message.select():
        (info,) = attachments.list_files(report.id, key, message_id=message.id)
        n = texts[message.id].split()[1]
        assert info.name == f"atodiad-{n}.txt"
        assert attachments.file_bytes(info.id, key).startswith(f"Ffeil {n}\n".encode())
    assert Attachment.select().count() == 2
