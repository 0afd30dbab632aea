"""Adviser accounts (admins): create, disable/enable, reset password, make/unmake admin.

The same services as ``tellus advisers``; each change is audited under the
admin's name, and the store refuses it to anyone who is not an admin.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from store.errors import ValidationError

from .. import gateway, inert
from ..modals.confirm import ConfirmModal
from ..modals.form import Field, FormModal
from ..widgets.row_table import RowTable
from ..widgets.title_bar import TitleBar
from .admin import AdminScreen


def _same_password(values, field="password"):
    if values[field] != values["again"]:
        raise ValidationError({field: "The two passwords are not the same; nothing was changed."})


class AdvisersScreen(AdminScreen):
    DEFAULT_CSS = """
    #accounts { height: 1fr; }
    #accounts-hint { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = AdminScreen.BINDINGS + [
        Binding("n", "new", "New adviser"),
        Binding("d", "toggle_active", "Disable/enable"),
        Binding("r", "reset_password", "Reset password"),
        Binding("a", "toggle_admin", "Admin yes/no"),
        Binding("c", "confirm", "Confirm"),
    ]

    def __init__(self):
        super().__init__()
        self.accounts = []

    def compose(self) -> ComposeResult:
        yield TitleBar(self.title_content("Adviser accounts", "every change is in the audit trail"))
        table = RowTable(id="accounts")
        for key, label, width in (
            ("username", "Username", 16),
            ("name", "Name", 28),
            ("admin", "Admin", 5),
            ("active", "Status", 11),
            ("locked", "Login", 16),
        ):
            table.add_column(label, width=width, key=key)
        yield table
        yield Static("", id="accounts-hint")
        yield Footer()

    def on_mount(self):
        self.query_one(DataTable).focus()
        self.load()

    def fetch(self):
        return gateway.list_accounts, (self.app.adviser,)

    def show(self, accounts):
        self.accounts = accounts
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for account in accounts:
            locked = "locked (failures)" if account.locked_until else ""
            table.add_row(
                inert.cell(account.username, 16),
                inert.cell(account.display_name, 28),
                Text("yes" if account.is_admin else "no", style="bold" if account.is_admin else ""),
                _status(account),
                Text(locked),
                key=str(account.id),
            )
        if accounts:
            table.move_cursor(row=min(max(row, 0), len(accounts) - 1))
        self.query_one("#accounts-hint", Static).update(
            Text(f"{len(accounts)} accounts · n new · d disable/enable · r reset password · a admin · c confirm")
        )

    def current(self):
        table = self.query_one(DataTable)
        if not self.accounts or not 0 <= table.cursor_row < len(self.accounts):
            return None
        return self.accounts[table.cursor_row]

    def action_new(self):
        me = self.app.adviser

        def submit(values):
            _same_password(values)
            return gateway.create_account(me, values["username"], values["name"], values["password"], values["admin"])

        fields = [
            Field("username", "Username (lowercase letters, digits, . _ -)", max_length=32),
            Field("name", "Display name", max_length=100),
            Field("password", "Password (at least 12 characters)", password=True, max_length=1024),
            Field("again", "The password again", password=True, max_length=1024),
            Field("admin", "Administrator (sees every case, manages accounts)", checkbox=True),
        ]

        def done(answer):
            created, account = answer
            if created:
                self.notify(f"Account {account.username} created.", markup=False)
                self.load()

        self.app.push_screen(FormModal("New adviser account", fields, submit), done)

    def action_toggle_active(self):
        account = self.current()
        if account is None:
            return
        active = not account.active
        verb = "Enable" if active else "Disable"
        question = f"{verb} the account {account.username}?"
        if not active:
            question += " They will not be able to sign in; their cases stay assigned to them."

        def answered(yes):
            if yes:
                self.act(
                    gateway.set_account_active,
                    (self.app.adviser, account.username, active, self.app.config),
                    f"{account.username} is {'enabled' if active else 'disabled'}.",
                )

        self.app.push_screen(ConfirmModal(question, verb, "Cancel"), answered)

    def action_toggle_admin(self):
        account = self.current()
        if account is None:
            return
        make = not account.is_admin
        question = (
            f"Make {account.username} an administrator? They will see every case and manage accounts."
            if make
            else f"Remove administrator rights from {account.username}?"
        )

        def answered(yes):
            if yes:
                self.act(
                    gateway.set_account_admin,
                    (self.app.adviser, account.username, make, self.app.config),
                    f"{account.username} is {'now' if make else 'no longer'} an administrator.",
                )

        self.app.push_screen(ConfirmModal(question, "Yes", "Cancel"), answered)

    def action_confirm(self):
        """Sign the account into the roster as listed: what lets Tellus seal case keys to them."""
        account = self.current()
        if account is None:
            return
        if getattr(account, "confirmed", True):
            self.notify(f"{account.username} is confirmed already.", markup=False)
            return
        role = "an administrator" if account.is_admin else "an adviser"
        question = (
            f"Confirm {account.username} ({account.display_name}) as {role}, with the key "
            f"{getattr(account, 'fingerprint', 'unknown')}? Case keys will be sealed to that key. Confirm only if it is "
            "the fingerprint the command that made or reset the account printed."
        )

        def answered(yes):
            if yes:
                self.act(
                    gateway.confirm_account,
                    (self.app.adviser, account, self.app.config),
                    f"{account.username} is confirmed.",
                )

        self.app.push_screen(ConfirmModal(question, "Confirm", "Cancel"), answered)

    def action_reset_password(self):
        account = self.current()
        if account is None:
            return
        me = self.app.adviser

        def submit(values):
            _same_password(values)
            return gateway.reset_password(me, account.username, values["password"], self.app.config)

        fields = [
            Field(
                "password",
                f"New password for {account.username} (at least 12 characters)",
                password=True,
                max_length=1024,
            ),
            Field("again", "The password again", password=True, max_length=1024),
        ]

        def done(answer):
            if answer[0]:
                self.notify(f"Password of {account.username} reset; tell them in person.", markup=False)
                self.load()

        self.app.push_screen(FormModal(f"Reset the password of {account.username}", fields, submit), done)


def _status(account) -> Text:
    if not account.active:
        return Text("DISABLED", style="bold red")
    if not getattr(account, "confirmed", True):
        return Text("unconfirmed", style="bold yellow")
    return Text("active")
