"""The load and crash benchmarks, shortened for CI: bench/load.py's load for ~10 s (SQLite, and
PostgreSQL with two instances), and bench/crash.py's SIGKILL restarts. The scripts' own code runs
here; see them for the details."""

import pytest

from bench.load import loopback_sources_work, run_load

# Each runs fifty clients and several servers against a bound (restarts within 2 s): the machine is theirs alone.
pytestmark = [
    pytest.mark.skipif(not loopback_sources_work(), reason="needs 127/8 loopback sources"),
    pytest.mark.alone,
]


def check(result):
    print(result.text())
    assert result.passed, result.text()


def test_fifty_reporters_and_three_advisers_on_sqlite(tmp_path):
    check(run_load(str(tmp_path / "load.db"), clients=50, seconds=10, advisers=3))


@pytest.mark.postgres
def test_fifty_reporters_and_three_advisers_on_two_instances_sharing_postgresql(postgres_url):
    result = run_load(postgres_url, clients=50, seconds=10, advisers=3, instances=2)
    check(result)


def test_sigkill_three_times_loses_no_acknowledged_write_and_restarts_within_two_seconds(tmp_path):
    result = run_load(str(tmp_path / "crash.db"), clients=30, seconds=12, advisers=3, kills=3)
    check(result)
    assert len(result.restarts) == 3 and max(result.restarts) < 2.0
