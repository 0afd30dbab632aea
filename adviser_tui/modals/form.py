"""A small form in a modal (new account, password reset, closure period).

``submit(values)`` is a store call (``store_calls``): it runs in a thread
worker with the form's values. A failure is shown inside the form (which stays
open, keeping what was typed); success dismisses with ``(True, what submit
returned)``, cancel with ``(False, None)``.
"""

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from .. import gateway, inert
from ..store_calls import run_store_call


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
            yield Static(inert.line_content(self.title_text, style="bold"), id="form-title")
            for field in self.fields:
                if field.checkbox:
                    yield Checkbox(inert.line_content(field.label), id=f"field-{field.name}", compact=True)
                else:
                    yield Static(inert.line_content(field.label))
                    yield Input(
                        placeholder=field.placeholder,
                        password=field.password,
                        max_length=field.max_length,
                        id=f"field-{field.name}",
                        compact=True,
                    )
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
        self.query_one("#form-error", Static).update(inert.content(text))

    def on_input_submitted(self):
        self.action_submit()

    def action_submit(self):
        if self.busy:
            return
        self.busy = True
        self.show_error("Saving…")
        run_store_call(self, self.submit, self.values(), then=self._done, group="form")

    def _done(self, outcome):
        self.busy = False
        if outcome.ok:
            self.dismiss((True, outcome.value))
        else:
            self.show_error(gateway.error_text(outcome))

    def action_cancel(self):
        self.dismiss((False, None))
