"""Every test in this folder drives real processes (`tellus web`, a browser, sshd, tmux): marked e2e,
so that ``pytest -m "not e2e"`` is the quick loop (README, "Tests")."""

import pathlib

import pytest

HERE = pathlib.Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # Called with the whole session's items, not only this folder's.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
