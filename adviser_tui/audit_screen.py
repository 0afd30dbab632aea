"""The audit trail (admins): browse and filter, page by page. Read-only: no key changes an entry.

Filters: adviser username, case reference, action, and a date range in the
organisation's local dates (both ends inclusive). Names in the trail can be
whatever someone typed at the login prompt, so every cell goes through ``safe``.
"""

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from store.audit import ACTIONS
from store.clock import utc_from_local
from store.errors import ValidationError

from . import gateway, safe
from .admin_base import AdminScreen
from .formatting import when
from .inbox_screen import TitleBar
from .row_table import RowTable

ALL = "*"
PAGE = 100


def _day(text, field):
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError({field: f"The {field} date must look like 2026-03-01 (year-month-day)."}) from None


def _utc_start(day, timezone):
    """The UTC moment a local day begins, for the store's UTC timestamps."""
    return utc_from_local(day, timezone)


def filters_from(values, timezone):
    """The screen's filter fields → keyword arguments of ``store.audit.events``; ValidationError if a date is wrong."""
    filters = {}
    if values["adviser"].strip():
        filters["adviser_name"] = values["adviser"].strip()
    if values["reference"].strip():
        filters["reference"] = values["reference"].strip()
    if values["action"] != ALL:
        filters["action"] = values["action"]
    if values["since"].strip():
        filters["since"] = _utc_start(_day(values["since"], "from"), timezone)
    if values["until"].strip():  # inclusive: up to the start of the next day
        filters["until"] = _utc_start(_day(values["until"], "to") + dt.timedelta(days=1), timezone)
    if "since" in filters and "until" in filters and filters["until"] <= filters["since"]:
        raise ValidationError({"until": "The 'to' date is before the 'from' date."})
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
            yield Select([("Every action", ALL), *[(a.replace("_", " "), a) for a in ACTIONS]], value=ALL,
                         allow_blank=False, compact=True, id="filter-action")
            yield Input(placeholder="from YYYY-MM-DD", compact=True, id="filter-since", max_length=10)
            yield Input(placeholder="to YYYY-MM-DD", compact=True, id="filter-until", max_length=10)
        table = RowTable(id="audit-table")
        for key, label, width in (("at", "When", 22), ("adviser", "Adviser", 20), ("action", "Action", 16),
                                  ("reference", "Case", 10), ("detail", "Detail", 60)):
            table.add_column(label, width=width, key=key)
        yield table
        yield Static("", id="audit-page")
        yield Footer()

    def on_mount(self):
        self.query_one(DataTable).focus()
        self.load()

    def fetch(self):
        return gateway.attempt(gateway.audit_page, self.app.adviser, self.filters, self.start, PAGE)

    def show(self, page):
        self.page = page
        table = self.query_one(DataTable)
        table.clear()
        config = self.app.config
        for event in page.events:
            table.add_row(
                Text(when(event.at, config)), safe.cell(event.adviser_name or "—", 20),
                safe.cell(event.action.replace("_", " "), 16), safe.cell(event.reference, 10),
                safe.cell(event.detail, 60),
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
        return {name: self.query_one(f"#filter-{name}").value
                for name in ("adviser", "reference", "action", "since", "until")}

    def apply_filters(self):
        try:
            self.filters = filters_from(self._values(), self.app.config.timezone)
        except ValidationError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
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
