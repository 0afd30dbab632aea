"""The inbox's oversight line and the way to the oversight screens.

``OversightBar`` shows how many patterns are active (every adviser, over the
cases they may see) and, for admins, when e-mail notifications are failing.
Both are computed in a thread worker every ``INTERVAL`` seconds and on
demand (``refresh_now``), never on the inbox's one-second poll: grouping
100,000 reports takes about two seconds.
"""

from textual import on, work
from textual.content import Content
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from . import gateway, safe

PATTERN_WINDOW = 90  # days, for the header count
ADMIN_SCREENS = {
    "audit": "browse the audit trail",
    "advisers": "manage adviser accounts",
    "closures": "manage closure periods",
    "stats": "see statistics",
}


class OversightBar(Static):
    INTERVAL = 60.0
    FALLBACK_START = 5.0  # seconds: count even if the inbox never loads

    class Counted(Message):
        def __init__(self, patterns, mail):
            super().__init__()
            self.patterns = patterns  # Outcome of pattern_count
            self.mail = mail  # Outcome of delivery_problem, or None for advisers

    def __init__(self, **kwargs):
        super().__init__(Content("Patterns: counting…"), **kwargs)
        self.count = None
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
        self._count(self.app.config, self.app.adviser, self.app.clock())

    @work(thread=True, exclusive=True, group="oversight")
    def _count(self, config, adviser, now):
        patterns = gateway.attempt(gateway.pattern_count, config, adviser, now)
        mail = gateway.attempt(gateway.delivery_problem, adviser) if adviser.is_admin else None
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(patterns, mail))

    @on(Counted)
    def counted(self, message):
        if message.patterns.ok:
            self.count = message.patterns.value
        if message.mail is not None and message.mail.ok:
            self.mail_problem = message.mail.value
        parts = []
        if self.count is None:
            parts.append("Patterns: not counted yet")
        elif self.count:
            plural = "s" if self.count != 1 else ""
            parts.append((f"▲ {self.count} pattern{plural} to act on", "bold red"))
            parts.append(f" in the last {PATTERN_WINDOW} days (p)")
        else:
            parts.append(f"No patterns to act on in the last {PATTERN_WINDOW} days (p)")
        if self.mail_problem:
            parts.append(("   ✉ ", "bold red"))
            parts.append((safe.line(self.mail_problem, 300), "bold red"))  # quotes the mail server: cleaned
        self.update(Content.assemble(*parts))


def open_admin_screen(app, which):
    """Push one of the admin screens, or tell an adviser plainly that it is for administrators."""
    if not app.adviser.is_admin:
        app.notify(f"Only administrators can {ADMIN_SCREENS[which]}.", title="For administrators",
                   severity="warning", markup=False)
        return
    if which == "audit":
        from .audit_screen import AuditScreen as screen
    elif which == "advisers":
        from .admin_screen import AdvisersScreen as screen
    elif which == "closures":
        from .closures_screen import ClosuresScreen as screen
    else:
        from .stats_screen import StatsScreen as screen
    app.push_screen(screen())
