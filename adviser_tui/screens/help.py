"""The full key list (`?`), from the bindings themselves.

The app hands it the sections (``AdviserApp.key_sections``): the app is the
one place that knows every screen, so this screen imports none of them.
"""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "escape": "Escape",
    "enter": "Enter",
    "delete": "Delete",
    "tab": "Tab",
}


def key_name(key):
    return ", ".join(KEY_NAMES.get(k, k) for k in key.split(","))


def key_list(sections):
    """(title, bindings) sections → (title, [(key, description)]): described bindings only.

    A screen's binding to an app action only shows an "Everywhere" key in its
    footer, so it is listed once, under "Everywhere" (the first section).
    """
    listed = []
    for index, (title, bindings) in enumerate(sections):
        keys = [
            (key_name(b.key), b.description)
            for b in bindings
            if b.description and (index == 0 or not b.action.startswith("app."))
        ]
        listed.append((title, keys))
    return listed


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, sections):
        """``sections``: (title, bindings) pairs, "Everywhere" first."""
        super().__init__()
        self.sections = key_list(sections)

    def compose(self) -> ComposeResult:
        width = max(len(key) for _, keys in self.sections for key, _ in keys)  # one column, however long a key list
        parts = [("Keys", "bold underline"), "\n"]
        for title, keys in self.sections:
            parts += ["\n", (title, "bold"), "\n"]
            parts += [f"  {key:<{width}}  {description}\n" for key, description in keys]
        parts += [
            "\n",
            "Idle for 10 minutes locks the app; your password unlocks it.",
            "\n",
            "Escape closes this list.",
        ]
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(Content.assemble(*parts), id="help-text")

    def action_close(self):
        self.dismiss()
