"""Pick one of a few options (status, assignee)."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .. import inert


class ChoiceModal(ModalScreen):
    """Dismisses with ``(True, value)`` for a choice, ``(False, None)`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title, choices, current=None):
        super().__init__()
        self.title_text = title
        self.choices = list(choices)  # (label, value)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box", classes="dialog"):
            yield Static(inert.line_content(self.title_text), id="choice-title")  # may name a case
            # Labels may hold adviser names: Text, never markup.
            yield OptionList(*[Option(Text(inert.line(label, 60))) for label, _ in self.choices], id="choices")
            yield Static(Content("Enter chooses · Escape cancels"), classes="hint")

    def on_mount(self):
        options = self.query_one(OptionList)
        options.focus()
        for index, (_, value) in enumerate(self.choices):
            if value == self.current:
                options.highlighted = index
                break
        else:
            options.highlighted = 0

    def on_option_list_option_selected(self, event):
        self.dismiss((True, self.choices[event.option_index][1]))

    def action_cancel(self):
        self.dismiss((False, None))
