"""A small form in a modal (new account, password reset, closure period).

``submit(values)`` runs in a thread worker and returns a gateway.Outcome; a
failure is shown inside the form (which stays open, keeping what was typed);
success dismisses with ``(True, value)``, cancel with ``(False, None)``.
"""

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static
from textual.worker import get_current_worker

from . import gateway, safe


@dataclass
class Field:
    name: str
    label: str
    password: bool = False
    placeholder: str = ""
    checkbox: bool = False
    max_length: int = 300


class FormModal(ModalScreen):
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    #form-box { width: 64; max-width: 100%; height: auto; }
    #form-box Input { margin: 0; }
    #form-error { height: auto; min-height: 1; color: $error; }
    """
    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    class Done(Message):
        def __init__(self, outcome):
            super().__init__()
            self.outcome = outcome

    def __init__(self, title, fields, submit, hint="Enter or Ctrl+S saves · Escape cancels"):
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit = submit
        self.hint = hint
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog"):
            # Titles and labels may name an account: shown as cleaned literal text.
            yield Static(safe.line_content(self.title_text, style="bold"), id="form-title")
            for field in self.fields:
                if field.checkbox:
                    yield Checkbox(safe.line_content(field.label), id=f"field-{field.name}", compact=True)
                else:
                    yield Static(safe.line_content(field.label))
                    yield Input(placeholder=field.placeholder, password=field.password, max_length=field.max_length,
                                id=f"field-{field.name}", compact=True)
            yield Static("", id="form-error")
            yield Static(Content(self.hint), classes="hint")

    def on_mount(self):
        self.query(Input).first().focus()

    def values(self):
        result = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            result[field.name] = widget.value
        return result

    def show_error(self, text):
        self.query_one("#form-error", Static).update(safe.content(text))

    def on_input_submitted(self):
        self.action_submit()

    def action_submit(self):
        if self.busy:
            return
        self.busy = True
        self.show_error("Saving…")
        self._run(self.values())

    @work(thread=True, exclusive=True, group="form")
    def _run(self, values):
        outcome = self.submit(values)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Done(outcome))

    def on_form_modal_done(self, message):
        self.busy = False
        outcome = message.outcome
        self.app.report_database(outcome, self)
        if outcome.ok:
            self.dismiss((True, outcome.value))
        else:
            self.show_error(gateway.error_text(outcome))

    def action_cancel(self):
        self.dismiss((False, None))
