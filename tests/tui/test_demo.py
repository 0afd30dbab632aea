"""tellus demo: believable sample data, and a clear word when the site cannot start."""

import socket

from adviser_tui.demo import DEMO_USER, populate, start_site
from store.advisers import authenticate
from store.inbox import inbox, inbox_counts
from store.models import Message, Note, Report
from store.reports import open_conversation_by_code


def test_sample_data_is_varied_and_the_printed_password_works(config, sqlite_db):
    password, codes = populate(config)
    assert authenticate(DEMO_USER, password).is_admin
    assert authenticate("zofia", password).display_name == "Zofia Wiśniewska"  # every sample adviser can sign in
    rows = inbox(config, limit=200).rows
    assert len(rows) == 200 and {r.way for r in rows} == {"anonymous", "named"}
    assert len({r.category for r in rows}) >= 5
    assert inbox_counts(config).overdue >= 1 and inbox_counts(config).unread >= 3
    assert Message.select().where(Message.author == "reporter").count() >= 2 and Note.select().count() >= 1
    assert Report.select().where(Report.status == "closed").count() >= 1
    assert len(codes) == 3 and all(len(code) == 16 for code in codes.values())
    for reference, code in codes.items():
        assert open_conversation_by_code(code).reference == reference


def test_a_site_that_cannot_start_is_reported_plainly(sqlite_url, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process, message = start_site(sqlite_url, port, str(tmp_path / "web.log"))
    assert process is None
    assert message.startswith(f"Port {port} is already in use")
