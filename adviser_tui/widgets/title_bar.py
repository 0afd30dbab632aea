"""The line at the top of every screen: where the adviser is (and, in the inbox, who is signed in)."""

from textual.widgets import Static


class TitleBar(Static):
    """One line, styled in global.tcss. Its content is built from ``inert`` pieces: never markup."""
