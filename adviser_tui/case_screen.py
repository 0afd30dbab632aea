"""One case: details, the thread with notes interleaved, and the case work keys."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from store.config import ROLES
from store.errors import NotFound, PermissionDenied
from store.models import STATUSES

from . import gateway, safe
from .choice_modal import ChoiceModal
from .composer import Composer
from .formatting import OVERDUE_MARK, when
from .inbox_screen import TitleBar


class ThreadEntry(Static):
    """One message or note; the classes say which (reporter, adviser, note)."""


class CaseScreen(Screen):
    BINDINGS = [
        Binding("r", "reply", "Reply"),
        Binding("n", "note", "Note"),
        Binding("s", "status", "Status"),
        Binding("a", "assign", "Assign"),
        Binding("escape", "back", "Inbox"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    class Loaded(Message):
        def __init__(self, outcome, reason):
            super().__init__()
            self.outcome = outcome
            self.reason = reason  # "open" | "refresh" | "action"

    class Changed(Message):
        pass

    class Done(Message):
        """A case action (status, assignment) finished."""

        def __init__(self, outcome, success):
            super().__init__()
            self.outcome = outcome
            self.success = success

    class AdvisersListed(Message):
        def __init__(self, outcome):
            super().__init__()
            self.outcome = outcome

    def __init__(self, report_id, reference=""):
        super().__init__()
        self.report_id = report_id
        self.reference = reference
        self.view = None
        self._fingerprint = None
        self._gone = None  # the sentence to show once we can leave
        self._polling = False
        self._expected_assignee = None

    def compose(self) -> ComposeResult:
        yield TitleBar(Content(f"Case {self.reference}  ·  loading…"), id="case-title")
        with VerticalScroll(id="case-body"):
            yield Static(id="details")
            yield Static(id="description")
            yield Static(id="read-state")
            yield Vertical(id="thread")
        yield Footer()

    def on_mount(self):
        self.query_one("#case-body").focus()
        self._load("open")
        self.set_interval(max(self.app.poll_seconds, 0.2), self.poll)

    def on_screen_resume(self):
        if self._gone:
            self._leave()

    # Loading --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="case-load")
    def _load(self, reason):
        call = gateway.open_case if reason == "open" else gateway.refresh_case
        outcome = gateway.attempt(call, self.report_id, self.app.adviser, self.app.config)
        fingerprint = (gateway.attempt(gateway.case_fingerprint, self.report_id, self.app.adviser, self.app.config)
                       if outcome.ok else None)
        if not get_current_worker().is_cancelled:
            self.app.report_database(outcome, self)
            if fingerprint is not None and fingerprint.ok:
                self._fingerprint = fingerprint.value
            self.post_message(self.Loaded(outcome, reason))

    def poll(self):
        if self._polling or self._gone or self.view is None:
            return
        self._polling = True
        self._poll()

    @work(thread=True, exclusive=True, group="case-poll")
    def _poll(self):
        outcome = gateway.attempt(gateway.case_fingerprint, self.report_id, self.app.adviser, self.app.config)
        self._polling = False
        if get_current_worker().is_cancelled:
            return
        self.app.report_database(outcome, self)
        if isinstance(outcome.exception, (NotFound, PermissionDenied)):
            self.post_message(self.Loaded(outcome, "refresh"))
        elif outcome.ok and outcome.value != self._fingerprint:
            self._fingerprint = outcome.value
            self.post_message(self.Changed())

    @on(Changed)
    def changed(self):
        self._load("refresh")

    @on(Loaded)
    async def loaded(self, message):
        outcome = message.outcome
        if not outcome.ok:
            if isinstance(outcome.exception, (NotFound, PermissionDenied)):
                self.gone(outcome.error)
            elif outcome.unavailable:
                if self.view is None:
                    self.query_one("#details", Static).update(Content(outcome.error))
                    self.set_timer(2 * self.app.poll_seconds, lambda: self._load(message.reason))
            else:
                self.notify(outcome.error, severity="error", markup=False)
            return
        previous = self.view
        self.view = outcome.value
        if previous is not None and message.reason == "refresh":
            self._announce_changes(previous, self.view)
        await self._show(scroll_to_end=previous is not None and message.reason != "open")

    def _announce_changes(self, before, after):
        if before.report.assignee_id != after.report.assignee_id and after.report.assignee_id != self._expected_assignee:
            name = after.assignee_name or "nobody"
            self.notify(f"This case is now assigned to {safe.line(name, 40)}.", title="Assignment changed",
                        markup=False)
        if before.report.status != after.report.status:
            self.notify(f"This case's status is now {after.report.status}.", title="Status changed", markup=False)
        new = len([i for i in after.items if i.kind == "message" and i.author == "reporter"]) - len(
            [i for i in before.items if i.kind == "message" and i.author == "reporter"])
        if new > 0:
            self.notify("The reporter sent a new message.", title=self.reference, markup=False)
        self._expected_assignee = None

    def gone(self, text):
        """The case was deleted or taken away: say so and go back to the inbox."""
        if self._gone:
            return
        self._gone = text
        if self.is_current:
            self._leave()

    def _leave(self):
        self.notify(self._gone, title="Case closed to you", severity="warning", markup=False, timeout=8)
        self.app.pop_screen()

    # Showing ------------------------------------------------------------------

    async def _show(self, scroll_to_end=False):
        config = self.app.config
        report = self.view.report
        self.reference = report.reference
        body = self.query_one("#case-body", VerticalScroll)
        at_end = body.scroll_y >= body.max_scroll_y - 1

        title = [(f"Case {report.reference}", "bold"), f"  ·  {report.status}",
                 f"  ·  {'assigned to ' + safe.line(self.view.assignee_name, 30) if self.view.assignee_name else 'unassigned'}"]
        if report.first_response_at is None and report.status != "closed":
            overdue = report.due_on < _today(config)
            due = f"  ·  first response due {report.due_on:%a %d %b}"
            title.append((f"  ·  {OVERDUE_MARK} OVERDUE: was due {report.due_on:%a %d %b}", "bold red") if overdue else due)
        self.query_one("#case-title", TitleBar).update(Content.assemble(*title))

        lines = [
            ("Category   ", "bold"), safe.line(report.category), "\n",
            ("Reporter   ", "bold"),
            f"{'anonymous' if report.way == 'anonymous' else 'named'} · {ROLES.get(report.role, report.role)}"
            f" · support wanted: {'yes' if report.wants_support else 'no'}"
            f" · conversation: {'yes' if report.two_way else 'no (replies cannot reach them)'}", "\n",
            ("Received   ", "bold"), when(report.created_at, config), "\n",
            ("Deletion   ", "bold"), _purge_text(self.view.purge_on, report), "\n",
        ]
        for label, value in (("When       ", report.occurred), ("Where      ", report.location),
                             ("People     ", report.people)):
            if value:
                lines += [(label, "bold"), safe.clean(value), "\n"]
        if report.way == "named":
            contact = " · ".join(safe.line(v) for v in (report.contact_name, report.contact_email, report.contact_phone) if v)
            lines += [("Contact    ", "bold"), contact or "(none given)", "\n"]
        self.query_one("#details", Static).update(Content.assemble(*lines).rstrip())
        self.query_one("#description", Static).update(
            Content.assemble(("What happened", "bold underline"), "\n", safe.clean(report.description))
        )
        self.query_one("#read-state", Static).update(Content(self._read_state()))

        thread = self.query_one("#thread", Vertical)
        await thread.remove_children()
        await thread.mount_all([self._entry(item) for item in self.view.items])
        if scroll_to_end and at_end:
            body.call_after_refresh(body.scroll_end, animate=False)

    def _read_state(self):
        report = self.view.report
        if not report.two_way:
            return "No conversation: this reporter did not choose two-way messaging."
        replies = [i for i in self.view.items if i.kind == "message" and i.author == "adviser"]
        if not replies:
            return "No reply yet. Press r to write one."
        last = replies[-1]
        if last.read_at is None:
            return "○ The reporter has not read your latest reply yet."
        return f"✓ The reporter read the latest reply on {when(last.read_at, self.app.config)}."

    def _entry(self, item):
        config = self.app.config
        stamp = when(item.created_at, config)
        if item.kind == "note":
            head = (f"INTERNAL NOTE · {safe.line(item.adviser_name or 'an adviser', 40)} · {stamp} · never shown to the reporter", "bold")
            classes, marker = "note", ""
        elif item.author == "reporter":
            head = (f"Reporter · {stamp}", "bold")
            classes = "from-reporter"
            marker = f"✓ read by advisers {when(item.read_at, config)}" if item.read_at else "● unread"
        else:
            head = (f"{safe.line(item.adviser_name or 'Adviser', 40)} (adviser) · {stamp}", "bold")
            classes = "from-adviser"
            marker = (f"✓ read by the reporter {when(item.read_at, config)}" if item.read_at
                      else "○ not read by the reporter yet")
        parts = [head, "\n", safe.clean(item.body)]
        if marker:
            parts += ["\n", (marker, "italic")]
        return ThreadEntry(Content.assemble(*parts), classes=f"entry {classes}")

    # Actions ------------------------------------------------------------------

    def action_back(self):
        self.app.pop_screen()

    def action_reload(self):
        self._load("refresh")

    def _after_compose(self, what):
        def done(sent):
            if sent:
                self.notify(f"{what} saved." if what == "Note" else "Reply sent.", markup=False)
            self._load("refresh")
        return done

    def action_reply(self):
        if self.view is None:
            return
        if not self.view.report.two_way:
            self.notify("This reporter did not choose two-way messaging, so a reply cannot reach them. "
                        "Use n for an internal note.", severity="warning", markup=False)
            return
        adviser, report_id, config = self.app.adviser, self.report_id, self.app.config
        self.app.push_screen(
            Composer("reply", self.reference,
                     lambda text: gateway.attempt(gateway.reply, report_id, adviser, text, config)),
            self._after_compose("Reply"),
        )

    def action_note(self):
        if self.view is None:
            return
        adviser, report_id, config = self.app.adviser, self.report_id, self.app.config
        self.app.push_screen(
            Composer("note", self.reference,
                     lambda text: gateway.attempt(gateway.note, report_id, adviser, text, config)),
            self._after_compose("Note"),
        )

    def action_status(self):
        if self.view is None:
            return
        choices = [(status, status) for status in STATUSES]

        def chosen(answer):
            picked, status = answer
            if picked and status != self.view.report.status:
                self._act(gateway.set_status, (self.report_id, self.app.adviser, status, self.app.config),
                          f"Status set to {status}.")

        self.app.push_screen(ChoiceModal(f"Status of {self.reference}", choices, self.view.report.status), chosen)

    def action_assign(self):
        if self.view is not None:
            self._list_advisers()

    @work(thread=True, exclusive=True, group="case-advisers")
    def _list_advisers(self):
        outcome = gateway.attempt(gateway.active_advisers)
        if not get_current_worker().is_cancelled:
            self.post_message(self.AdvisersListed(outcome))

    @on(AdvisersListed)
    def advisers_listed(self, message):
        if not message.outcome.ok:
            self.notify(message.outcome.error, severity="error", markup=False)
            return
        me = self.app.adviser
        choices = [(f"Me ({me.display_name})", me.username), ("Nobody (unassigned)", None)]
        choices += [(f"{a.display_name} ({a.username})", a.username) for a in message.outcome.value if a.id != me.id]
        current_id = self.view.report.assignee_id
        current = next((a.username for a in message.outcome.value if a.id == current_id), None)

        def chosen(answer):
            picked, username = answer
            if not picked:
                return
            target = next((a for a in message.outcome.value if a.username == username), None)
            self._expected_assignee = target.id if target else None
            label = f"Assigned to {target.display_name}." if target else "Now unassigned."
            self._act(gateway.assign, (self.report_id, me, username, self.app.config), label)

        self.app.push_screen(ChoiceModal(f"Assign {self.reference} to", choices, current), chosen)

    @work(thread=True, group="case-action")
    def _act(self, call, args, success):
        outcome = gateway.attempt(call, *args)
        self.app.report_database(outcome, self)
        self.post_message(self.Done(outcome, success))

    @on(Done)
    def done(self, message):
        outcome = message.outcome
        if outcome.ok:
            self.notify(message.success, markup=False)
        elif isinstance(outcome.exception, NotFound) and "no adviser" not in outcome.error:
            self.gone(outcome.error)
            return
        else:
            self.notify(gateway.error_text(outcome), severity="error", markup=False)
        self._load("refresh")


def _purge_text(purge_on, report):
    """When retention will delete the case (store.retention.purge_date), in words."""
    if purge_on is None:
        return "not scheduled (open cases are kept; closing one starts the retention period)"
    why = "after closing" if report.status == "closed" else "the reporter never came back"
    return f"{purge_on:%a %d %b %Y} under the retention policy ({why})"


def _today(config):
    from store.deadlines import today

    return today(config)
