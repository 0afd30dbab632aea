"""Fixtures for the reporter-site tests (the shared ones are in tests/conftest.py)."""

import pytest

from .support import web


@pytest.fixture
def app(sqlite_db, config):
    """A browser on the site, over a fresh SQLite file."""
    return web(config)
