"""``AdminScreen``, what the admin screens share: a title, a list loaded by a store call, actions that reload it.

The store checks every right again (``store.access``); a refusal closes the
screen with the store's sentence, e.g. for an admin demoted meanwhile.
"""

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen

from store.errors import PermissionDenied

from .. import gateway
from ..store_calls import run_store_call


class AdminScreen(Screen):
    BINDINGS = [
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("escape", "back", "Inbox"),
    ]

    loaded_once = False

    def load(self):
        call, args = self.fetch()
        run_store_call(self, call, *args, then=self._loaded, group="admin-load")

    def fetch(self):
        """What loads the screen: (a store call, its arguments)."""
        raise NotImplementedError

    def show(self, value):
        raise NotImplementedError

    def _loaded(self, outcome):
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
        """Run a store call that changes something; say ``success`` (or why not) and reload."""
        run_store_call(
            self, call, *args, then=lambda outcome: self._acted(outcome, success), group="admin-action", exclusive=False
        )

    def _acted(self, outcome, success):
        if outcome.ok:
            self.notify(success, markup=False)
        else:
            self.notify(gateway.error_text(outcome), severity="error", markup=False)
        self.load()

    def title_content(self, title, hint):
        return Content.assemble((title, "bold"), f"  ·  {hint}")

    def action_reload(self):
        self.load()

    def action_back(self):
        self.app.pop_screen()
