"""One case: details, what happened, the thread with notes interleaved, and the case work keys.

The whole case scrolls as one ``ThreadView`` (see thread_view.py for why). Read
markers stand with each message: a reporter message says when advisers read
it, an adviser reply when the reporter did. The state line ("No reply yet …")
closes the thread, where the adviser's eye is when they have read it all.
"""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from store.config import ROLES
from store.deadlines import awaiting_first_response, is_overdue
from store.errors import NotFound, PermissionDenied
from store.models import STATUSES

from . import gateway, safe
from .choice_modal import ChoiceModal
from .composer import Composer
from .formatting import OVERDUE_MARK, language_name, when
from .inbox_screen import TitleBar
from .thread_view import Block, ThreadView


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
        def __init__(self, outcome, reason, blocks=None, start_at=None):
            super().__init__()
            self.outcome = outcome
            self.reason = reason  # "open" | "refresh" | "seen" (marked read, then fetched)
            self.blocks = blocks  # the case as ThreadView blocks (built in the worker)
            self.start_at = start_at  # where to start reading (the first unread message), on open

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
        self._blocks = {}  # key → (signature, Block): unchanged parts are not cleaned or wrapped again
        self._fingerprint = None
        self._gone = None  # the sentence to show once we can leave
        self._polling = False
        self._expected_assignee = None

    def compose(self) -> ComposeResult:
        yield TitleBar(safe.line_content(f"Case {self.reference}  ·  loading…"), id="case-title")
        yield ThreadView(id="case-body")
        # Compact, so the scroll keys fit beside the case keys at 80 columns.
        yield Footer(compact=True)

    def on_mount(self):
        self.query_one(ThreadView).focus()
        self._load("open")
        self.set_interval(max(self.app.poll_seconds, 0.2), self.poll)

    def on_screen_resume(self):
        if self._gone:
            self._leave()
        else:
            self._see()  # back on view: after a dialog, the help screen or unlocking

    # Loading --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="case-load")
    def _load(self, reason, up_to=None):
        """Fetch the case; with ``up_to`` ("seen"), first mark read what was on view up to that message."""
        adviser, config = self.app.adviser, self.app.config
        if up_to is not None:
            marked = gateway.attempt(gateway.mark_seen, self.report_id, adviser, config, up_to, self.app.clock())
            if not marked.ok:
                if not get_current_worker().is_cancelled:
                    self.app.report_database(marked, self)
                    self.post_message(self.Loaded(marked, reason))
                return
        call = gateway.open_case if reason == "open" else gateway.refresh_case
        outcome = gateway.attempt(call, self.report_id, adviser, config)
        fingerprint = (gateway.attempt(gateway.case_fingerprint, self.report_id, self.app.adviser, self.app.config)
                       if outcome.ok else None)
        blocks = start_at = None
        if outcome.ok:
            # Cleaning and assembling a long thread is real work: here, off the app's event loop.
            blocks = case_blocks(outcome.value, self.app.config, self.app.clock(), self._blocks)
            start_at = first_unread(outcome.value)
        if not get_current_worker().is_cancelled:
            self.app.report_database(outcome, self)
            if fingerprint is not None and fingerprint.ok:
                self._fingerprint = fingerprint.value
            self.post_message(self.Loaded(outcome, reason, blocks, start_at))

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
    def loaded(self, message):
        outcome = message.outcome
        if not outcome.ok:
            if isinstance(outcome.exception, (NotFound, PermissionDenied)):
                self.gone(outcome.error)
            elif outcome.unavailable:
                if self.view is None:
                    self.query_one(ThreadView).show([Block(("error",), "state", Content(outcome.error))])
                    self.set_timer(2 * self.app.poll_seconds, lambda: self._load(message.reason))
                elif message.reason == "seen":
                    self.set_timer(2 * self.app.poll_seconds, self._see)
            else:
                self.notify(outcome.error, severity="error", markup=False)
            return
        previous = self.view
        self.view = outcome.value
        if previous is not None and message.reason == "refresh":
            self._announce_changes(previous, self.view)
        self._blocks = {block.key: (signature, block) for signature, block in message.blocks}
        self._show_title()
        # Opened: start at the first unread message (or the top); later loads keep the adviser's place.
        start = (message.start_at or ("top",)) if message.reason == "open" else None
        self.query_one(ThreadView).show([block for _, block in message.blocks], start=start)

    @on(ThreadView.Shown)
    def shown(self):
        self._see()

    def _see(self):
        """The case is on view with unread parts: mark read what it shows (and nothing while it is covered)."""
        view = self.view
        if view is None or self._gone or not self.is_active or self.app.locked:
            return
        shown = [i.id for i in view.items if i.kind == "message" and i.author == "reporter"]
        unread = [i for i in view.items if i.kind == "message" and i.author == "reporter" and i.read_at is None]
        if unread or view.report.adviser_read_at is None:
            self._load("seen", up_to=max(shown, default=0))

    def _announce_changes(self, before, after):
        if before.report.assignee_id != after.report.assignee_id and after.report.assignee_id != self._expected_assignee:
            name = after.assignee_name or "nobody"
            self.notify(f"This case is now assigned to {safe.line(name, 40)}.", title="Assignment changed",
                        markup=False)
        if before.report.status != after.report.status:
            self.notify(f"This case's status is now {safe.line(after.report.status, 16)}.", title="Status changed",
                        markup=False)
        new = len([i for i in after.items if i.kind == "message" and i.author == "reporter"]) - len(
            [i for i in before.items if i.kind == "message" and i.author == "reporter"])
        if new > 0:
            self.notify("The reporter sent a new message.", title=safe.line(self.reference, 16), markup=False)
        self._expected_assignee = None

    def gone(self, text):
        """The case was deleted or taken away: say so and go back to the inbox."""
        if self._gone:
            return
        self._gone = text
        if self.is_active:  # else when the case is on top again (a dialog would be popped instead)
            self._leave()

    def _leave(self):
        self.notify(self._gone, title="Case closed to you", severity="warning", markup=False, timeout=8)
        self.app.pop_screen()

    # Showing ------------------------------------------------------------------

    def _show_title(self):
        config = self.app.config
        report = self.view.report
        self.reference = report.reference
        assignee = self.view.assignee_name
        title = [(f"Case {safe.line(report.reference, 16)}", "bold"), f"  ·  {safe.line(report.status, 16)}",
                 f"  ·  {'assigned to ' + safe.line(assignee, 30) if assignee else 'unassigned'}"]
        if awaiting_first_response(report):
            overdue = is_overdue(report, _today(config, self.app.clock()))
            due = f"  ·  first response due {report.due_on:%a %d %b}"
            title.append((f"  ·  {OVERDUE_MARK} OVERDUE: was due {report.due_on:%a %d %b}", "bold red") if overdue else due)
        self.query_one("#case-title", TitleBar).update(Content.assemble(*title))

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


def case_blocks(view, config, now, known):
    """The case as (signature, Block) pairs, top to bottom; ``known``: key → (signature, Block) from before.

    A part whose signature is unchanged keeps its Block (and so its wrapped lines):
    a live refresh cleans and wraps only what is new or changed.
    """
    report = view.report
    parts = [(("details",), _details_signature(view), lambda: _details(view, config)),
             (("description",), report.description, lambda: Content.assemble(
                 ("What happened", "bold underline"), "\n", safe.clean(report.description)))]
    kinds = {"reporter": "reporter", "adviser": "adviser"}
    blocks = []
    for key, signature, make in parts:
        blocks.append(_reuse(known, key, signature, "text", make))
    for item in view.items:
        key = (item.kind, item.id)
        kind = "note" if item.kind == "note" else kinds.get(item.author, "reporter")
        signature = (item.author, item.adviser_name, item.created_at, item.read_at, len(item.body))
        blocks.append(_reuse(known, key, signature, kind, lambda item=item: _entry(item, config)))
    state = _state_line(view)
    blocks.append((state, Block(("state",), "state", Content(state))))
    return blocks


def _reuse(known, key, signature, kind, make):
    before = known.get(key)
    if before is not None and before[0] == signature:
        return before
    return signature, Block(key, kind, make())


def _details_signature(view):
    r = view.report
    return (r.category, r.language, r.way, r.role, r.wants_support, r.two_way, r.created_at, r.occurred, r.location, r.people,
            r.contact_name, r.contact_email, r.contact_phone, r.status, r.closed_at, view.purge_on)


def _reply_in(report):
    """A reminder to answer in the reporter's language, where a conversation lets the reply reach them."""
    if not report.two_way or report.language == "en":
        return ""
    return f" (reply in {safe.line(language_name(report.language), 40)} if you can)"


def _details(view, config):
    report = view.report
    lines = [
        ("Category   ", "bold"), safe.line(config.category_label(report.category)), "\n",
        ("Language   ", "bold"), f"Written in {safe.line(language_name(report.language), 40)}", _reply_in(report), "\n",
        ("Reporter   ", "bold"),
        f"{'anonymous' if report.way == 'anonymous' else 'named'} · {safe.line(ROLES.get(report.role, report.role), 32)}"
        f" · support wanted: {'yes' if report.wants_support else 'no'}"
        f" · conversation: {'yes' if report.two_way else 'no (replies cannot reach them)'}", "\n",
        ("Received   ", "bold"), when(report.created_at, config), "\n",
        ("Deletion   ", "bold"), _purge_text(view.purge_on, report), "\n",
    ]
    for label, value in (("When       ", report.occurred), ("Where      ", report.location),
                         ("People     ", report.people)):
        if value:
            lines += [(label, "bold"), safe.clean(value), "\n"]
    if report.way == "named":
        contact = " · ".join(safe.line(v) for v in (report.contact_name, report.contact_email, report.contact_phone) if v)
        lines += [("Contact    ", "bold"), contact or "(none given)", "\n"]
    return Content.assemble(*lines).rstrip()


def _entry(item, config):
    stamp = when(item.created_at, config)
    if item.kind == "note":
        head = (f"INTERNAL NOTE · {safe.line(item.adviser_name or 'an adviser', 40)} · {stamp} · never shown to the reporter", "bold")
        marker = ""
    elif item.author == "reporter":
        head = (f"Reporter · {stamp}", "bold")
        marker = f"✓ read by advisers {when(item.read_at, config)}" if item.read_at else "● new: not read by an adviser yet"
    else:
        head = (f"{safe.line(item.adviser_name or 'Adviser', 40)} (adviser) · {stamp}", "bold")
        marker = (f"✓ read by the reporter {when(item.read_at, config)}" if item.read_at
                  else "○ not read by the reporter yet")
    parts = [head, "\n", safe.clean(item.body)]
    if marker:
        parts += ["\n", (marker, "italic")]
    return Content.assemble(*parts)


def _state_line(view):
    """What comes next, under the last item of the case."""
    report = view.report
    if not report.two_way:
        return "No conversation: this reporter did not choose two-way messaging, so replies cannot reach them. " \
               "n writes an internal note."
    if report.status == "closed":
        return "This case is closed: replies are refused until it is reopened (s)."
    messages = [i for i in view.items if i.kind == "message"]
    if not any(i.author == "adviser" for i in messages):
        return "No reply yet. Press r to write one."
    if messages[-1].author == "reporter":
        return "The reporter wrote last. Press r to reply."
    return "End of the conversation. Press r to write again."


def first_unread(view):
    """Where an adviser starts reading: the first unread reporter message, unless the report itself is new."""
    if view.report.adviser_read_at is None:
        return None
    for item in view.items:
        if item.kind == "message" and item.author == "reporter" and item.read_at is None:
            return (item.kind, item.id)
    return None


def _purge_text(purge_on, report):
    """When retention will delete the case (store.retention.purge_date), in words."""
    if purge_on is None:
        return "not scheduled (open cases are kept; closing one starts the retention period)"
    why = "after closing" if report.status == "closed" else "the reporter never came back"
    return f"{purge_on:%a %d %b %Y} under the retention policy ({why})"


def _today(config, now):
    from store.deadlines import today

    return today(config, now)
