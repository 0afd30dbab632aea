"""The unread-first inbox: counts, filters, one page of rows, live refresh."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, Static

from .. import gateway, inert
from ..formatting import OVERDUE_MARK, ROLE_LABELS, UNREAD_MARK, WAY_LABELS, age, language_name, short_date
from ..memory import settle_memory
from ..modals.choice import ChoiceModal
from ..store_calls import run_store_call
from ..widgets.inbox_list import InboxList
from ..widgets.oversight_bar import OversightBar
from ..widgets.title_bar import TitleBar

ALL = "*"
STATUS_OPTIONS = [
    ("All statuses", ALL),
    ("Active (not closed)", "active"),
    ("New", "new"),
    ("Open", "open"),
    ("Waiting", "waiting"),
    ("Closed", "closed"),
]
ASSIGNEE_OPTIONS = [("Everyone's", ALL), ("Mine", "mine"), ("Unassigned", "unassigned")]
FILTERS = {"status-filter": "status", "assignee-filter": "assignee", "category-filter": "category"}  # id → attribute

# (key, label, width, drop): on a narrow terminal the columns with a drop rank are left out, 1 first, so the
# preview keeps PREVIEW_WIDTH cells (at 100 columns Role, Way and Wait go, at 80 Lang and Category too). Role, way
# and category are on the line under the list for the case under the cursor, and so is how long it waited.
PREVIEW_WIDTH = 30
COLUMNS = (
    ("flag", " ", 1, None),
    ("reference", "Case", 9, None),
    ("status", "Status", 7, None),
    ("unread", "New", 3, None),
    ("waiting", "Wait", 4, 3),
    ("due", "Due", 8, None),
    ("category", "Category", 14, 5),
    ("language", "Lang", 4, 4),  # the reporter's language, so the reply can be in it
    ("way", "Way", 5, 2),
    ("role", "Role", 7, 1),
    ("assignee", "Assignee", 10, 6),
    ("preview", "Preview", PREVIEW_WIDTH, None),
)


class InboxScreen(Screen):
    BINDINGS = [
        Binding("enter", "open_case", "Open"),
        Binding("slash", "search", "Search"),
        Binding("f", "filters", "Filters"),
        # Not in the footer (at 80 columns it pushed out ^q Quit, ^l Lock and ? Keys): the line under
        # the table names ] and [ whenever there is another page, and ? lists them.
        Binding("right_square_bracket", "next_page", "Next page", show=False),
        Binding("left_square_bracket", "previous_page", "Prev page", show=False),
        Binding("p", "patterns", "Patterns"),
        Binding("x", "admin_menu", "Admin"),
        Binding("u", "admin('audit')", "Audit trail (admins)", show=False),
        Binding("m", "admin('advisers')", "Adviser accounts (admins)", show=False),
        Binding("c", "admin('closures')", "Closure periods (admins)", show=False),
        Binding("t", "admin('stats')", "Statistics (admins)", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("escape", "back_to_table", "To the list", show=False),
        # The app's ctrl+q works everywhere; this one shows it here (priority, or the app's hidden one would win).
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(self):
        super().__init__()
        self.status = ALL
        self.assignee = ALL
        self.category = ALL
        self.search = ""
        self.page_offset = 0
        self.rows = []
        self.counts = None
        self.total = 0
        self._request = 0  # bumped by every change of filters or page
        self._fingerprint = None
        self._loading = False
        self._loaded_once = False
        self._known = {}  # case id → (unread count, last activity), for announcing arrivals

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        yield Static(id="counts")
        yield OversightBar(id="oversight")
        config = self.app.config
        categories = [(Text(inert.line(config.category_label(c), 40)), c) for c in config.categories]  # by key
        with Horizontal(id="filters"):
            yield Select(STATUS_OPTIONS, value=ALL, allow_blank=False, compact=True, id="status-filter")
            yield Select(ASSIGNEE_OPTIONS, value=ALL, allow_blank=False, compact=True, id="assignee-filter")
            yield Select(
                [("All categories", ALL), *categories], value=ALL, allow_blank=False, compact=True, id="category-filter"
            )
            yield Input(placeholder="/ search text or case", compact=True, id="search")
        yield InboxList([(label, width, drop) for _, label, width, drop in COLUMNS], id="inbox-table")
        yield Static(id="row-detail")
        yield Static(id="page-info")
        yield Footer()

    def on_mount(self):
        adviser = self.app.adviser
        self.query_one(TitleBar).update(
            Content.assemble(
                ("Tellus inbox", "bold"),
                "  ·  signed in as ",
                inert.line(adviser.display_name, 40),
                f" ({inert.line(adviser.username, 32)})",
            )
        )
        self.query_one(InboxList).focus()
        self.load()
        self.set_interval(self.app.poll_seconds, self.poll)

    def on_screen_resume(self):
        if self._loaded_once:
            self.load(keep_request=True)

    # Loading ----------------------------------------------------------------

    def _params(self):
        return dict(
            status=None if self.status == ALL else self.status,
            assignee=None if self.assignee == ALL else self.assignee,
            category=None if self.category == ALL else self.category,
            search=self.search or None,
            offset=self.page_offset,
            limit=self.app.page_size,
            now=self.app.clock(),
        )

    def load(self, keep_request=False, announce=False):
        if not keep_request:
            self._request += 1
        self._loading = True
        request = self._request
        run_store_call(
            self,
            gateway.load_inbox,
            self.app.config,
            self.app.adviser,
            **self._params(),
            then=lambda outcome: self.loaded(outcome, request, announce),
            group="inbox",
        )

    def poll(self):
        """Every second: a cheap fingerprint; a reload only when something changed."""
        if not self.is_current or self._loading or not self._loaded_once:
            return
        request = self._request
        run_store_call(
            self,
            gateway.inbox_fingerprint,
            self.app.config,
            then=lambda outcome: self._polled(outcome, request),
            group="inbox-poll",
        )

    def _polled(self, outcome, request):
        changed = outcome.ok and outcome.value != self._fingerprint
        if changed and request == self._request and not self._loading:
            self.load(keep_request=True, announce=True)

    def loaded(self, outcome, request, announce):
        if request != self._request:
            return  # filters or page changed meanwhile; a newer load is on its way
        self._loading = False
        if not outcome.ok:
            if not outcome.unavailable:
                self.notify(outcome.error, severity="error", markup=False)
            else:
                # Retry shortly; the poll timer would not, as nothing was loaded.
                self.set_timer(2 * self.app.poll_seconds, lambda: self.load(keep_request=True))
            return
        result = outcome.value
        if announce:
            self._announce(result)
        self._fingerprint = result.fingerprint
        current = self.current_case_id()  # before the rows change under the cursor
        self.rows = result.page.rows
        self.total = result.page.total
        self.counts = result.counts
        self._known.update({r.id: (r.unread_count, r.last_activity_at) for r in self.rows})
        if not self._loaded_once:
            # After the rows are painted: grouping 100k reports holds the GIL and would delay that paint.
            self.call_after_refresh(settle_memory)
            self.call_after_refresh(self.query_one(OversightBar).start)
        self._loaded_once = True
        self._show(current)

    def _announce(self, result):
        """A quiet notification for reports and reporter messages that just arrived."""
        fresh = []
        for row in result.page.rows:
            before = self._known.get(row.id)
            if before is None and row.unread_count:
                fresh.append(("New report", row))
            elif before is not None and row.unread_count > before[0]:
                fresh.append(("New message", row))
        if len(fresh) == 1:
            what, row = fresh[0]
            self.notify(f"{row.reference}: {inert.line(row.preview, 80)}", title=what, markup=False, timeout=6)
        elif fresh:
            self.notify(
                f"{len(fresh)} cases have new reports or messages.", title="New activity", markup=False, timeout=6
            )
        elif self.counts is not None and result.counts.unread > self.counts.unread:
            self.notify("New activity in cases outside this view.", title="New activity", markup=False, timeout=6)

    # Showing ------------------------------------------------------------------

    def _show(self, current=None):
        """New rows, with the cursor kept on the same case (or the same place) and the view where it was."""
        table = self.query_one(InboxList)
        index = next((i for i, row in enumerate(self.rows) if row.id == current), table.cursor_row)
        now = self.app.clock()
        table.set_rows([self._cells(row, now) for row in self.rows], cursor=index)
        self._show_counts()
        self._show_page_info()
        self._show_detail()

    def _cells(self, row, now):
        flag_style = "bold red" if row.overdue else ("bold" if row.unread_count else "")
        flag = OVERDUE_MARK if row.overdue else (UNREAD_MARK if row.unread_count else " ")
        due = "" if row.answered or row.status == "closed" else short_date(row.due_on)
        if row.overdue:
            due = f"{OVERDUE_MARK} {due}"
        strong = "bold" if row.unread_count else ""
        return (
            Text(flag, style=flag_style),
            inert.cell(row.reference, 9, style=strong),
            inert.cell(row.status, 7),
            Text(str(row.unread_count) if row.unread_count else "", style=strong),
            Text(age(row.unread_since, now)),
            Text(due, style="bold red reverse" if row.overdue else ""),
            inert.cell(row.category, 14),
            inert.cell(row.language, 4),
            inert.cell(WAY_LABELS.get(row.way, row.way), 5),
            inert.cell(ROLE_LABELS.get(row.role, row.role), 7),
            inert.cell(row.assignee or "—", 10),
            inert.cell(row.preview, 60),
        )

    def _show_counts(self):
        c = self.counts
        if c is None:
            return
        parts = [
            ("Unread ", ""),
            (str(c.unread), "bold"),
            ("   Overdue ", ""),
            (f"{OVERDUE_MARK}{c.overdue}" if c.overdue else "0", "bold red" if c.overdue else "bold"),
            ("   New ", ""),
            (str(c.new), "bold"),
            ("   Mine ", ""),
            (str(c.mine), "bold"),
            ("   All ", ""),
            (str(c.total), "bold"),
        ]
        self.query_one("#counts", Static).update(Content.assemble(*parts))

    def _show_page_info(self):
        size = self.app.page_size
        if not self.total:
            text = "No cases match these filters."
        else:
            first, last = self.page_offset + 1, min(self.page_offset + len(self.rows), self.total)
            pages = (self.total + size - 1) // size
            text = f"Cases {first:,}–{last:,} of {self.total:,}  ·  page {self.page_offset // size + 1:,} of {pages:,}"
            if pages > 1:
                text += "  ·  ] next page  [ previous"
        self.query_one("#page-info", Static).update(Content(text))

    def _show_detail(self):
        row = self.current_row()
        detail = self.query_one("#row-detail", Static)
        if row is None:
            detail.update(Content(""), layout=False)
            return
        # Most telling first: a narrow terminal cuts the line's end (and the columns it dropped are said here).
        parts = [row.reference]
        if row.overdue:
            parts.append(f"{OVERDUE_MARK} OVERDUE (due {short_date(row.due_on)})")
        parts.append(row.status)
        if row.unread_count:
            parts.append(f"{row.unread_count} new for {age(row.unread_since, self.app.clock())}")
        parts += [
            row.category,
            f"written in {language_name(row.language)}",
            "anonymous" if row.way == "anonymous" else "named",
            ROLE_LABELS.get(row.role, row.role),
            row.assignee or "unassigned",
        ]
        head = " · ".join(inert.line(part) for part in parts)
        # Fixed size (two lines, full width): no layout pass, which on every cursor move doubled its cost.
        detail.update(Content.assemble((head, "bold"), "\n", inert.line(row.preview)), layout=False)

    @on(InboxList.RowHighlighted)
    def highlighted(self):
        self._show_detail()

    def current_row(self):
        table = self.query_one(InboxList)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def current_case_id(self):
        row = self.current_row()
        return row.id if row is not None else None

    # Actions ------------------------------------------------------------------

    @on(InboxList.RowSelected)
    def action_open_case(self):
        row = self.current_row()
        if row is not None:
            self.app.show_screen("case", row.id, row.reference)

    def action_patterns(self):
        self.app.show_screen("patterns")

    def action_admin(self, which):
        self.app.open_admin(which)

    def action_admin_menu(self):
        if not self.app.adviser.is_admin:
            self.app.open_admin("advisers")  # says it is for administrators
            return
        choices = [
            ("Audit trail (u)", "audit"),
            ("Adviser accounts (m)", "advisers"),
            ("Closure periods (c)", "closures"),
            ("Statistics (t)", "stats"),
        ]

        def chosen(answer):
            picked, which = answer
            if picked:
                self.app.open_admin(which)

        self.app.push_screen(ChoiceModal("Administration", choices), chosen)

    def action_search(self):
        self.query_one("#search", Input).focus()

    def action_filters(self):
        self.query_one("#status-filter", Select).focus()

    def action_back_to_table(self):
        self.query_one(InboxList).focus()

    def action_reload(self):
        self.load(keep_request=True)

    def action_next_page(self):
        if self.page_offset + self.app.page_size < self.total:
            self.page_offset += self.app.page_size
            self.load()

    def action_previous_page(self):
        if self.page_offset > 0:
            self.page_offset = max(self.page_offset - self.app.page_size, 0)
            self.load()

    @on(Select.Changed)
    def filter_changed(self, event):
        name = FILTERS[event.select.id]
        if getattr(self, name) != event.value:
            setattr(self, name, event.value)
            self.page_offset = 0
            self.load()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event):
        self.search = event.value.strip()
        self.page_offset = 0
        self.load()
        self.query_one(InboxList).focus()
