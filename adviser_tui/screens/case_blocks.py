"""What the case screen shows, as ``ThreadView`` blocks: details, what happened, the thread with notes, the state line.

Pure functions of a ``store.cases.CaseView`` (they run in the thread worker
that loads the case): every value goes through ``inert``, so the blocks hold
literal text only. Read markers stand with each message: a reporter message
says when advisers read it, an adviser reply when the reporter did. The state
line ("No reply yet …") closes the thread, where the adviser's eye is when
they have read it all.
"""

from textual.content import Content

from store.config import ROLES

from .. import inert
from ..formatting import language_name, when
from ..widgets.evidence_decode import human_size
from ..widgets.thread_view import Block


def case_blocks(view, config, now, known):
    """The case as (signature, Block) pairs, top to bottom; ``known``: key → (signature, Block) from before.

    A part whose signature is unchanged keeps its Block (and so its wrapped lines):
    a live refresh cleans and wraps only what is new or changed.
    """
    text = view.text  # the report's own words, opened with the adviser's keys
    parts = [
        (("details",), _details_signature(view), lambda: _details(view, config)),
        (
            ("description",),
            text.description,
            lambda: Content.assemble(("What happened", "bold underline"), "\n", inert.clean(text.description)),
        ),
    ]
    files = {}
    for info in view.files:
        files.setdefault(info.message_id, []).append(info)
    if files.get(None):  # sent with the report: under what happened
        report_files = files[None]
        parts.append((("report-files",), tuple(f.id for f in report_files), lambda: _files(report_files)))
    kinds = {"reporter": "reporter", "adviser": "adviser"}
    blocks = []
    for key, signature, make in parts:
        blocks.append(_reuse(known, key, signature, "text", make))
    for item in view.items:
        key = (item.kind, item.id)
        kind = "note" if item.kind == "note" else kinds.get(item.author, "reporter")
        attached = files.get(item.id, []) if item.kind == "message" else []
        signature = (item.author, item.adviser_name, item.created_at, item.read_at, len(item.body))
        signature += tuple(f.id for f in attached)
        blocks.append(_reuse(known, key, signature, kind, lambda item=item, a=attached: _entry(item, config, a)))
    state = _state_line(view)
    blocks.append((state, Block(("state",), "state", Content(state))))
    return blocks


def _reuse(known, key, signature, kind, make):
    before = known.get(key)
    if before is not None and before[0] == signature:
        return before
    return signature, Block(key, kind, make())


def _details_signature(view):
    r, t = view.report, view.text
    return (
        r.category,
        r.language,
        r.way,
        r.role,
        r.wants_support,
        r.two_way,
        r.created_at,
        t.occurred,
        t.location,
        t.people,
        t.contact_name,
        t.contact_email,
        t.contact_phone,
        r.status,
        r.closed_at,
        view.purge_on,
    )


def _reply_in(report):
    """A reminder to answer in the reporter's language, where a conversation lets the reply reach them."""
    if not report.two_way or report.language == "en":
        return ""
    return f" (reply in {inert.line(language_name(report.language), 40)} if you can)"


def _details(view, config):
    report, text = view.report, view.text
    lines = [
        ("Category   ", "bold"),
        inert.line(config.category_label(report.category)),
        "\n",
        ("Language   ", "bold"),
        f"Written in {inert.line(language_name(report.language), 40)}",
        _reply_in(report),
        "\n",
        ("Reporter   ", "bold"),
        (
            f"{'anonymous' if report.way == 'anonymous' else 'named'}"
            f" · {inert.line(ROLES.get(report.role, report.role), 32)}"
            f" · support wanted: {'yes' if report.wants_support else 'no'}"
            f" · conversation: {'yes' if report.two_way else 'no (replies cannot reach them)'}"
        ),
        "\n",
        ("Received   ", "bold"),
        when(report.created_at, config),
        "\n",
        ("Deletion   ", "bold"),
        _purge_text(view.purge_on, report),
        "\n",
    ]
    for label, value in (
        ("When       ", text.occurred),
        ("Where      ", text.location),
        ("People     ", text.people),
    ):
        if value:
            lines += [(label, "bold"), inert.clean(value), "\n"]
    if report.way == "named":
        given = (text.contact_name, text.contact_email, text.contact_phone)
        contact = " · ".join(inert.line(v) for v in given if v)
        lines += [("Contact    ", "bold"), contact or "(none given)", "\n"]
    return Content.assemble(*lines).rstrip()


def file_line(info):
    """One file as the case shows it: name · type · size · what was removed (all inert)."""
    removed = ", ".join(inert.line(r, 60) for r in info.removed) or "nothing needed removing"
    return (
        f"File: {inert.line(info.name, 80) or '(no name)'} · {info.kind.noun} · {human_size(info.size)} · "
        f"removed: {removed}"
    )


def _files(infos):
    lines = [("Files sent with the report (f opens them)", "bold")]
    for info in infos:
        lines += ["\n", file_line(info)]
    return Content.assemble(*lines)


def _entry(item, config, attached=()):
    stamp = when(item.created_at, config)
    if item.kind == "note":
        author = inert.line(item.adviser_name or "an adviser", 40)
        head = (f"INTERNAL NOTE · {author} · {stamp} · never shown to the reporter", "bold")
        marker = ""
    elif item.author == "reporter":
        head = (f"Reporter · {stamp}", "bold")
        marker = (
            f"✓ read by advisers {when(item.read_at, config)}" if item.read_at else "● new: not read by an adviser yet"
        )
    else:
        head = (f"{inert.line(item.adviser_name or 'Adviser', 40)} (adviser) · {stamp}", "bold")
        marker = (
            f"✓ read by the reporter {when(item.read_at, config)}" if item.read_at else "○ not read by the reporter yet"
        )
    parts = [head, "\n", inert.clean(item.body)]
    for info in attached:
        parts += ["\n", (file_line(info) + "  (f opens it)", "italic")]
    if marker:
        parts += ["\n", (marker, "italic")]
    return Content.assemble(*parts)


def _state_line(view):
    """What comes next, under the last item of the case."""
    report = view.report
    if not report.two_way:
        return (
            "No conversation: this reporter did not choose two-way messaging, so replies cannot reach them. "
            "n writes an internal note."
        )
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
