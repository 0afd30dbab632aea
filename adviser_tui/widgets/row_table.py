"""The tables of the oversight and admin screens: one row per entry, Home and End to the first and last row.

``DataTable``'s own Home and End move sideways between columns; in a list of
audit entries, accounts, closures or pattern groups an adviser means the
first and the last row, as in the inbox.
"""

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", **kwargs)
