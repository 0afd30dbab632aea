"""Fixtures of the adviser app's tests: an adviser, and a year of realistic cases."""

import pytest

from store import sample_data
from store.advisers import create_adviser

from .support import PASSWORD, SAMPLE_NOW


@pytest.fixture
def ann(sqlite_db):
    return create_adviser("ann", PASSWORD, "Ann Adviser")


@pytest.fixture
def sample(config, sqlite_db):
    """A year of realistic cases (store.sample_data); sample.advisers[0] is ann, an admin, password PASSWORD."""
    return sample_data.build(config, now=SAMPLE_NOW, password=PASSWORD)
