"""Adviser app: signing in, lockout, disabled accounts, idle lock and ctrl+l."""

import datetime as dt

from textual.widgets import Input

from adviser_tui.app import AdviserApp
from adviser_tui.screens.inbox import InboxScreen
from adviser_tui.screens.login import LoginScreen
from store.advisers import set_active
from store.audit import events
from store.models import Adviser

from .support import PASSWORD, login, screen_text, wait_for, wait_inbox


def error_text(app):
    return str(app.screen.query_one("#login-error").render())


async def test_focus_starts_in_username_and_good_credentials_open_the_inbox(config, sqlite_url, ann):
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert app.focused.id == "username"
        assert "Lock" not in screen_text(app).splitlines()[-1]  # nothing to lock before signing in
        await login(pilot, type_it=True)
        await wait_inbox(pilot)
        assert app.adviser.username == "ann"
        assert "signed in as Ann Adviser" in screen_text(app)
    assert [e.action for e in events(adviser_id=ann.id)] == ["login"]


async def test_wrong_password_and_unknown_user_get_the_same_message(config, sqlite_url, ann):
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "ann", "wrong password!!")
        await wait_for(pilot, lambda: "Wrong" in error_text(app), what="error")
        first = error_text(app)
        assert app.screen.query_one("#password", Input).value == ""
        await login(pilot, "nobody", "whatever password")
        await wait_for(pilot, lambda: not app.screen.query_one("#sign-in").disabled, what="answer")
        assert error_text(app) == first == "Wrong username or password."
        assert isinstance(app.screen, LoginScreen)


async def test_empty_form_is_not_sent(config, sqlite_url, ann):
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert error_text(app) == "Enter your username and password."


async def test_locked_account_says_until_when(config, sqlite_url, ann):
    Adviser.update(locked_until=dt.datetime(2099, 1, 2, 10, 30)).where(Adviser.id == ann.id).execute()
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await wait_for(pilot, lambda: "locked" in error_text(app), what="locked message")
        assert "locked until 10:30 on 02 Jan" in error_text(app)
        assert app.adviser is None


async def test_disabled_account_cannot_sign_in(config, sqlite_url, ann):
    set_active("ann", False)
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await wait_for(pilot, lambda: "disabled" in error_text(app), what="disabled message")
        assert app.adviser is None and isinstance(app.screen, LoginScreen)


async def test_idle_locks_to_a_password_prompt_for_the_same_adviser(config, sqlite_url, ann):
    app = AdviserApp(config, sqlite_url, idle_seconds=0.5, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), what="idle lock")
        assert any(isinstance(s, InboxScreen) for s in app.screen_stack)  # the work is kept underneath
        await wait_for(pilot, lambda: "Locked" in screen_text(app), what="lock screen painted")
        assert "signed in as" not in screen_text(app)  # nothing of the inbox shows through
        username = app.screen.query_one("#username", Input)
        assert username.value == "ann" and username.disabled
        assert app.focused.id == "password"
        app.idle_seconds = 600
        await login(pilot, "ann", "not the password")
        await wait_for(pilot, lambda: "Wrong" in error_text(app), what="refusal")
        await login(pilot, "ann", PASSWORD)
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen), what="unlock")


async def test_ctrl_l_locks_at_once(config, sqlite_url, ann):
    app = AdviserApp(config, sqlite_url, signed_in=ann)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_inbox(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.screen.locked_for.id == ann.id
        assert "Lock" not in screen_text(app).splitlines()[-1]  # the footer offers no lock on the lock screen
        await pilot.press("ctrl+l")  # locking twice stacks nothing
        await pilot.pause()
        assert sum(isinstance(s, LoginScreen) for s in app.screen_stack) == 1


async def test_an_admin_signing_in_re_seals_old_replies_and_notes_naming_their_advisers(config, sqlite_url, sqlite_db):
    """Replies and notes sealed by a release before issue 12's fix (naming no adviser) are re-sealed by the
    first admin's app to sign in, in the background: moved to another adviser afterwards, they do not open."""
    from store import advisers, casetext
    from store.conversation import AUTHORS_BOUND_SETTING, add_note, post_adviser_reply, thread
    from store.db import get_setting
    from store.models import Message, Note

    from ..helpers import seal_as_the_previous_release, submit

    ann = advisers.create_adviser("ann", PASSWORD, "Ann Adviser", is_admin=True)
    report = submit(config).report
    post_adviser_reply(report.id, ann, "Ann's reply", config=config)
    add_note(report.id, ann, "Ann's note", config=config)
    key = ann.keyring.case_key(report.id)
    seal_as_the_previous_release(report, key)
    app = AdviserApp(config, sqlite_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await login(pilot)
        await wait_inbox(pilot)
        await wait_for(pilot, lambda: get_setting(AUTHORS_BOUND_SETTING) is not None, what="the re-sealing pass")
    other = advisers.create_adviser("cai", PASSWORD, "Cai").id
    Message.update(adviser=other).where(Message.author == "adviser").execute()
    Note.update(adviser=other).execute()
    bodies = [i.body for i in thread(report.id, include_notes=True, key=key) if i.author == "adviser"]
    assert bodies == [casetext.UNREADABLE] * 2
