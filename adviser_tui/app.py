"""The adviser app: ``AdviserApp`` and ``run`` (what ``tellus adviser`` calls).

The app receives the loaded config and the database URL; the database is
opened by ``run`` before the terminal is taken over (so a bad URL is one
sentence on stderr), and every query afterwards runs in a thread worker
(``store_calls``).

The app is the one module that knows every screen: screens open each other by
name (``app.show_screen("case", report_id, reference)``) and never import one
another, so the layers import downwards only (app → screens → modals →
widgets → gateway, inert, formatting; tests/tui/test_layout.py checks it).
"""

import dataclasses
import os
import sys
import time

from textual import events, on
from textual.app import App
from textual.binding import Binding

from store import open_database
from store.clock import utcnow

from . import gateway, inert, messages, terminal_graphics
from .modals.composer import Composer
from .screens.advisers import AdvisersScreen
from .screens.audit import AuditScreen
from .screens.case import CaseScreen
from .screens.closures import ClosuresScreen
from .screens.help import HelpScreen
from .screens.inbox import InboxScreen
from .screens.login import LoginScreen
from .screens.patterns import PatternsScreen
from .screens.stats import StatsScreen
from .store_calls import run_store_call
from .widgets.oversight_bar import OversightBar

IDLE_LOCK_SECONDS = 10 * 60

# What only administrators may open, completing "Only administrators can …".
ADMIN_SCREENS = {
    "audit": "browse the audit trail",
    "advisers": "manage adviser accounts",
    "closures": "manage closure periods",
    "stats": "see statistics",
}


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

    # Every screen, by the name screens open it with (``show_screen``).
    SCREEN_TYPES = {
        "login": LoginScreen,
        "inbox": InboxScreen,
        "case": CaseScreen,
        "patterns": PatternsScreen,
        "audit": AuditScreen,
        "advisers": AdvisersScreen,
        "closures": ClosuresScreen,
        "stats": StatsScreen,
    }

    def __init__(
        self,
        config,
        database_url,
        *,
        idle_seconds=IDLE_LOCK_SECONDS,
        poll_seconds=1.0,
        page_size=100,
        signed_in=None,
        clock=utcnow,
        graphics=None,
    ):
        """``signed_in``: an Adviser to start at the inbox without the login form (tests, benchmarks).

        ``graphics``: how pictures are drawn (``terminal_graphics.choose``, which ``run`` calls before the app
        takes the terminal); by default what the configuration forces, and half-blocks for "auto".

        ``clock``: what "now" is (naive UTC), for ages, due dates and read times; a fixed one keeps snapshots still.
        """
        super().__init__()
        self.config = config
        self.clock = clock
        self.graphics = graphics or terminal_graphics.forced(config.evidence_graphics)
        self.database_url = database_url
        self.idle_seconds = idle_seconds
        self.poll_seconds = poll_seconds
        self.page_size = page_size
        self.adviser = None
        self._signed_in = signed_in
        self._last_key = time.monotonic()
        self._database_trouble = False
        self._held = []  # notifications kept back while the app is locked: (message, title, severity, timeout)

    def on_mount(self):
        if self._signed_in is not None:
            self.adviser = self._signed_in
            self.show_screen("inbox")
        else:
            self.show_screen("login")
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
        """A signed-in adviser's work is hidden behind the lock screen."""
        return self.adviser is not None and any(isinstance(s, LoginScreen) for s in self.screen_stack)

    def check_action(self, action, parameters):
        if action == "lock" and (self.adviser is None or self.locked):
            return False  # nothing to lock (not signed in, or locked already): not offered in the footer
        return True

    def action_lock(self):
        """Hide everything behind a password prompt for the same adviser, toasts included."""
        if self.locked:
            return
        self.show_screen("login", locked_for=self.adviser)
        for shown in list(self._notifications):
            if not shown.has_expired:
                self._held.append((shown.message, shown.title, shown.severity, shown.time_left))
        self.clear_notifications()

    # Notifications ---------------------------------------------------------------

    HELD_SHOWN = 3  # after unlocking, the latest few held notices, and a count of the rest

    def notify(self, message, *, title="", severity="information", timeout=None, markup=False):
        """Every toast of the app: cleaned literal text (never markup), and none over the lock screen.

        A toast can quote a reporter ("TL-4N35QZ: I was followed…"), so while the app is
        locked it is held back and said after unlocking (``_say_held``).
        """
        message, title = inert.clean(message), inert.line(title, 60)
        timeout = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        if self.locked:
            self._held.append((message, title, severity, timeout))
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _say_held(self):
        held, self._held = self._held, []
        if len(held) > self.HELD_SHOWN:
            more = len(held) - self.HELD_SHOWN
            self.notify(
                f"{more} more notice{'s' if more != 1 else ''} came while the app was locked.", title="While locked"
            )
        for message, title, severity, timeout in held[-self.HELD_SHOWN :]:
            self.notify(message, title=title, severity=severity, timeout=max(timeout, 3))

    # Screens ---------------------------------------------------------------------

    def show_screen(self, name, *args, **kwargs):
        """Open the screen called ``name`` (``SCREEN_TYPES``) over the current one."""
        self.push_screen(self.SCREEN_TYPES[name](*args, **kwargs))

    def open_admin(self, which):
        """Open one of the admin screens, or tell an adviser plainly that it is for administrators.

        The store checks the right again when the screen loads (an admin may have been demoted).
        """
        if not self.adviser.is_admin:
            self.notify(
                f"Only administrators can {ADMIN_SCREENS[which]}.",
                title="For administrators",
                severity="warning",
                markup=False,
            )
            return
        self.show_screen(which)

    def key_sections(self):
        """Every screen's keys for the help screen: (title, bindings), "Everywhere" first."""
        return [
            ("Everywhere", self.BINDINGS),
            (
                "Inbox",
                InboxScreen.BINDINGS
                + [
                    Binding("up,down,k,j", "", "Move"),
                    Binding("pageup,pagedown", "", "A screenful up or down"),
                    Binding("home,end", "", "First or last case on the page"),
                    Binding("left,right", "", "Scroll sideways (narrow terminals)"),
                ],
            ),
            (
                "Case",
                [
                    # The footer's short "Export" is shown to admins only; the list is everyone's.
                    dataclasses.replace(b, description="Export a case bundle (admins)") if b.action == "export" else b
                    for b in CaseScreen.BINDINGS
                ]
                + [Binding("up,down,pageup,pagedown,home,end", "", "Scroll the case")],
            ),
            ("Writing a reply or note", Composer.BINDINGS),
            (
                "Lists (patterns, audit trail, accounts, closures)",
                [
                    Binding("up,down", "", "Move"),
                    Binding("pageup,pagedown", "", "A screenful up or down"),
                    Binding("home,end", "", "First or last row"),
                ],
            ),
            ("Patterns (p)", PatternsScreen.BINDINGS),
            ("Audit trail (u, admins)", AuditScreen.BINDINGS),
            ("Adviser accounts (m, admins)", AdvisersScreen.BINDINGS),
            ("Closure periods (c, admins)", ClosuresScreen.BINDINGS),
        ]

    def action_help(self):
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections()))

    def refresh_pattern_count(self):
        """Recount the inbox header's active patterns now (not only every minute)."""
        for screen in self.screen_stack:
            for bar in screen.query(OversightBar):
                bar.refresh_now()

    # Results from workers --------------------------------------------------

    @on(messages.LoggedIn)
    def logged_in(self, message):
        self._last_key = time.monotonic()
        unlocking = self.adviser is not None
        self.adviser = message.adviser
        if unlocking:
            self.pop_screen()
            self._say_held()
        else:
            self.switch_screen(self.SCREEN_TYPES["inbox"]())
        if self.adviser.is_admin:
            # Cases this admin holds, sealed to whoever may see them but has no key yet; old replies
            # and notes re-sealed naming their advisers.
            run_store_call(self, gateway.share_keys, self.adviser, self.config, then=lambda _o: None, group="keys")
            run_store_call(self, gateway.unconfirmed_count, self.adviser, then=self._say_unconfirmed, group="roster")
            run_store_call(
                self, gateway.recovery_problem, self.adviser, then=self._say_recovery_problem, group="recovery"
            )

    def _say_unconfirmed(self, outcome):
        if not outcome.ok and not outcome.unavailable:
            # The roster cannot be checked (its pin file missing, damaged or untrusted): the web process refuses
            # every report meanwhile, so the admin hears of it now, not when reports stop coming.
            self.notify(outcome.error, title="Roster", severity="error", markup=False, timeout=30)
        elif outcome.ok and outcome.value:
            count = outcome.value
            self.notify(
                f"{count} account{'s' if count != 1 else ''} wait{'' if count != 1 else 's'} for you to confirm them "
                "(x, Adviser accounts, then c on each): no case is sealed to an unconfirmed account.",
                title="Advisers",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def _say_recovery_problem(self, outcome):
        # A recovery key new reports are not sealed to shows nowhere else until it is needed. (A roster that cannot
        # be checked at all is said by _say_unconfirmed, from the same error.)
        if outcome.ok and outcome.value:
            self.notify(outcome.value, title="Recovery key", severity="warning", markup=False, timeout=30)

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
        """Called from every store call's worker (``store_calls``), to track database health."""
        if outcome.unavailable:
            source.post_message(messages.DatabaseTrouble(outcome.error))
        elif self._database_trouble:
            source.post_message(messages.DatabaseRecovered())


def make_app(config, database_url, **options):
    return AdviserApp(config, database_url, **options)


def run(config, database_url):
    """Open the database, ask the terminal how it draws pictures, then run the app until the adviser quits."""
    open_database(database_url)
    graphics = terminal_graphics.choose(config.evidence_graphics, os.environ, sys.stdin, sys.stdout)
    terminal_graphics.prepare_colours(graphics, os.environ)
    make_app(config, database_url, graphics=graphics).run()
