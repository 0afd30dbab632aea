"""The full key list (`?`)."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_name(key):
    names = {"question_mark": "?", "slash": "/", "right_square_bracket": "]", "left_square_bracket": "[",
             "escape": "Escape", "enter": "Enter", "delete": "Delete", "tab": "Tab"}
    return ", ".join(names.get(k, k) for k in key.split(","))


def key_list():
    """(section, [(key, description)]) for every screen, from the bindings themselves."""
    from .app import AdviserApp
    from .case_screen import CaseScreen
    from .composer import Composer
    from .admin_screen import AdvisersScreen
    from .audit_screen import AuditScreen
    from .closures_screen import ClosuresScreen
    from .inbox_screen import InboxScreen
    from .patterns_screen import PatternsScreen

    sections = [
        ("Everywhere", AdviserApp.BINDINGS),
        ("Inbox", InboxScreen.BINDINGS + [Binding("up,down,k,j", "", "Move"),
                                          Binding("pageup,pagedown", "", "A screenful up or down"),
                                          Binding("home,end", "", "First or last case on the page"),
                                          Binding("left,right", "", "Scroll sideways (narrow terminals)")]),
        ("Case", CaseScreen.BINDINGS + [Binding("up,down,pageup,pagedown,home,end", "", "Scroll the case")]),
        ("Writing a reply or note", Composer.BINDINGS),
        ("Lists (patterns, audit trail, accounts, closures)", [Binding("up,down", "", "Move"),
                                                               Binding("pageup,pagedown", "", "A screenful up or down"),
                                                               Binding("home,end", "", "First or last row")]),
        ("Patterns (p)", PatternsScreen.BINDINGS),
        ("Audit trail (u, admins)", AuditScreen.BINDINGS),
        ("Adviser accounts (m, admins)", AdvisersScreen.BINDINGS),
        ("Closure periods (c, admins)", ClosuresScreen.BINDINGS),
    ]
    # A screen's binding to an app action only shows an "Everywhere" key in its footer: listed once, there.
    return [(title, [(_key_name(b.key), b.description) for b in bindings
                     if b.description and not (title != "Everywhere" and b.action.startswith("app."))])
            for title, bindings in sections]


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        sections = key_list()
        width = max(len(key) for _, keys in sections for key, _ in keys)  # one column, however long a key list
        parts = [("Keys", "bold underline"), "\n"]
        for title, keys in sections:
            parts += ["\n", (title, "bold"), "\n"]
            parts += [f"  {key:<{width}}  {description}\n" for key, description in keys]
        parts += ["\n", "Idle for 10 minutes locks the app; your password unlocks it.", "\n", "Escape closes this list."]
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(Content.assemble(*parts), id="help-text")

    def action_close(self):
        self.dismiss()
