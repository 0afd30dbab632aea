"""One attachment, full screen: what it is, what was removed from it, and the file itself.

The case screen opens it with ``app.push_screen(EvidenceViewer(item))``, where
``item`` is an ``EvidenceItem``; ``item.load`` is called in a worker thread
(never on the event loop), so it may read and unseal the attachment from the
store. Every value shown is inert: the name is the reporter's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from .. import inert
from ..widgets import evidence_decode as decode
from ..widgets.evidence_preview import EvidencePreview


@dataclass
class EvidenceItem:
    """What the viewer needs to show one attachment.

    ``kind``: a ``store.evidence.Kind``, its name ("JPEG"), media type or
    extension. ``removed``: what the cleaner took out, in words ("GPS
    position", "camera make and model"). ``load``: returns the file's bytes;
    it runs in a worker thread and may raise ``TellusError`` with a sentence.
    """

    name: str
    kind: object
    size: int
    removed: list[str] = field(default_factory=list)
    load: Callable[[], bytes] = lambda: b""


def title_line(item: EvidenceItem) -> str:
    """Name · type · size · removed: …, as one line of plain text."""
    kind = decode.kind_of(item.kind)
    kind_words = kind.noun.capitalize() if kind else (inert.line(item.kind, 30) or "Unknown type")
    parts = [inert.line(item.name, 80) or "(no name)", kind_words, decode.human_size(max(0, int(item.size)))]
    removed = [inert.line(entry, 60) for entry in item.removed if inert.line(entry)]
    parts.append("removed: " + ", ".join(removed) if removed else "nothing needed removing")
    return " · ".join(parts)


class EvidenceViewer(ModalScreen[None]):
    """The full-screen view of one attachment (Esc closes it)."""

    AUTO_FOCUS = "#preview-body"  # arrow keys scroll a zoomed picture or a long text
    BINDINGS = [
        Binding("escape", "close", "Close"),
        # Before the scrolling body's own PgUp/PgDn, which would only scroll a PDF page, not turn it.
        Binding("pageup", "page(-1)", "Page up", priority=True),
        Binding("pagedown", "page(1)", "Page down", priority=True),
        Binding("plus,equals_sign", "zoom_in", "Zoom in", key_display="+"),
        Binding("minus", "zoom_out", "Zoom out", key_display="-"),
        Binding("f", "fit", "Fit"),
    ]

    DEFAULT_CSS = """
    EvidenceViewer {
        background: $background;
    }
    EvidenceViewer #evidence-frame {
        width: 100%;
        height: 100%;
    }
    EvidenceViewer #evidence-title {
        /* What was removed matters as much as the name: wrap rather than cut it off at 80 columns. */
        height: auto;
        max-height: 3;
        background: $primary-background;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, item: EvidenceItem):
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-frame"):
            yield Static(Content(title_line(self.item)), id="evidence-title")
            yield EvidencePreview(self.item.kind, self.item.load, name_shown=inert.line(self.item.name, 80))
        yield Footer()

    @property
    def preview(self) -> EvidencePreview:
        return self.query_one(EvidencePreview)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_page(self, delta: int) -> None:
        self.preview.page(delta)

    def action_zoom_in(self) -> None:
        self.preview.zoom_in()

    def action_zoom_out(self) -> None:
        self.preview.zoom_out()

    def action_fit(self) -> None:
        self.preview.zoom_fit()
