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
