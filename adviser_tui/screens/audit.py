"""The audit trail (admins): browse and filter, page by page. Read-only: no key changes an entry.

Filters: adviser username, case reference, action, and a date range in the
organisation's local dates (both ends inclusive; the store reads and checks them). Names in the trail can be
whatever someone typed at the login prompt, so every cell goes through ``inert``.
"""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from store.audit import ACTIONS

from .. import gateway, inert
from ..formatting import when
from ..widgets.row_table import RowTable
from ..widgets.title_bar import TitleBar
from .admin import AdminScreen

ALL = "*"
PAGE = 100


def filters_from(values):
    """The screen's filter fields, as typed, → keyword arguments of ``store.audit.events`` (which checks them)."""
    filters = {"since": values["since"], "until": values["until"]}
    if values["adviser"].strip():
        filters["adviser_name"] = values["adviser"].strip()
    if values["reference"].strip():
        filters["reference"] = values["reference"].strip()
    if values["action"] != ALL:
        filters["action"] = values["action"]
    return filters


class AuditScreen(AdminScreen):
    DEFAULT_CSS = """
    #audit-filters { height: 1; padding: 0 1; }
    #audit-filters Input { width: 1fr; margin-right: 1; }
    #audit-filters Select { width: 22; margin-right: 1; }
    #audit-table { height: 1fr; }
    #audit-page { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = AdminScreen.BINDINGS + [
        Binding("slash", "filters", "Filter"),
        Binding("right_square_bracket", "next_page", "Next page"),
        Binding("left_square_bracket", "previous_page", "Prev page"),
    ]

    def __init__(self):
        super().__init__()
        self.filters = {}
        self.start = 0
        self.page = None

    def compose(self) -> ComposeResult:
        yield TitleBar(self.title_content("Audit trail", "read-only · newest first"))
        with Horizontal(id="audit-filters"):
            yield Input(placeholder="adviser", compact=True, id="filter-adviser", max_length=64)
            yield Input(placeholder="case TL-…", compact=True, id="filter-reference", max_length=16)
            yield Select(
                [("Every action", ALL), *[(a.replace("_", " "), a) for a in ACTIONS]],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="filter-action",
            )
            yield Input(placeholder="since YYYY-MM-DD", compact=True, id="filter-since", max_length=10)
            yield Input(placeholder="until YYYY-MM-DD", compact=True, id="filter-until", max_length=10)
        table = RowTable(id="audit-table")
        for key, label, width in (
            ("at", "When", 22),
            ("adviser", "Adviser", 20),
            ("action", "Action", 16),
            ("reference", "Case", 10),
            ("detail", "Detail", 60),
        ):
            table.add_column(label, width=width, key=key)
        yield table
        yield Static("", id="audit-page")
        yield Footer()

    def on_mount(self):
        self.query_one(DataTable).focus()
        self.load()

    def fetch(self):
        return gateway.audit_page, (self.app.adviser, self.app.config, self.filters, self.start, PAGE)

    def show(self, page):
        self.page = page
        table = self.query_one(DataTable)
        table.clear()
        config = self.app.config
        for event in page.events:
            table.add_row(
                Text(when(event.at, config)),
                inert.cell(event.adviser_name or "—", 20),
                inert.cell(event.action.replace("_", " "), 16),
                inert.cell(event.reference, 10),
                inert.cell(event.detail, 60),
                key=str(event.id),
            )
        if not page.events:
            text = "No audit entries match these filters." if not self.start else "No more entries."
        else:
            first = self.start + 1
            text = f"Entries {first:,}–{self.start + len(page.events):,} · page {self.start // PAGE + 1:,}"
            text += "  ·  ] next page" if page.more else "  ·  last page"
            if self.start:
                text += "  ·  [ previous"
        self.query_one("#audit-page", Static).update(Text(text))

    def _values(self):
        return {
            name: self.query_one(f"#filter-{name}").value
            for name in ("adviser", "reference", "action", "since", "until")
        }

    def apply_filters(self):
        self.filters = filters_from(self._values())
        self.start = 0
        self.load()

    @on(Input.Submitted)
    def _submitted(self):
        self.apply_filters()
        self.query_one(DataTable).focus()

    @on(Select.Changed, "#filter-action")
    def _action_changed(self):
        if self.is_mounted and self.loaded_once:
            self.apply_filters()

    def action_filters(self):
        self.query_one("#filter-adviser", Input).focus()

    def action_next_page(self):
        if self.page is not None and self.page.more:
            self.start += PAGE
            self.load()

    def action_previous_page(self):
        if self.start:
            self.start = max(self.start - PAGE, 0)
            self.load()
