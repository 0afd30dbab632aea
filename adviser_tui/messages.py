"""App-level messages: results that thread workers post back to the UI."""

from textual.message import Message


class LoggedIn(Message):
    """An adviser signed in (or unlocked the app)."""

    def __init__(self, adviser):
        super().__init__()
        self.adviser = adviser


class DatabaseTrouble(Message):
    """A worker could not reach the database; shown once until it recovers."""

    def __init__(self, text):
        super().__init__()
        self.text = text


class DatabaseRecovered(Message):
    """The database answered again after trouble."""
