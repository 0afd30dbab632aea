"""What the admin screens share: a title, a table, a worker that loads it, actions that reload it.

The store checks every right again (``store.access``); a refusal closes the
screen with the store's sentence, e.g. for an admin demoted meanwhile.
"""

from textual import on, work
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from store.errors import PermissionDenied

from . import gateway


class AdminScreen(Screen):
    BINDINGS = [
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("escape", "back", "Inbox"),
    ]

    class Loaded(Message):
        def __init__(self, outcome):
            super().__init__()
            self.outcome = outcome

    class Acted(Message):
        def __init__(self, outcome, success):
            super().__init__()
            self.outcome = outcome
            self.success = success

    loaded_once = False

    def load(self):
        self._fetch()

    def fetch(self):
        """The gateway call that loads the screen (runs in a worker): returns an Outcome."""
        raise NotImplementedError

    def show(self, value):
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="admin-load")
    def _fetch(self):
        outcome = self.fetch()
        if not get_current_worker().is_cancelled:
            self.app.report_database(outcome, self)
            self.post_message(self.Loaded(outcome))

    @on(Loaded)
    def _loaded(self, message):
        outcome = message.outcome
        if not outcome.ok:
            if isinstance(outcome.exception, PermissionDenied):
                self.notify(outcome.error, title="For administrators", severity="warning", markup=False)
                self.app.pop_screen()
            else:
                self.notify(gateway.error_text(outcome), severity="error", markup=False)
            return
        self.loaded_once = True
        self.show(outcome.value)

    def act(self, call, args, success):
        self._act(call, args, success)

    @work(thread=True, group="admin-action")
    def _act(self, call, args, success):
        outcome = gateway.attempt(call, *args)
        self.app.report_database(outcome, self)
        self.post_message(self.Acted(outcome, success))

    @on(Acted)
    def _acted(self, message):
        if message.outcome.ok:
            self.notify(message.success, markup=False)
        else:
            self.notify(gateway.error_text(message.outcome), severity="error", markup=False)
        self.load()

    def title_content(self, title, hint):
        return Content.assemble((title, "bold"), f"  ·  {hint}")

    def action_reload(self):
        self.load()

    def action_back(self):
        self.app.pop_screen()
