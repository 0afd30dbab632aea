"""Statistics for committees (admins): the tables of ``tellus stats``, small counts shown as "<5"."""

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from store.stats import to_text

from .. import gateway, inert
from ..widgets.title_bar import TitleBar
from .admin import AdminScreen


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
        return gateway.statistics, (self.app.config, self.app.adviser, self.app.clock())

    def show(self, result):
        # Place names in the location table are reporter text (named by 5+ reports): literal, cleaned.
        self.query_one("#stats-text", Static).update(Content(inert.clean(to_text(result))))
