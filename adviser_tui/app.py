"""The adviser app: ``AdviserApp`` and ``run`` (what ``tellus adviser`` calls).

The app receives the loaded config and the database URL; the database is
opened by ``run`` before the terminal is taken over (so a bad URL is one
sentence on stderr), and every query afterwards runs in a thread worker.
"""

import gc
import time

from textual import events, on
from textual.app import App
from textual.binding import Binding

from store import open_database
from store.clock import utcnow

from . import messages
from .help_screen import HelpScreen
from .login_screen import LoginScreen

IDLE_LOCK_SECONDS = 10 * 60
_settled = False


def settle_memory():
    """Once per process, after the inbox first paints: stop the collector rescanning what lives for good.

    A full collection walks every tracked object; with Textual, numpy and the holiday calendars loaded
    that took about 80 ms here, and it came round every second or two while keys were pressed, so a
    cursor move now and then waited for it. ``gc.freeze`` moves everything alive at this point (modules,
    styles, caches) out of its sight; objects made later are collected as usual.
    """
    global _settled
    if not _settled:
        _settled = True
        gc.collect()  # first, so no garbage is frozen with the rest
        gc.freeze()


class AdviserApp(App):
    CSS_PATH = ["global.tcss", "app.tcss"]
    TITLE = "Tellus adviser"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        # Works everywhere; shown in the inbox's footer only, so the case screen's footer has room for its scroll keys.
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
        Binding("ctrl+l", "lock", "Lock", priority=True),
        Binding("question_mark", "help", "Keys"),
    ]

    def __init__(self, config, database_url, *, idle_seconds=IDLE_LOCK_SECONDS, poll_seconds=1.0, page_size=100,
                 signed_in=None, clock=utcnow):
        """``signed_in``: an Adviser to start at the inbox without the login form (tests, benchmarks).

        ``clock``: what "now" is (naive UTC), for ages, due dates and read times; a fixed one keeps snapshots still.
        """
        super().__init__()
        self.config = config
        self.clock = clock
        self.database_url = database_url
        self.idle_seconds = idle_seconds
        self.poll_seconds = poll_seconds
        self.page_size = page_size
        self.adviser = None
        self._signed_in = signed_in
        self._last_key = time.monotonic()
        self._database_trouble = False

    def on_mount(self):
        if self._signed_in is not None:
            from .inbox_screen import InboxScreen

            self.adviser = self._signed_in
            self.push_screen(InboxScreen())
        else:
            self.push_screen(LoginScreen())
        self.set_interval(max(min(self.idle_seconds / 4, 5.0), 0.05), self._check_idle)

    # Idle lock -----------------------------------------------------------

    async def on_event(self, event):
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_key = time.monotonic()
        await super().on_event(event)

    def _check_idle(self):
        if self.adviser is not None and time.monotonic() - self._last_key >= self.idle_seconds:
            self.action_lock()

    @property
    def locked(self):
        return isinstance(self.screen, LoginScreen)

    def action_lock(self):
        """Hide everything behind a password prompt for the same adviser."""
        if self.adviser is None or any(isinstance(s, LoginScreen) for s in self.screen_stack):
            return
        self.push_screen(LoginScreen(locked_for=self.adviser))

    def action_help(self):
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def refresh_pattern_count(self):
        """Recount the inbox header's active patterns now (not only every minute)."""
        from .oversight import OversightBar

        for screen in self.screen_stack:
            for bar in screen.query(OversightBar):
                bar.refresh_now()

    # Results from workers --------------------------------------------------

    @on(messages.LoggedIn)
    def logged_in(self, message):
        from .inbox_screen import InboxScreen

        self._last_key = time.monotonic()
        unlocking = self.adviser is not None
        self.adviser = message.adviser
        if unlocking:
            self.pop_screen()
        else:
            self.switch_screen(InboxScreen())

    @on(messages.DatabaseTrouble)
    def database_trouble(self, message):
        if not self._database_trouble:
            self._database_trouble = True
            self.notify(message.text, title="Database", severity="warning", markup=False, timeout=8)

    @on(messages.DatabaseRecovered)
    def database_recovered(self):
        if self._database_trouble:
            self._database_trouble = False
            self.notify("The database is answering again.", title="Database", markup=False)

    def report_database(self, outcome, source):
        """Called by screens after every worker result, to track database health."""
        if outcome.unavailable:
            source.post_message(messages.DatabaseTrouble(outcome.error))
        elif self._database_trouble:
            source.post_message(messages.DatabaseRecovered())


def make_app(config, database_url, **options):
    return AdviserApp(config, database_url, **options)


def run(config, database_url):
    """Open the database, then run the app until the adviser quits."""
    open_database(database_url)
    make_app(config, database_url).run()
