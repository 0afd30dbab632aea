"""Adviser app: the case screen, replies, notes, status, assignment and what goes wrong meanwhile."""

import datetime as dt

from textual.widgets import OptionList, TextArea

from adviser_tui.app import AdviserApp
from adviser_tui.modals.composer import Composer
from adviser_tui.modals.confirm import ConfirmModal
from adviser_tui.screens.case import CaseScreen
from adviser_tui.screens.inbox import InboxScreen
from adviser_tui.widgets.thread_view import ThreadView
from store import casetext, conversation
from store.advisers import confirm, create_adviser
from store.audit import events
from store.cases import assign, set_status
from store.clock import utcnow
from store.models import Message, Note, Report

from ..helpers import bodies, reporter_key, reporter_message, submit
from .support import case_ready, notifications, screen_text, wait_for, wait_inbox


async def open_first_case(pilot):
    await wait_inbox(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: case_ready(pilot.app), what="case screen")
    return pilot.app.screen


def entries(screen):
    """The thread as shown: (kind, text) of each message and note, oldest first."""
    return [
        (block.kind, block.content.plain)
        for block in screen.query_one(ThreadView).blocks
        if block.kind in ("reporter", "adviser", "note")
    ]


async def test_named_case_shows_contact_details_and_thread_with_notes(config, sqlite_url, ann):
    report = submit(config, way="named", name="Sam Lee", email="sam@example.ac.uk", phone="").report
    # Minutes apart, as in life: a reporter's message carries only its minute, so
    # within one minute a note and a reporter's message have no knowable order.
    conversation.post_adviser_reply(report.id, ann, "Thanks for writing.", now=utcnow() - dt.timedelta(minutes=3))
    conversation.add_note(report.id, ann, "Called security.", now=utcnow() - dt.timedelta(minutes=2))
    reporter_message(report.id, "It happened again.")
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_first_case(pilot)
        text = screen_text(app)
        assert "Contact" in text and "Sam Lee · sam@example.ac.uk" in text
        kinds = [kind for kind, _ in entries(screen)]
        assert kinds == ["adviser", "note", "reporter"]
        note = entries(screen)[1][1]
        assert note.startswith("INTERNAL NOTE") and "never shown to the reporter" in note
        assert "not read by the reporter yet" in entries(screen)[0][1]
        assert text.index("It happened again.") < text.index("The reporter wrote last. Press r to reply.")
    assert Report.get_by_id(report.id).unread_count == 0
    (again,) = list(Message.select().where(Message.author == "reporter"))
    assert bodies(report.id)[-1] == "It happened again." and again.read_at is not None
    assert [e.action for e in events(report_id=report.id, action="case_viewed")] == ["case_viewed"]


async def test_anonymous_case_shows_no_contact_line(config, sqlite_url, ann):
    report = submit(config).report
    # Contact details sealed onto an anonymous report (a hand edit by someone holding its key): never shown.
    sealed = casetext.seal_report(report.reference, reporter_key(report.id), {"contact_name": "should never show"})
    Report.update(sealed_contact=sealed["sealed_contact"]).where(Report.id == report.id).execute()
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_first_case(pilot)
        text = screen_text(app)
        assert "anonymous" in text and "Contact" not in text and "should never show" not in text


async def test_reply_is_sent_with_ctrl_s_and_marked_unread_for_the_reporter(config, sqlite_url, ann):
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_case(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, Composer))
        await pilot.press("ctrl+s")  # empty: not sent, and says why
        await pilot.pause()
        assert "Nothing was sent: write a reply first." in screen_text(app)
        await pilot.press(*"We can help.", "enter", *"Second line")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, what="composer closed")
        await wait_for(pilot, lambda: any("We can help." in body for _, body in entries(screen)), what="reply shown")
        assert "○ not read by the reporter yet" in entries(screen)[-1][1]
    message = Message.get(Message.report == report.id)
    assert (message.author, bodies(report.id)[-1]) == ("adviser", "We can help.\nSecond line")
    conversation.mark_read_by_reporter(report.id)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_case(pilot)
        assert "✓ read by the reporter" in entries(screen)[-1][1]


async def test_escape_with_text_asks_before_discarding(config, sqlite_url, ann):
    submit(config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_case(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, Composer))
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("n", *"half a thought", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")  # keep writing
        await wait_for(pilot, lambda: isinstance(app.screen, Composer))
        assert app.screen.query_one(TextArea).text == "half a thought"
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: app.screen is screen)
    assert Note.select().count() == 0


async def test_note_status_and_assignment(config, sqlite_url, ann):
    bob = create_adviser("bob", "another long password", "Bob Builder")
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_case(pilot)
        await pilot.press("n", *"Checked the rota.", "ctrl+s")
        await wait_for(pilot, lambda: any(kind == "note" for kind, _ in entries(screen)), what="note shown")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen.focused, OptionList))
        await pilot.press("down", "down", "enter")  # new → open → waiting
        await wait_for(pilot, lambda: screen.view.report.status == "waiting", what="status")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen.focused, OptionList))
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)] == [
            "Me (Ann Adviser)",
            "Nobody (unassigned)",
            "Bob Builder (bob)",
        ]
        assert options.highlighted == 1  # the current assignee: nobody
        await pilot.press("home", "enter")  # me
        await wait_for(pilot, lambda: screen.view.assignee_name == "Ann Adviser", what="assigned to me")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen.focused, OptionList))
        await pilot.press("home", "down", "enter")  # nobody
        await wait_for(pilot, lambda: screen.view.report.assignee_id is None, what="unassigned")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen.focused, OptionList))
        await pilot.press("home", "down", "down", "enter")  # bob: ann can no longer see it
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="back to the inbox")
    report = Report.get_by_id(report.id)
    assert (report.status, report.assignee_id) == ("waiting", bob.id)
    assert bodies(report.id, notes=True)[-1] == "Checked the rota."
    assert [e.detail for e in events(report_id=report.id, action="assign")][::-1] == [
        "nobody → ann",
        "ann → nobody",
        "nobody → bob",
    ]


async def test_reply_to_a_case_closed_meanwhile_keeps_the_text(config, sqlite_url, ann):
    other = create_adviser("cat", "another long password", "Cat", is_admin=True)
    confirm(["ann"], other, config)  # made before any admin: on the roster once the admin confirms her
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_case(pilot)
        await pilot.press("r", *"Thank you")
        set_status(report.id, other, "closed", config)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Not sent" in screen_text(app), what="refusal")
        assert "closed" in screen_text(app)
        assert isinstance(app.screen, Composer) and app.screen.query_one(TextArea).text == "Thank you"
    assert Message.select().where(Message.report == report.id).count() == 0


async def test_two_advisers_assigning_at_once_last_write_wins_and_both_see_it(config, sqlite_url, ann):
    from store.cases import open_case
    from store.models import Adviser

    Adviser.update(is_admin=True).where(Adviser.id == ann.id).execute()  # admins see every case
    ann = Adviser.get_by_id(ann.id)
    cat = create_adviser("cat", "another long password", "Cat Admin", is_admin=True)
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.2)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_first_case(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen.focused, OptionList))
        assign(report.id, cat, "cat", config)  # cat's write lands while ann is choosing …
        await pilot.press("home", "enter")  # … then ann takes it: hers is the last write
        await wait_for(pilot, lambda: screen.view.assignee_name == "Ann Adviser", what="ann's write")
        assert open_case(report.id, cat, config).assignee_name == "Ann Adviser"  # cat sees the result too
        assign(report.id, cat, "cat", config)  # and a later write by cat reaches ann's open screen
        await wait_for(pilot, lambda: screen.view.assignee_name == "Cat Admin", what="cat's change shown")
        assert any("now assigned to Cat Admin" in n for n in notifications(app))
    assert [e.adviser_name for e in events(report_id=report.id, action="assign")][::-1] == ["cat", "ann", "cat"]


async def test_case_deleted_while_open_says_so_and_returns_to_the_inbox(config, sqlite_url, ann):
    report = submit(config).report
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.2)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_first_case(pilot)
        Report.delete_by_id(report.id)
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="back to the inbox")
        assert any("no longer exists" in n for n in notifications(app))
        await wait_for(pilot, lambda: app.screen.rows == [], what="gone from the list")


async def test_reply_refused_for_a_report_without_conversation(config, sqlite_url, ann):
    submit(config, two_way=None)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_first_case(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert any("did not choose two-way messaging" in n for n in notifications(app))


async def test_help_lists_the_keys_and_ctrl_q_quits_from_anywhere(config, sqlite_url, ann):
    submit(config)
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_case(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Keys" in screen_text(app)
        text = str(app.screen.query_one("#help-text").render())
        for words in ("Reply", "Note", "Status", "Assign", "Search", "Lock", "ctrl+s"):
            assert words in text
        await pilot.press("escape")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, Composer))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_a_change_committed_while_the_case_loads_still_reaches_the_screen(config, sqlite_url, ann, monkeypatch):
    """Another adviser's write landing between the case's reads of a load is shown at the next poll.

    The case and its fingerprint (what the poll compares) are two reads; here bea's status change is
    made to land between them, as a write from another process can.
    """
    from adviser_tui import gateway

    report = submit(config).report
    bea = create_adviser("bea", "another long password", "Bea Admin", is_admin=True)
    real_refresh, armed, landed = gateway.refresh_case, [], []

    def refresh_then_another_adviser_writes(*args):
        view = real_refresh(*args)
        if armed and not landed:
            landed.append(set_status(report.id, bea, "waiting", config))
        return view

    monkeypatch.setattr(gateway, "refresh_case", refresh_then_another_adviser_writes)
    app = AdviserApp(config, sqlite_url, signed_in=ann, poll_seconds=0.1)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_first_case(pilot)
        await wait_for(pilot, lambda: screen.view.report.adviser_read_at is not None, what="read")
        armed.append(True)
        conversation.add_note(report.id, bea, "Bea: I will call estates.")  # the poll sees it and refreshes …
        await wait_for(pilot, lambda: landed, what="the write during that refresh")
        await wait_for(pilot, lambda: screen.view.report.status == "waiting", what="bea's change shown")
        assert "waiting" in screen_text(app)
