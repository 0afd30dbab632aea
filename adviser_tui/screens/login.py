"""Sign in, and the lock screen (the same form, for the adviser already signed in)."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from store.errors import AccountDisabled, AccountLocked, AuthenticationFailed

from .. import gateway, inert, messages
from ..formatting import local
from ..store_calls import run_store_call


class LoginScreen(Screen):
    """Username and password. With ``locked_for`` it unlocks the app for that adviser only."""

    AUTO_FOCUS = None
    BINDINGS = [Binding("enter", "submit", "Sign in", show=True)]

    def __init__(self, locked_for=None):
        # As the lock screen, no toast is ever painted over it (a toast may quote a reporter).
        super().__init__(classes="-locked" if locked_for is not None else None)
        self.locked_for = locked_for

    def compose(self) -> ComposeResult:
        config = self.app.config
        with Center():
            with Vertical(id="login-box"):
                yield Static(inert.line_content(f"Tellus — {config.organisation}"), id="login-title")
                if self.locked_for is not None:
                    yield Static(
                        inert.line_content(f"Locked. Enter the password for {self.locked_for.username} to carry on."),
                        id="login-hint",
                    )
                else:
                    yield Static(Content("Adviser sign-in"), id="login-hint")
                yield Input(
                    value=inert.line(self.locked_for.username) if self.locked_for is not None else "",
                    placeholder="username",
                    id="username",
                    disabled=self.locked_for is not None,
                )
                yield Input(placeholder="password", password=True, id="password")
                yield Button("Sign in", id="sign-in", variant="primary")
                yield Static("", id="login-error")
        yield Footer()

    def on_mount(self):
        self.query_one("#password" if self.locked_for is not None else "#username", Input).focus()

    @on(Input.Submitted, "#username")
    def next_field(self):
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def action_submit(self):
        # Unlocking is for the adviser signed in, whatever their name looks like in the (cleaned) field.
        username = self.locked_for.username if self.locked_for is not None else self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        if not username.strip() or not password:
            self.show_error("Enter your username and password.")
            return
        self.query_one("#sign-in", Button).disabled = True
        self.show_error("Checking…", error=False)
        run_store_call(self, gateway.login, username, password, then=self.finished, group="login")

    def finished(self, outcome):
        self.query_one("#sign-in", Button).disabled = False
        password = self.query_one("#password", Input)
        if outcome.ok:
            adviser = outcome.value
            if self.locked_for is not None and adviser.id != self.locked_for.id:
                self.show_error("Wrong username or password.")
                return
            password.value = ""
            self.post_message(messages.LoggedIn(adviser))
            return
        password.value = ""
        password.focus()
        exc = outcome.exception
        if isinstance(exc, AccountLocked):
            until = local(exc.until, self.app.config).strftime("%H:%M on %d %b")
            self.show_error(f"Too many failed attempts: this account is locked until {until}.")
        elif isinstance(exc, AccountDisabled):
            self.show_error("This account is disabled; ask an administrator.")
        elif isinstance(exc, AuthenticationFailed):
            self.show_error("Wrong username or password.")
        else:
            self.show_error(outcome.error)

    def show_error(self, text, error=True):
        label = self.query_one("#login-error", Static)
        label.update(inert.content(text))
        label.set_class(error, "error")
