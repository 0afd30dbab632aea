"""The inbox's row list (adviser_tui.widgets.inbox_list): keys, mouse, scrolling, literal text, drawing once."""

from rich.text import Text
from textual.app import App

from adviser_tui.widgets.inbox_list import InboxList

COLUMNS = [("Case", 9), ("Status", 7), ("Preview", 20)]


def rows(n):
    return [(Text(f"TL-{i:06d}", style="bold"), Text("open"), Text(f"preview {i}")) for i in range(n)]


class ListApp(App):
    def __init__(self, n=100):
        super().__init__()
        self.n = n
        self.highlighted = []
        self.selected = []

    def compose(self):
        yield InboxList(COLUMNS, id="list")

    def on_mount(self):
        inbox_list = self.query_one(InboxList)
        inbox_list.set_rows(rows(self.n))
        inbox_list.focus()

    def on_inbox_list_row_highlighted(self, message):
        self.highlighted.append(message.row)

    def on_inbox_list_row_selected(self, message):
        self.selected.append(message.row)


def line_text(inbox_list, y):
    return "".join(segment.text for segment in inbox_list.render_line(y))


def visible(inbox_list):
    top = round(inbox_list.scroll_y)
    return top, top + inbox_list.scrollable_content_region.height - 2  # first and last row in view


async def test_keys_move_the_cursor_and_keep_it_in_view():
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        inbox_list = app.query_one(InboxList)
        await pilot.pause()
        assert inbox_list.cursor_row == 0
        for _ in range(15):
            await pilot.press("down")
        await pilot.pause()
        assert inbox_list.cursor_row == 15
        first, last = visible(inbox_list)
        assert first <= 15 <= last and last == 15  # scrolled by the least needed
        await pilot.press("pagedown")
        await pilot.pause()
        assert inbox_list.cursor_row == 15 + inbox_list.scrollable_content_region.height - 1
        await pilot.press("end")
        await pilot.pause()
        assert inbox_list.cursor_row == 99
        assert visible(inbox_list)[1] == 99
        await pilot.press("down")  # stays on the last row
        await pilot.press("home")
        await pilot.pause()
        assert inbox_list.cursor_row == 0 and inbox_list.scroll_y == 0
        await pilot.press("up", "k", "j")
        await pilot.pause()
        assert inbox_list.cursor_row == 1
        assert app.highlighted[-1] == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [1]


async def test_header_stays_on_top_and_rows_follow_the_scroll():
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        inbox_list = app.query_one(InboxList)
        await pilot.pause()
        inbox_list.move_cursor(50)
        await pilot.pause()
        top = round(inbox_list.scroll_y)
        assert top > 0
        assert line_text(inbox_list, 0).split() == ["Case", "Status", "Preview"]
        assert line_text(inbox_list, 1).split()[0] == f"TL-{top:06d}"


async def test_mouse_click_highlights_then_opens():
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        inbox_list = app.query_one(InboxList)
        await pilot.pause()
        await pilot.click(InboxList, offset=(3, 3))  # line 3: the third row (index 2)
        await pilot.pause()
        assert inbox_list.cursor_row == 2 and app.selected == []
        await pilot.click(InboxList, offset=(3, 3))
        await pilot.pause()
        assert app.selected == [2]
        await pilot.click(InboxList, offset=(3, 0))  # the header: nothing happens
        await pilot.pause()
        assert inbox_list.cursor_row == 2 and app.selected == [2]


async def test_cells_are_text_never_markup():
    app = ListApp(n=0)
    async with app.run_test(size=(80, 8)) as pilot:
        inbox_list = app.query_one(InboxList)
        inbox_list.set_rows([(Text("[b]x[/b]"), Text("[/b]"), Text("[@click=app.quit]q [link=http://e]l[/link]"))])
        await pilot.pause()
        shown = line_text(inbox_list, 1)
        assert "[b]x[/b]" in shown and " [/b] " in shown and "[@click=app.quit]q [link=http://e]l[/link]" in shown
        await pilot.click(InboxList, offset=(15, 1))
        await pilot.click(InboxList, offset=(15, 1))
        await pilot.pause()
        assert app.is_running  # the "action" in the text did nothing


async def test_empty_list_and_fewer_rows_than_lines():
    app = ListApp(n=0)
    async with app.run_test(size=(60, 12)) as pilot:
        inbox_list = app.query_one(InboxList)
        await pilot.pause()
        await pilot.press("down", "end", "enter")
        await pilot.pause()
        assert inbox_list.row_count == 0 and app.selected == []
        assert line_text(inbox_list, 1).strip() == ""
        inbox_list.set_rows(rows(3), cursor=10)  # clamped
        await pilot.pause()
        assert inbox_list.cursor_row == 2


async def test_the_last_column_takes_the_rest_and_narrow_terminals_scroll_sideways():
    app = ListApp()
    async with app.run_test(size=(100, 12)) as pilot:
        inbox_list = app.query_one(InboxList)
        await pilot.pause()
        width = inbox_list.scrollable_content_region.width
        assert inbox_list.virtual_size.width == width  # no sideways scrolling needed
        assert len(line_text(inbox_list, 0)) == width
        await pilot.resize_terminal(30, 12)
        await pilot.pause()
        assert inbox_list.virtual_size.width > inbox_list.scrollable_content_region.width
        before = line_text(inbox_list, 0)
        await pilot.press("right", "right")
        await pilot.pause()
        shift = round(inbox_list.scroll_x)
        assert shift > 0
        after = line_text(inbox_list, 0)
        assert after != before and after[: len(before) - shift] == before[shift:]  # the header moved with the rows


async def test_a_move_that_scrolls_draws_only_the_new_cursor_row():
    """Why this widget exists: the other visible rows come from the cache, not from rendering again."""
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        inbox_list = app.query_one(InboxList)
        await pilot.pause()
        inbox_list.move_cursor(30)
        await pilot.pause()
        drawn = []
        real_line = inbox_list._line

        def counting_line(cells, style, over=None):
            drawn.append(cells[0].plain)
            return real_line(cells, style, over)

        inbox_list._line = counting_line
        before = inbox_list.scroll_y
        await pilot.press("down")
        await pilot.pause()
        assert inbox_list.scroll_y == before + 1
        # Only the new cursor row (which also scrolled into view) and the row it left, now without the cursor;
        # the ten other rows in view are the strips drawn before.
        assert set(drawn) <= {"TL-000030", "TL-000031"} and "TL-000031" in drawn


SHEDDING = [("Case", 9, None), ("Role", 7, 1), ("Way", 5, 2), ("Category", 14, 3), ("Preview", 30, None)]


class SheddingApp(App):
    def compose(self):
        yield InboxList(SHEDDING, id="list")

    def on_mount(self):
        inbox_list = self.query_one(InboxList)
        inbox_list.set_rows([(Text("TL-000001"), Text("student"), Text("anon"), Text("Harassment"), Text("x" * 200))])


async def test_a_narrow_list_drops_the_least_important_columns_before_cutting_the_last():
    app = SheddingApp()
    async with app.run_test(size=(120, 6)) as pilot:
        inbox_list = app.query_one(InboxList)
        for width, header in (
            (120, ["Case", "Role", "Way", "Category", "Preview"]),
            (70, ["Case", "Way", "Category", "Preview"]),  # Role goes first
            (60, ["Case", "Category", "Preview"]),
            (50, ["Case", "Preview"]),
            (30, ["Case", "Preview"]),
        ):  # nothing left to drop: the list scrolls sideways
            await pilot.resize_terminal(width, 6)
            await pilot.pause()
            assert line_text(inbox_list, 0).split() == header, width
            preview = line_text(inbox_list, 1).split()[-1]
            assert len(preview) >= 30 or width == 30
