"""Closure periods (admins): list, add, remove.

Closures are not working days: adding or removing one re-computes the due
date of every case still waiting for a first response
(``closures.add_closure(config=...)``), so the inbox shows new dates when
the adviser goes back to it. The reporter site's notice reads the same rows.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from store import closures as closure_rules

from .. import gateway, inert
from ..modals.confirm import ConfirmModal
from ..modals.form import Field, FormModal
from ..widgets.row_table import RowTable
from ..widgets.title_bar import TitleBar
from .admin import AdminScreen

STATE_LABELS = {"past": "past", "now": "NOW", "coming": "coming"}


class ClosuresScreen(AdminScreen):
    DEFAULT_CSS = """
    #closures { height: 1fr; }
    #closures-hint { height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = AdminScreen.BINDINGS + [
        Binding("n", "add", "Add closure"),
        Binding("delete,d", "remove", "Remove"),
    ]

    def __init__(self):
        super().__init__()
        self.closures = []

    def compose(self) -> ComposeResult:
        yield TitleBar(self.title_content("Closure periods", "reports are not monitored; due dates skip these days"))
        table = RowTable(id="closures")
        for key, label, width in (
            ("start", "From", 16),
            ("end", "To (inclusive)", 16),
            ("days", "Days", 5),
            ("state", "", 8),
            ("note", "Note", 50),
        ):
            table.add_column(label, width=width, key=key)
        yield table
        yield Static("", id="closures-hint")
        yield Footer()

    def on_mount(self):
        self.query_one(DataTable).focus()
        self.load()

    def fetch(self):
        return gateway.list_closures, (self.app.adviser,)

    def show(self, closures):
        self.closures = closures
        table = self.query_one(DataTable)
        table.clear()
        config, now = self.app.config, self.app.clock()
        for closure in closures:
            state = closure_rules.state(closure, config, now)
            table.add_row(
                Text(f"{closure.start:%a %d %b %Y}"),
                Text(f"{closure.end:%a %d %b %Y}"),
                Text(str((closure.end - closure.start).days + 1)),
                Text(STATE_LABELS[state], style="bold" if state == "now" else ""),
                inert.cell(closure.note, 50),
                key=str(closure.id),
            )
        plural = "s" if len(closures) != 1 else ""
        count = f"{len(closures)} closure period{plural}" if closures else "No closure periods."
        self.query_one("#closures-hint", Static).update(
            Text(f"{count} · n add · d remove\nAdding or removing one re-computes the due dates in the inbox.")
        )

    def action_add(self):
        me, config = self.app.adviser, self.app.config

        def submit(values):
            return gateway.add_closure(config, me, values["start"], values["end"], values["note"])

        fields = [
            Field("start", "First day closed", placeholder="2026-12-19", max_length=10),
            Field("end", "Last day closed (inclusive)", placeholder="2027-01-04", max_length=10),
            Field("note", "Note for advisers (optional)", max_length=300),
        ]

        def done(answer):
            added, closure = answer
            if added:
                self.notify(f"Closure {closure.start} to {closure.end} added; due dates re-computed.", markup=False)
                self.load()

        self.app.push_screen(FormModal("Add a closure period", fields, submit), done)

    def action_remove(self):
        table = self.query_one(DataTable)
        if not self.closures or not 0 <= table.cursor_row < len(self.closures):
            return
        closure = self.closures[table.cursor_row]

        def answered(yes):
            if yes:
                self.act(
                    gateway.remove_closure,
                    (self.app.config, self.app.adviser, closure.id),
                    f"Closure {closure.start} to {closure.end} removed; due dates re-computed.",
                )

        self.app.push_screen(
            ConfirmModal(f"Remove the closure {closure.start} to {closure.end}?", "Remove", "Keep"), answered
        )
