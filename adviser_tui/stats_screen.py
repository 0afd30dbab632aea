"""Statistics for committees (admins): the tables of ``tellus stats``, small counts shown as "<5"."""

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from store.stats import MIN_CELL, SUPPRESSED

from . import gateway, safe
from .admin_base import AdminScreen
from .inbox_screen import TitleBar


class StatsScreen(AdminScreen):
    DEFAULT_CSS = """
    #stats-body { height: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield TitleBar(self.title_content("Statistics", "aggregates only; counts under 5 are shown as <5"))
        with VerticalScroll(id="stats-body"):
            yield Static(Content("Counting…"), id="stats-text")
        yield Footer()

    def on_mount(self):
        self.query_one("#stats-body").focus()
        self.load()

    def fetch(self):
        return gateway.attempt(gateway.statistics, self.app.config, self.app.adviser, self.app.clock())

    def show(self, result):
        # Place names in the location table are reporter text (named by 5+ reports): literal, cleaned.
        self.query_one("#stats-text", Static).update(Content(safe.clean(as_text(result))))


def as_text(result):
    """The statistics as the tables ``tellus stats`` prints: figures, then each table with its total."""
    period = f"{result.since or 'the first report'} to {result.until or 'today'}"
    lines = [f"Tellus statistics, {period}. Counts under {MIN_CELL} are shown as {SUPPRESSED}.", ""]
    labels = [label for table in result.tables for label, _value in table.rows] + [label for label, _ in result.figures]
    width = max([len(str(label)) for label in labels] + [10])
    lines += [f"{label:<{width}}  {text}" for label, text in result.figures]
    for table in result.tables:
        lines += ["", table.title, "-" * len(table.title)]
        lines += [f"{label:<{width}}  {value:>6}" for label, value in table.rows]
        lines.append(f"{'Total':<{width}}  {table.total:>6}")
    return "\n".join(lines) + "\n"
