"""The adviser terminal app (Textual): login, unread-first inbox, case work."""
