"""One case: its details, what happened and the thread with notes (see case_blocks.py), and the case work keys.

The whole case scrolls as one ``ThreadView`` (see widgets/thread_view.py for
why). A case is fetched (and its blocks built) in a thread worker when it
opens, when the one-second fingerprint poll sees a change, after an action,
and when what is on view has been marked read.
"""

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from store.deadlines import awaiting_first_response, is_overdue, today
from store.errors import NotFound, PermissionDenied, TellusError
from store.models import STATUSES

from .. import gateway, inert
from ..formatting import OVERDUE_MARK
from ..modals.choice import ChoiceModal
from ..modals.composer import Composer
from ..modals.confirm import ConfirmModal
from ..modals.evidence_viewer import EvidenceItem, EvidenceViewer
from ..store_calls import run_store_call
from ..widgets.evidence_decode import human_size
from ..widgets.thread_view import Block, ThreadView
from ..widgets.title_bar import TitleBar
from .case_blocks import case_blocks, first_unread


@dataclass
class LoadedCase:
    view: object  # store.cases.CaseView
    fingerprint: tuple
    blocks: list  # (signature, Block) pairs, top to bottom
    start_at: tuple | None  # the block to start reading at (the first unread message), or None for the top


def load_case(report_id, adviser, config, reason, known, now, up_to=None):
    """One load of the case screen (a store call): with ``up_to``, first mark read what was on view up to it.

    ``reason``: "open" (audited as a view), "refresh" or "seen". Cleaning and
    assembling a long thread is real work, so the blocks are built here too,
    off the event loop; ``known`` (key → (signature, Block)) keeps what did not change.
    """
    if up_to is not None:
        gateway.mark_seen(report_id, adviser, config, up_to, now)
    # The fingerprint first: a change committed between the two reads then shows at the next poll, whereas
    # a fingerprint read after the case could already include a change the case missed, and hide it for good.
    fingerprint = gateway.case_fingerprint(report_id, adviser, config)
    fetch = gateway.open_case if reason == "open" else gateway.refresh_case
    view = fetch(report_id, adviser, config)
    return LoadedCase(view, fingerprint, case_blocks(view, config, now, known), first_unread(view))


class CaseScreen(Screen):
    BINDINGS = [
        Binding("r", "reply", "Reply"),
        Binding("n", "note", "Note"),
        Binding("s", "status", "Status"),
        Binding("a", "assign", "Assign"),
        Binding("f", "files", "Files"),
        # Admins see and use e; for anyone else the same key is refused in words (check_action picks one).
        Binding("e", "export", "Export"),
        Binding("e", "export_refused", "", show=False),
        Binding("escape", "back", "Inbox"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    ADMIN_ONLY = "Only administrators can export a case."

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
        self._exporting = False

    def compose(self) -> ComposeResult:
        yield TitleBar(inert.line_content(f"Case {self.reference}  ·  loading…"), id="case-title")
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

    def check_action(self, action, parameters):
        """``e`` is export for admins (in the footer) and a refusal for everyone else (not shown)."""
        if action in ("export", "export_refused"):
            adviser = self.app.adviser
            is_admin = bool(adviser is not None and adviser.is_admin)
            return is_admin == (action == "export")
        return True

    # Loading --------------------------------------------------------------------

    def _load(self, reason, up_to=None):
        app = self.app
        run_store_call(
            self,
            load_case,
            self.report_id,
            app.adviser,
            app.config,
            reason,
            self._blocks,
            app.clock(),
            up_to,
            then=lambda outcome: self.loaded(outcome, reason),
            group="case-load",
        )

    def poll(self):
        if self._polling or self._gone or self.view is None:
            return
        if isinstance(self.app.screen, EvidenceViewer):
            # The viewer covers the case. Textual repaints the whole screen on top whenever the screen beneath
            # handles a message (a poll is three), so polling under it would resend the picture every second
            # (hundreds of kB as sixel, and a flicker). Polling resumes when the viewer closes.
            return
        self._polling = True
        run_store_call(
            self,
            gateway.case_fingerprint,
            self.report_id,
            self.app.adviser,
            self.app.config,
            then=self._polled,
            group="case-poll",
        )

    def _polled(self, outcome):
        self._polling = False
        if isinstance(outcome.exception, (NotFound, PermissionDenied)):
            self.gone(outcome.error)
        elif outcome.ok and outcome.value != self._fingerprint:
            self._fingerprint = outcome.value
            self._load("refresh")

    def loaded(self, outcome, reason):
        if not outcome.ok:
            if isinstance(outcome.exception, (NotFound, PermissionDenied)):
                self.gone(outcome.error)
            elif outcome.unavailable:
                if self.view is None:
                    self.query_one(ThreadView).show([Block(("error",), "state", Content(outcome.error))])
                    self.set_timer(2 * self.app.poll_seconds, lambda: self._load(reason))
                elif reason == "seen":
                    self.set_timer(2 * self.app.poll_seconds, self._see)
            else:
                self.notify(outcome.error, severity="error", markup=False)
            return
        loaded = outcome.value
        previous, self.view = self.view, loaded.view
        self._fingerprint = loaded.fingerprint
        if previous is not None and reason == "refresh":
            self._announce_changes(previous, self.view)
        self._blocks = {block.key: (signature, block) for signature, block in loaded.blocks}
        self._show_title()
        # Opened: start at the first unread message (or the top); later loads keep the adviser's place.
        start = (loaded.start_at or ("top",)) if reason == "open" else None
        self.query_one(ThreadView).show([block for _, block in loaded.blocks], start=start)

    def on_thread_view_shown(self):
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
        reassigned = before.report.assignee_id != after.report.assignee_id
        if reassigned and after.report.assignee_id != self._expected_assignee:
            name = after.assignee_name or "nobody"
            self.notify(
                f"This case is now assigned to {inert.line(name, 40)}.", title="Assignment changed", markup=False
            )
        if before.report.status != after.report.status:
            self.notify(
                f"This case's status is now {inert.line(after.report.status, 16)}.",
                title="Status changed",
                markup=False,
            )
        new = len([i for i in after.items if i.kind == "message" and i.author == "reporter"]) - len(
            [i for i in before.items if i.kind == "message" and i.author == "reporter"]
        )
        if new > 0:
            self.notify("The reporter sent a new message.", title=inert.line(self.reference, 16), markup=False)
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
        title = [
            (f"Case {inert.line(report.reference, 16)}", "bold"),
            f"  ·  {inert.line(report.status, 16)}",
            f"  ·  {'assigned to ' + inert.line(assignee, 30) if assignee else 'unassigned'}",
        ]
        if awaiting_first_response(report):
            overdue = is_overdue(report, today(config, self.app.clock()))
            due = f"  ·  first response due {report.due_on:%a %d %b}"
            late = (f"  ·  {OVERDUE_MARK} OVERDUE: was due {report.due_on:%a %d %b}", "bold red")
            title.append(late if overdue else due)
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
            self.notify(
                "This reporter did not choose two-way messaging, so a reply cannot reach them. "
                "Use n for an internal note.",
                severity="warning",
                markup=False,
            )
            return
        adviser, report_id, config = self.app.adviser, self.report_id, self.app.config
        self.app.push_screen(
            Composer("reply", self.reference, lambda text: gateway.reply(report_id, adviser, text, config)),
            self._after_compose("Reply"),
        )

    def action_note(self):
        if self.view is None:
            return
        adviser, report_id, config = self.app.adviser, self.report_id, self.app.config
        self.app.push_screen(
            Composer("note", self.reference, lambda text: gateway.note(report_id, adviser, text, config)),
            self._after_compose("Note"),
        )

    def action_status(self):
        if self.view is None:
            return
        choices = [(status, status) for status in STATUSES]

        def chosen(answer):
            picked, status = answer
            if picked and status != self.view.report.status:
                self._act(
                    gateway.set_status,
                    (self.report_id, self.app.adviser, status, self.app.config),
                    f"Status set to {status}.",
                )

        self.app.push_screen(ChoiceModal(f"Status of {self.reference}", choices, self.view.report.status), chosen)

    def action_files(self):
        """The case's files: choose one to view it (pictures and PDF pages drawn in the terminal)."""
        if self.view is None:
            return
        if not self.view.files:
            self.notify("This case has no files.", markup=False)
            return
        # Name, kind and size: what was removed is in the viewer's title and in the thread.
        choices = [(f"{info.name} · {info.kind.noun} · {human_size(info.size)}", info) for info in self.view.files]

        def chosen(answer):
            picked, info = answer
            if picked:
                self.app.push_screen(EvidenceViewer(self._evidence_item(info)))

        self.app.push_screen(ChoiceModal(f"Files of {self.reference}", choices), chosen)

    def _evidence_item(self, info):
        report_id, adviser, config = self.report_id, self.app.adviser, self.app.config

        def load():  # in the viewer's worker thread, with its own connection; audited
            outcome = gateway.attempt(gateway.evidence_bytes, report_id, info.id, adviser, config)
            if not outcome.ok:
                raise TellusError(outcome.error)
            return outcome.value

        return EvidenceItem(name=info.name, kind=info.kind, size=info.size, removed=info.removed, load=load)

    def action_export_refused(self):
        self.notify(self.ADMIN_ONLY, title="For administrators", severity="warning", markup=False)

    def action_export(self):
        """An admin writes the case bundle into a new folder in ``export_folder``: the folder checked, then asked."""
        if self.view is None or self._exporting:
            return
        run_store_call(
            self, gateway.export_folder_problem, self.app.config, then=self._export_checked, group="case-export"
        )

    def _export_checked(self, outcome):
        problem = outcome.value if outcome.ok else gateway.error_text(outcome)
        if problem:
            self.notify(problem, title="Cannot export", severity="error", markup=False, timeout=15)
            return
        count = len(self.view.files)
        files = f"{count} file{'' if count == 1 else 's'}" if count else "no files"
        question = (
            f"Export case {self.reference} into a new folder in {self.app.config.export_folder}?\n\n"
            f"The bundle holds the report, the whole thread with internal notes and {files}, opened: "
            "keep it as you would a paper case file. The export is audited."
        )

        def answered(yes):
            if yes:
                self._export()

        self.app.push_screen(ConfirmModal(question, yes="Export", no="Cancel"), answered)

    def _export(self):
        self._exporting = True
        self.notify(f"Writing the bundle of {self.reference}…", markup=False, timeout=3)
        app = self.app
        # The app's worker, not this screen's: leaving the case meanwhile must not drop the answer (where it went).
        run_store_call(
            app,
            gateway.export_case,
            self.report_id,
            app.adviser,
            app.config,
            app.clock(),
            then=self._exported,
            group="case-export",
            exclusive=False,
        )

    def _exported(self, outcome):
        self._exporting = False
        if not outcome.ok:
            self.notify(gateway.error_text(outcome), title="Export failed", severity="error", markup=False, timeout=15)
            return
        bundle = outcome.value
        count = bundle.attachments
        files = f"{count} file{'' if count == 1 else 's'}" if count else "no files"
        self.notify(
            f"Exported {self.reference} to {bundle.folder}: the report, the thread and "
            f"{files}, with MANIFEST.txt (SHA-256 of each).",
            title="Case exported",
            markup=False,
            timeout=20,
        )

    def action_assign(self):
        if self.view is not None:
            run_store_call(self, gateway.active_advisers, then=self._advisers_listed, group="case-advisers")

    def _advisers_listed(self, outcome):
        if not outcome.ok:
            self.notify(outcome.error, severity="error", markup=False)
            return
        me, advisers = self.app.adviser, outcome.value
        choices = [(f"Me ({me.display_name})", me.username), ("Nobody (unassigned)", None)]
        choices += [(f"{a.display_name} ({a.username})", a.username) for a in advisers if a.id != me.id]
        current_id = self.view.report.assignee_id
        current = next((a.username for a in advisers if a.id == current_id), None)

        def chosen(answer):
            picked, username = answer
            if not picked:
                return
            target = next((a for a in advisers if a.username == username), None)
            self._expected_assignee = target.id if target else None
            label = f"Assigned to {target.display_name}." if target else "Now unassigned."
            self._act(gateway.assign, (self.report_id, me, username, self.app.config), label)

        self.app.push_screen(ChoiceModal(f"Assign {self.reference} to", choices, current), chosen)

    def _act(self, call, args, success):
        run_store_call(
            self, call, *args, then=lambda outcome: self._done(outcome, success), group="case-action", exclusive=False
        )

    def _done(self, outcome, success):
        if outcome.ok:
            self.notify(success, markup=False)
        elif isinstance(outcome.exception, NotFound) and "no adviser" not in outcome.error:
            self.gone(outcome.error)
            return
        else:
            self.notify(gateway.error_text(outcome), severity="error", markup=False)
        self._load("refresh")
