"""The inbox's oversight line: how many patterns are active and, for admins, whether e-mail is failing.

The pattern count covers the cases the adviser may see. Both are computed in
thread workers every ``INTERVAL`` seconds and on demand (``refresh_now``),
never on the inbox's one-second poll: grouping 100,000 reports takes about
two seconds.
"""

from textual.content import Content
from textual.widgets import Static

from .. import gateway, inert
from ..store_calls import run_store_call

PATTERN_WINDOW = 90  # days, for the header count


class OversightBar(Static):
    INTERVAL = 60.0
    FALLBACK_START = 5.0  # seconds: count even if the inbox never loads

    def __init__(self, **kwargs):
        super().__init__(Content("Patterns: counting…"), **kwargs)
        self.count = None
        self.count_failed = False  # the last count did not come back (the database was not answering)
        self.mail_problem = None
        self.started = False

    def on_mount(self):
        # The first count waits for the inbox's first page (``start``), so the two do not
        # compete for the interpreter while the adviser waits for the inbox to paint.
        self.set_timer(self.FALLBACK_START, self.start)
        self.set_interval(self.INTERVAL, self.refresh_now)

    def start(self):
        """Count now, once: called when the inbox has shown its first page (or after FALLBACK_START)."""
        if not self.started:
            self.started = True
            self.refresh_now()

    def refresh_now(self):
        app = self.app
        run_store_call(
            self, gateway.pattern_count, app.config, app.adviser, app.clock(), then=self._counted, group="oversight"
        )
        if app.adviser.is_admin:
            run_store_call(self, gateway.delivery_problem, app.adviser, then=self._mail_checked, group="oversight-mail")

    def _counted(self, outcome):
        self.count_failed = not outcome.ok
        if outcome.ok:
            self.count = outcome.value
        self._show()

    def _mail_checked(self, outcome):
        if outcome.ok:
            self.mail_problem = outcome.value
        self._show()

    def _show(self):
        parts = []
        if self.count is None:
            parts.append("Patterns: not counted yet" if self.count_failed else "Patterns: counting…")
        elif self.count:
            plural = "s" if self.count != 1 else ""
            parts.append((f"▲ {self.count} pattern{plural} to act on", "bold red"))
            parts.append(f" in the last {PATTERN_WINDOW} days (p)")
        else:
            parts.append(f"No patterns to act on in the last {PATTERN_WINDOW} days (p)")
        if self.mail_problem:
            parts.append(("   ✉ ", "bold red"))
            parts.append((inert.line(self.mail_problem, 300), "bold red"))  # quotes the mail server: cleaned
        self.update(Content.assemble(*parts))
