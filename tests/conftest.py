"""Shared fixtures: a fresh real database per test (SQLite file, or PostgreSQL)."""

import fcntl
import os
import pathlib
import uuid

import pytest

from store import Config, open_database
from store.models import database

POSTGRES_URL = os.environ.get("TELLUS_TEST_POSTGRES", "postgresql://127.0.0.1:5432/test")
ARTIFACTS_ENV = "TELLUS_TEST_ARTIFACTS"
_artifacts_folder = pytest.StashKey()
_alone_lock = pytest.StashKey()
ALONE_LOCK = "tellus_alone_lock"  # workerinput: the folder of the locks that let an `alone` test run by itself
_postgres_reason = None


def postgres_available():
    """None if the test server answers, else why not (shown in the skip)."""
    global _postgres_reason
    if _postgres_reason is None:
        try:
            import psycopg

            with psycopg.connect(POSTGRES_URL.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
                _postgres_reason = ""
        except Exception as exc:  # any failure means: skip, and say why
            _postgres_reason = f"no PostgreSQL server at {POSTGRES_URL}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
    return _postgres_reason or None


@pytest.fixture(autouse=True, scope="session")
def intake_key_file(tmp_path_factory):
    """Reports received before any adviser has keys are sealed to an intake key kept in a file
    (store/keys.py): the test session's goes to a temporary folder, never into the repository. One
    path for the whole session, as some tests share a database across several test functions; a
    file left by one test serves the next (store.keys.intake_public_key reuses it)."""
    path = tmp_path_factory.mktemp("intake") / "intake.key"
    before = os.environ.get("TELLUS_INTAKE_KEY")
    os.environ["TELLUS_INTAKE_KEY"] = str(path)
    yield path
    if before is None:
        del os.environ["TELLUS_INTAKE_KEY"]
    else:
        os.environ["TELLUS_INTAKE_KEY"] = before


@pytest.fixture
def config():
    return Config()


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "tellus.db")


@pytest.fixture
def sqlite_db(sqlite_url):
    db = open_database(sqlite_url)
    yield db
    db.close()


@pytest.fixture
def postgres_url():
    """A private schema in the test database, dropped afterwards."""
    reason = postgres_available()
    if reason:
        if os.environ.get("CI") and not os.environ.get("TELLUS_ALLOW_NO_POSTGRES"):
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    if database.obj is not None and not database.is_closed():
        database.close()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """Store tests run against both engines."""
    if request.param == "sqlite":
        url = str(tmp_path / "tellus.db")
    else:
        url = request.getfixturevalue("postgres_url")
    database_ = open_database(url)
    database_.url = url
    yield database_
    database_.close()


def require_tool(reason):
    """A system tool an end-to-end test drives is missing: skip with why, but fail in CI (env CI set)."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.hookimpl(trylast=True)  # after pytest's own, which makes config._tmp_path_factory
def pytest_configure(config):
    """What the processes of a run share is chosen once, by the process that prints the summary: with
    pytest-xdist (pyproject's addopts) that is the controller, which hands each worker the same folders
    (pytest_configure_node). The artifacts folder: so the summary names the one folder every worker wrote
    into. The folder of the `alone` locks (alone_or_together): so the workers lock the same files."""
    if hasattr(config, "workerinput"):  # an xdist worker
        chosen = config.workerinput.get(ARTIFACTS_ENV)
        if ALONE_LOCK in config.workerinput:
            config.stash[_alone_lock] = pathlib.Path(config.workerinput[ALONE_LOCK])
    else:
        chosen = os.environ.get(ARTIFACTS_ENV)
        if config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None):
            if chosen is None:
                chosen = str(config._tmp_path_factory.mktemp("artifacts"))
            config.stash[_alone_lock] = config._tmp_path_factory.mktemp("alone")
    if chosen is not None:
        config.stash[_artifacts_folder] = pathlib.Path(chosen).resolve()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    folder = node.config.stash.get(_artifacts_folder, None)
    if folder is not None:
        node.workerinput[ARTIFACTS_ENV] = str(folder)
    lock = node.config.stash.get(_alone_lock, None)
    if lock is not None:
        node.workerinput[ALONE_LOCK] = str(lock)


@pytest.fixture(autouse=True)
def alone_or_together(request, pytestconfig):
    """A test marked `alone` bounds its own wall time or loads the whole machine (pyproject's markers): as in
    a run on one core, no other test runs while it does. Every other test of this worker holds a shared
    lock while it runs, set up and torn down; an `alone` test holds it exclusively. The turnstile is taken
    first by both and kept by an `alone` test until it ends, so a worker that keeps starting tests cannot
    keep it waiting. Without pytest-xdist (``-n 0``) nothing runs beside any test, and this does nothing."""
    folder = pytestconfig.stash.get(_alone_lock, None)
    if folder is None:
        yield
        return
    alone = request.node.get_closest_marker("alone") is not None
    with open(folder / "turnstile", "a") as turnstile, open(folder / "running", "a") as running:
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        fcntl.flock(running, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        if not alone:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(running, fcntl.LOCK_UN)
            if alone:
                fcntl.flock(turnstile, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory, pytestconfig):
    """Where tests leave what a person may want to look at afterwards (screenshots, axe results,
    hostile-case counts): $TELLUS_TEST_ARTIFACTS, or else a temporary folder; never the repository.
    The run's summary says where."""
    folder = pytestconfig.stash.get(_artifacts_folder, None) or tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[_artifacts_folder] = folder
    return folder


def pytest_terminal_summary(terminalreporter, config):
    folder = config.stash.get(_artifacts_folder, None)
    if folder is not None and folder.is_dir() and any(folder.iterdir()):
        terminalreporter.write_line(f"test artifacts (screenshots, axe results, hostile-case counts): {folder}")
