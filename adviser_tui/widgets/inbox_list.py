"""The inbox's rows: a Line API list that draws each row once and reuses it.

Why not ``DataTable``: its row cache is keyed by the cursor position, so a
cursor move that scrolls the table renders every visible cell again — about
50 ms per key press at 120×36 on this project's machines, against a 30 ms
target. Here each row is rendered to a ``Strip`` once per page (and again
only when the width or the theme changes); a move repaints two lines, and a
move that scrolls re-uses the cached strips of every other visible row.

Cells are ``rich.text.Text`` objects made by ``inert.cell`` and friends:
rendered as text, never parsed as markup.
"""

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 1  # spaces between columns (and before the first)
FLEXIBLE_MIN = 24  # the last column takes the remaining width, but never less than this (then the list scrolls)


class InboxList(ScrollView, can_focus=True):
    """A header line and one line per case; ``cursor_row`` is the highlighted case."""

    COMPONENT_CLASSES = {"inbox-list--header", "inbox-list--cursor"}

    DEFAULT_CSS = """
    InboxList {
        background: $surface;
        color: $foreground;
        /* The scrollbar's column is kept even when the rows fit, so the columns are laid out for the
           width they will have (a scrollbar appearing later would push the last one off the edge). */
        scrollbar-gutter: stable;
        & > .inbox-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .inbox-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .inbox-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:ansi > .inbox-list--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
    }
    """

    BINDINGS = [
        Binding("enter", "select", "Open"),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    class RowHighlighted(Message):
        def __init__(self, inbox_list, row):
            super().__init__()
            self.inbox_list = inbox_list
            self.row = row

        @property
        def control(self):
            return self.inbox_list

    class RowSelected(RowHighlighted):
        pass

    def __init__(self, columns, *, id=None):
        """``columns``: (label, width) or (label, width, drop) for each column; rows give a cell for every one.

        The last column takes the rest of the line, and ``width`` is what it
        should have at least: on a narrower line the columns with a ``drop``
        rank are left out, rank 1 first (None: never), until it has, or none
        is left to drop (then it gets at least FLEXIBLE_MIN and the list
        scrolls sideways).
        """
        super().__init__(id=id)
        self.columns = [(label, width, drop[0] if drop else None) for label, width, *drop in columns]
        self._rows = []  # one tuple of Text cells per row
        self._cursor = 0
        self._strips = {}  # row index → Strip without the cursor
        self._header = None
        self._shown = []  # the columns on the line now (indices into ``columns``)
        self._widths = []  # and their widths
        self._styles = None  # (base, header, cursor) the cached strips were drawn with

    # The list's contents ------------------------------------------------------------

    @property
    def row_count(self):
        return len(self._rows)

    @property
    def cursor_row(self):
        return self._cursor

    def cells(self, row):
        """The cells of one row, as given to ``set_rows``."""
        return self._rows[row]

    def set_rows(self, rows, cursor=0):
        """Replace every row; the cursor goes to ``cursor`` (clamped) and is kept in view."""
        self._rows = list(rows)
        self._strips.clear()
        self._cursor = max(0, min(cursor, len(self._rows) - 1))
        self._update_virtual_size()
        self.refresh()
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, self._cursor))

    def move_cursor(self, row, scroll=True):
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        if row != self._cursor:
            old, self._cursor = self._cursor, row
            self.refresh_line(old + 1)  # + 1: the header is line 0
            self.refresh_line(row + 1)
            self.post_message(self.RowHighlighted(self, row))
        if scroll:
            self._scroll_cursor_into_view()

    # Layout -------------------------------------------------------------------------

    def _layout(self, width):
        """(the columns shown, their widths) on a line ``width`` cells wide."""
        *shown, last = range(len(self.columns))
        droppable = sorted((c for c in shown if self.columns[c][2] is not None), key=lambda c: self.columns[c][2])

        def rest():
            return width - (GAP + sum(self.columns[c][1] + GAP for c in shown) + GAP)  # a gap before, between, after

        while rest() < self.columns[last][1] and droppable:
            shown.remove(droppable.pop(0))
        return shown + [last], [self.columns[c][1] for c in shown] + [max(rest(), FLEXIBLE_MIN)]

    @property
    def shown_columns(self):
        """The labels of the columns on the line now."""
        return [self.columns[c][0] for c in self._shown]

    def _update_virtual_size(self):
        width = self.scrollable_content_region.width
        shown, widths = self._layout(width)
        if (shown, widths) != (self._shown, self._widths):
            self._shown, self._widths = shown, widths
            self._strips.clear()
            self._header = None
        total = sum(w + GAP for w in widths) + GAP
        self.virtual_size = Size(max(total, width), len(self._rows) + 1)

    def on_resize(self):
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    def _visible_rows(self):
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_cursor_into_view(self):
        top = round(self.scroll_y)
        visible = self._visible_rows()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False)

    # Drawing ------------------------------------------------------------------------

    def _line(self, cells, style, over=None):
        """One row (or the header) as a Strip: each cell cut or padded to its column.

        ``over``: a style laid over the cells' own (the cursor's).
        """
        text = Text(no_wrap=True, end="")
        text.append(" " * GAP)
        for column, width in zip(self._shown, self._widths):
            cell = cells[column].copy()  # a Text: shown as it is, never parsed as markup
            cell.truncate(width, overflow="ellipsis", pad=True)
            text.append_text(cell)
            text.append(" " * GAP)
        # The base goes under the cells' styles as a span: Text.render drops a Text's own style.
        text.stylize_before(style)
        if over is not None:
            text.stylize(over)
        return Strip(text.render(self.app.console), text.cell_len)

    def render_lines(self, crop):
        # Styles are looked up once per paint, not per line (rich_style walks the ancestors).
        styles = (
            self.rich_style,
            self.get_component_rich_style("inbox-list--header"),
            self.get_component_rich_style("inbox-list--cursor"),
        )
        if styles != self._styles:
            self._styles = styles
            self._strips.clear()
            self._header = None
        return super().render_lines(crop)

    def render_line(self, y):
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base, header_style, cursor_style = self._styles
        if y == 0:
            if self._header is None:
                labels = [Text(label) for label, _, _ in self.columns]
                self._header = self._line(labels, base + header_style)
            strip = self._header
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, base)
            if index == self._cursor:
                # Only the cursor's row is drawn afresh on a move: the cursor style goes over the cells'.
                strip = self._line(self._rows[index], base, over=cursor_style)
            else:
                strip = self._strips.get(index)
                if strip is None:
                    strip = self._strips[index] = self._line(self._rows[index], base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    # Keys and mouse -----------------------------------------------------------------

    def action_move(self, step):
        self.move_cursor(self._cursor + step)

    def action_page(self, step):
        self.move_cursor(self._cursor + step * self._visible_rows())

    def action_first(self):
        self.move_cursor(0)

    def action_last(self):
        self.move_cursor(len(self._rows) - 1)

    def action_select(self):
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor))

    def on_click(self, event):
        if event.y < 1 or not self._rows:
            return  # the header
        row = round(self.scroll_y) + event.y - 1
        if row >= len(self._rows):
            return
        if row == self._cursor:
            self.action_select()  # a click on the highlighted case opens it, as in DataTable
        else:
            self.move_cursor(row)
