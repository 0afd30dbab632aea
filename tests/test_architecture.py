"""The one rule of the architecture: store/ never imports a front end."""

import pathlib
import pkgutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# What importing the store must never load (the same list as the forbidden contract in pyproject.toml).
FORBIDDEN = {"bottle", "textual", "rich", "waitress", "reporter_web", "adviser_tui", "tellus", "babel"}


def test_the_import_contracts_hold():
    """import-linter's contracts in pyproject.toml: the store imports no front end or UI framework, the two front
    ends are independent, and tellus > front ends > store. A broken contract fails the suite, not only CI."""
    lint_imports = pathlib.Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout and "3 kept" in out.stdout


def store_modules():
    """Every module of the store, its packages' modules included (store.patterns.*, store.migrations.*)."""
    import store

    return sorted(info.name for info in pkgutil.walk_packages(store.__path__, "store."))


def test_the_module_list_reaches_into_packages():
    modules = store_modules()
    assert {"store.patterns.places", "store.migrations.step_001_private_counts", "store.clock"} <= set(modules)


def test_importing_every_store_module_loads_no_front_end():
    code = (
        "import importlib, sys\n"
        f"for m in {store_modules()!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
