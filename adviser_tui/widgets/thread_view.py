"""The case screen's body: details, what happened, the thread with notes and the state line, in one scrolling view.

Why one Line API widget and not a ``Static`` per message: a case of 1,000
messages took five seconds to mount and lay out as widgets, and the app
answered no key meanwhile; every live refresh mounted them all again. Here
each part of the case (a ``Block``) is wrapped to the width once, in a thread
worker, kept while it does not change, and only the lines on screen are drawn.

Blocks hold ``Content`` built from ``adviser_tui.inert`` pieces, so what is
drawn is literal text. Scrolling never animates (an animation is many screen
updates, slow over SSH), and a refresh keeps the adviser's place: the line at
the top stays at the top, unless they were at the end, which is then followed.
"""

import bisect
from dataclasses import dataclass

from rich.segment import Segment
from textual import on, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker


@dataclass(frozen=True)
class Block:
    """One part of a case: the details, the report, a message, a note or the closing state line."""

    key: tuple  # stable across refreshes: ("message", 17), ("note", 4), ("details",) …
    kind: str  # "text" | "state" | "reporter" | "adviser" | "note"
    content: Content


# kind → (indent, gutter character, component class of the gutter, component class of the text)
SHAPES = {
    "text": (0, "", None, None),
    "state": (0, "", None, "thread-view--state"),
    "reporter": (0, "▌", "thread-view--reporter-gutter", None),
    "adviser": (4, "▌", "thread-view--adviser-gutter", None),
    "note": (8, "┆", "thread-view--note-gutter", "thread-view--note"),
}
STYLE_NAMES = (
    None,
    "thread-view--reporter-gutter",
    "thread-view--adviser-gutter",
    "thread-view--note-gutter",
    "thread-view--note",
    "thread-view--state",
)  # None: the view's own style
MIN_TEXT_WIDTH = 10
SCROLL_KEYS = Binding.Group("", compact=True)  # the keys alone: "↑↓ Home End PgUp PgDn"


def text_width(kind, width):
    indent, gutter, _, _ = SHAPES[kind]
    return max(width - indent - (2 if gutter else 1) - 1, MIN_TEXT_WIDTH)


def wrap_blocks(blocks, width, known):
    """Each block's lines at ``width``; ``known`` maps key → (content, width, lines) from earlier wraps.

    Pure (runs in a thread worker): a block whose content and width are unchanged keeps its lines.
    """
    wrapped = {}
    for block in blocks:
        before = known.get(block.key)
        if (
            before is not None
            and before[1] == width
            and (before[0] is block.content or before[0].is_same(block.content))
        ):
            wrapped[block.key] = before
        else:
            wrapped[block.key] = (block.content, width, block.content.wrap(text_width(block.kind, width)))
    return wrapped


class ThreadView(ScrollView, can_focus=True):
    COMPONENT_CLASSES = set(STYLE_NAMES[1:])
    DEFAULT_CSS = """
    ThreadView {
        background: $surface;
        color: $foreground;
        /* The scrollbar's column is kept even when there is nothing to scroll, so the
           width lines are wrapped to does not change when the scrollbar appears. */
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        & > .thread-view--reporter-gutter { color: $accent; }
        & > .thread-view--adviser-gutter { color: $primary; }
        & > .thread-view--note-gutter { color: $warning; background: $warning 10%; }
        & > .thread-view--note { background: $warning 10%; }
        & > .thread-view--state { color: $text-muted; text-style: italic; }
    }
    """
    BINDINGS = [
        Binding("up", "line(-1)", "Line up", key_display="↑", group=SCROLL_KEYS),
        Binding("down", "line(1)", "Line down", key_display="↓", group=SCROLL_KEYS),
        Binding("pageup", "page(-1)", "Page up", key_display=" PgUp", group=SCROLL_KEYS),
        Binding("pagedown", "page(1)", "Page down", key_display=" PgDn", group=SCROLL_KEYS),
        Binding("home", "top", "Start", key_display=" Home", group=SCROLL_KEYS),
        Binding("end", "bottom", "End", key_display=" End", group=SCROLL_KEYS),
    ]

    class Shown(Message):
        """New blocks are on screen (posted after they are laid out)."""

        def __init__(self, view):
            super().__init__()
            self.view = view

        @property
        def control(self):
            return self.view

    class _Wrapped(Message):
        def __init__(self, blocks, width, wrapped, start):
            super().__init__()
            self.blocks = blocks
            self.width = width
            self.wrapped = wrapped
            self.start = start

    def __init__(self, *, id=None):
        super().__init__(id=id)
        self.blocks = []  # what is shown
        self._wrapped = {}  # key → (content, width, lines)
        self._starts = []  # first virtual line of each block
        self._width = 0  # the width the shown blocks were wrapped at
        self._pending = None  # (blocks, start) waiting to be wrapped
        self._strips = LRUCache(2000)  # virtual line → Strip
        self._style_values = None  # the styles the cached strips were drawn with
        self._styles = {}

    # What is shown ----------------------------------------------------------------------

    @property
    def ready(self):
        """True once the latest blocks given to ``show`` are on screen."""
        return self._pending is None and bool(self.blocks)

    def show(self, blocks, start=None):
        """Show ``blocks``, keeping the adviser's place; with ``start`` (a case just opened), go to a new place.

        ``start``: ("top",) or the key of the block to start reading at (the first unread message).
        """
        self._pending = (list(blocks), start)
        self._rewrap()

    def _content_width(self):
        return self.scrollable_content_region.width

    def _rewrap(self):
        width = self._content_width()
        if width <= 0:
            return  # not laid out yet: on_resize comes back here
        blocks, start = self._pending if self._pending is not None else (self.blocks, None)
        self._wrap(blocks, width, self._wrapped, start)

    @work(thread=True, exclusive=True, group="thread-wrap")
    def _wrap(self, blocks, width, known, start):
        wrapped = wrap_blocks(blocks, width, known)
        if not get_current_worker().is_cancelled:
            self.post_message(self._Wrapped(blocks, width, wrapped, start))

    @on(_Wrapped)
    def _wrapped_now(self, message):
        message.stop()
        if message.width != self._content_width():
            self._rewrap()  # resized meanwhile
            return
        at_end = self.scroll_y >= self.max_scroll_y
        anchor = None if at_end else self._anchor()
        self.blocks = message.blocks
        self._wrapped = message.wrapped
        self._width = message.width
        if self._pending is not None and self._pending[0] is message.blocks:
            self._pending = None
        self._starts = []
        line = 0
        for block in self.blocks:
            self._starts.append(line)
            line += len(self._wrapped[block.key][2]) + 1  # a blank line after each block
        self._strips.clear()
        self.virtual_size = Size(self._width, line)
        if message.start is not None:
            self.scroll_to(y=self.start_of(message.start) or 0, animate=False, force=True)
        elif at_end:
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
        elif anchor is not None:
            key, offset = anchor
            start = self.start_of(key)
            if start is not None:
                self.scroll_to(y=start + offset, animate=False, force=True)
        self.refresh()
        self.post_message(self.Shown(self))

    def _anchor(self):
        """(block key, lines into it) of the line at the top of the view."""
        index = self._block_at(round(self.scroll_y))
        if index is None:
            return None
        return self.blocks[index].key, round(self.scroll_y) - self._starts[index]

    def _block_at(self, line):
        if not self._starts:
            return None
        return max(bisect.bisect_right(self._starts, line) - 1, 0)

    def start_of(self, key):
        """The first line of the block keyed ``key`` (None when there is no such block)."""
        for block, start in zip(self.blocks, self._starts):
            if block.key == key:
                return start
        return None

    def on_resize(self):
        if self._content_width() != self._width or self._pending is not None:
            self._rewrap()

    # Drawing ------------------------------------------------------------------------------

    def render_lines(self, crop):
        # Styles are looked up once per paint; a theme change draws every line again.
        styles = tuple(self.visual_style if name is None else self.get_visual_style(name) for name in STYLE_NAMES)
        if styles != self._style_values:
            self._style_values = styles
            self._styles = dict(zip(STYLE_NAMES, styles))
            self._strips.clear()
        return super().render_lines(crop)

    def render_line(self, y):
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._styles[None].rich_style
        line = scroll_y + y
        strip = self._strips.get(line)
        if strip is None:
            strip = self._strips[line] = self._draw(line)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _draw(self, line):
        index = self._block_at(line)
        base = self._styles[None]
        if index is None:
            return Strip.blank(self._width, base.rich_style)
        block = self.blocks[index]
        lines = self._wrapped[block.key][2]
        offset = line - self._starts[index]
        if offset >= len(lines):
            return Strip.blank(self._width, base.rich_style)  # the gap after a block
        indent, gutter, gutter_class, text_class = SHAPES[block.kind]
        text_style = self._styles[text_class] if text_class else base
        fill = text_style.rich_style
        segments = [Segment(" " * indent, base.rich_style)] if indent else []
        if gutter:
            segments += [Segment(gutter, self._styles[gutter_class].rich_style), Segment(" ", fill)]
        else:
            segments.append(Segment(" ", fill))
        width = text_width(block.kind, self._width)
        text = lines[offset]
        segments += text.render_segments(text_style)
        segments.append(Segment(" " * (max(width - text.cell_length, 0) + 1), fill))
        return Strip(segments).adjust_cell_length(self._width, base.rich_style)

    # Keys ---------------------------------------------------------------------------------

    def action_line(self, step):
        self.scroll_to(y=self.scroll_y + step, animate=False)

    def action_page(self, step):
        self.scroll_to(y=self.scroll_y + step * self.scrollable_content_region.height, animate=False)

    def action_top(self):
        self.scroll_to(y=0, animate=False)

    def action_bottom(self):
        self.scroll_to(y=self.max_scroll_y, animate=False)
