"""Patterns across reports (`p`): the same place, person or category in a window.

Groups come from ``store.patterns.find_patterns`` for the cases the adviser
may see; groups at or over the configured threshold are marked as patterns
to act on. Labels and spellings are reporter text: they go through ``inert``
and reach the screen as Text/Content, never as markup.
"""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Select, Static

from .. import gateway, inert
from ..store_calls import run_store_call
from ..widgets.row_table import RowTable
from ..widgets.title_bar import TitleBar

WINDOWS = [("Last 30 days", "30"), ("Last 90 days", "90"), ("Last 365 days", "365"), ("All time", "all")]
KIND_LABELS = {"location": "place", "person": "person", "category": "category"}
PATTERN_MARK = "▲"  # a symbol as well as a colour


def date_range(group):
    first, last = group.first_at.strftime("%d %b %Y"), group.last_at.strftime("%d %b %Y")
    return first if first == last else f"{first} – {last}"


class PatternsScreen(Screen):
    DEFAULT_CSS = """
    #patterns-window { height: 1; padding: 0 1; }
    #patterns-window Select { width: 24; margin-right: 1; }
    #patterns-summary { width: 1fr; height: 1; }
    #patterns-body { height: 1fr; }
    #pattern-groups { width: 3fr; height: 1fr; }
    #pattern-cases { width: 16; height: 1fr; border-left: solid $primary; }
    #pattern-detail { height: 3; padding: 0 1; background: $boost; }
    """

    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("w", "window", "Window"),
        Binding("tab", "switch_list", "Groups/cases", show=False),
        Binding("ctrl+r", "reload", "Reload"),
        Binding("escape", "back", "Inbox"),
    ]

    def __init__(self, window="90"):
        super().__init__()
        self.window = window
        self.groups = []
        self.busy = False

    def compose(self) -> ComposeResult:
        yield TitleBar(Content.assemble(("Patterns", "bold"), "  ·  reports naming the same place, person or category"))
        with Horizontal(id="patterns-window"):
            yield Select(WINDOWS, value=self.window, allow_blank=False, compact=True, id="window-select")
            yield Static(Content("Loading…"), id="patterns-summary")
        with Horizontal(id="patterns-body"):
            groups = RowTable(id="pattern-groups")
            for key, label, width in (
                ("mark", " ", 1),
                ("kind", "Kind", 8),
                ("label", "Group", 34),
                ("count", "Reports", 7),
                ("dates", "From – to", 26),
            ):
                groups.add_column(label, width=width, key=key)
            yield groups
            cases = RowTable(id="pattern-cases")
            cases.add_column("Cases", width=12, key="reference")
            yield cases
        yield Static(id="pattern-detail")
        yield Footer()

    def on_mount(self):
        self.query_one("#pattern-groups", DataTable).focus()
        self.load()

    # Loading ----------------------------------------------------------------

    def load(self):
        self.busy = True
        self.query_one("#patterns-summary", Static).update(Content("Grouping reports…"))
        window = self.window
        run_store_call(
            self,
            gateway.patterns,
            self.app.config,
            self.app.adviser,
            window,
            self.app.clock(),
            then=lambda outcome: self.loaded(outcome, window),
            group="patterns",
        )

    def loaded(self, outcome, window):
        if window != self.window:
            return  # the window changed meanwhile; its own load is on the way
        self.busy = False
        if not outcome.ok:
            self.query_one("#patterns-summary", Static).update(Content(gateway.error_text(outcome)))
            return
        self.groups = outcome.value
        self._show()
        self.app.refresh_pattern_count()

    # Showing ------------------------------------------------------------------

    def _show(self):
        threshold = self.app.config.pattern_threshold
        table = self.query_one("#pattern-groups", DataTable)
        table.clear()
        for number, group in enumerate(self.groups):
            strong = "bold" if group.is_pattern else ""
            table.add_row(
                Text(PATTERN_MARK if group.is_pattern else " ", style="bold red" if group.is_pattern else ""),
                Text(KIND_LABELS[group.kind], style=strong),
                inert.cell(group.label, 34, style=strong),
                Text(str(group.count), style=strong, justify="right"),
                Text(date_range(group)),
                key=str(number),
            )
        patterns = sum(1 for g in self.groups if g.is_pattern)
        window = {v: k for k, v in WINDOWS}[self.window].lower()
        if self.groups:
            summary = (
                f"{patterns} pattern{'s' if patterns != 1 else ''} to act on "
                f"({PATTERN_MARK}: {threshold} or more "
                f"reports), {len(self.groups)} group{'s' if len(self.groups) != 1 else ''} in the {window}"
            )
        else:
            summary = f"No two reports name the same place, person or category in the {window}."
        self.query_one("#patterns-summary", Static).update(Content(summary))
        self._show_cases()

    def current_group(self):
        table = self.query_one("#pattern-groups", DataTable)
        if not self.groups or not 0 <= table.cursor_row < len(self.groups):
            return None
        return self.groups[table.cursor_row]

    def _show_cases(self):
        group = self.current_group()
        cases = self.query_one("#pattern-cases", DataTable)
        cases.clear()
        detail = self.query_one("#pattern-detail", Static)
        if group is None:
            detail.update(Content(""))
            return
        for report_id, reference in zip(group.report_ids, group.references):
            cases.add_row(inert.cell(reference, 12), key=str(report_id))
        kind = KIND_LABELS[group.kind]
        head = [
            (f"{PATTERN_MARK} PATTERN TO ACT ON · " if group.is_pattern else "", "bold red"),
            (f"{kind}: ", "bold"),
            inert.line(group.label, 100),
            f" · {group.count} reports · {date_range(group)}",
        ]
        lines = [Content.assemble(*head)]
        if group.variants:
            spellings = " · ".join(inert.line(v, 60) for v in group.variants[:8])
            more = f" (+{len(group.variants) - 8} more)" if len(group.variants) > 8 else ""
            lines.append(Content.assemble(("Typed as: ", "italic"), spellings, more))
        lines.append(Content("Enter on a group lists its cases; Enter on a case opens it. Tab switches lists."))
        detail.update(Content("\n").join(lines))

    @on(DataTable.RowHighlighted, "#pattern-groups")
    def group_highlighted(self):
        self._show_cases()

    # Actions ------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def action_open(self):
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "pattern-cases":
            self.open_selected_case()
        elif self.current_group() is not None:
            self.query_one("#pattern-cases", DataTable).focus()

    def open_selected_case(self):
        group = self.current_group()
        cases = self.query_one("#pattern-cases", DataTable)
        if group is None or not 0 <= cases.cursor_row < len(group.report_ids):
            return
        index = cases.cursor_row
        self.app.show_screen("case", group.report_ids[index], group.references[index])

    def action_switch_list(self):
        groups = self.query_one("#pattern-groups", DataTable)
        (self.query_one("#pattern-cases", DataTable) if groups.has_focus else groups).focus()

    def action_window(self):
        self.query_one("#window-select", Select).focus()

    @on(Select.Changed, "#window-select")
    def window_changed(self, event):
        if event.value != self.window:
            self.window = event.value
            self.load()
            self.query_one("#pattern-groups", DataTable).focus()

    def action_reload(self):
        self.load()

    def action_back(self):
        self.app.pop_screen()
