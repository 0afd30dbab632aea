"""Writing a reply or an internal note: a multi-line editor in a modal."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from .. import gateway, inert
from ..store_calls import run_store_call
from .confirm import ConfirmModal

KINDS = {
    "reply": ("Reply to the reporter", "The reporter sees this the next time they check with their code.", "reply"),
    "note": ("Internal note", "Advisers only: never shown to the reporter.", "note"),
}


class Composer(ModalScreen[bool]):
    """``send(text)`` is a store call (``store_calls``) that saves the text; dismisses True once it has."""

    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, kind, reference, send):
        super().__init__()
        self.kind = kind
        self.reference = reference
        self.send = send
        self.sending = False

    def compose(self) -> ComposeResult:
        title, hint, _ = KINDS[self.kind]
        with Vertical(id="composer-box", classes=f"dialog {self.kind}"):
            yield Static(Content.assemble((title, "bold"), f" · {inert.line(self.reference, 16)}"), id="composer-title")
            yield Static(Content(hint), classes="hint")
            yield TextArea(id="composer-body", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="composer-error")
        yield Footer()

    def on_mount(self):
        self.query_one(TextArea).focus()

    @property
    def text(self):
        return self.query_one(TextArea).text

    def show_error(self, text):
        self.query_one("#composer-error", Static).update(inert.content(text))

    def action_send(self):
        if self.sending:
            return
        what = KINDS[self.kind][2]
        if not self.text.strip():
            self.show_error(f"Nothing was sent: write a {what} first.")
            return
        self.sending = True
        self.show_error("Sending…")
        run_store_call(self, self.send, self.text, then=self._sent, group="composer")

    def _sent(self, outcome):
        self.sending = False
        if outcome.ok:
            self.dismiss(True)
        else:
            self.show_error("Not sent: " + gateway.error_text(outcome))

    def action_cancel(self):
        if not self.text.strip():
            self.dismiss(False)
            return
        what = KINDS[self.kind][2]

        def answered(discard):
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmModal(f"Discard this {what}? What you typed will be lost.", "Discard", "Keep writing"), answered
        )
