"""The one rule of the architecture: store/ never imports a front end."""

import ast
import pathlib
import pkgutil
import subprocess
import sys

STORE = pathlib.Path(__file__).resolve().parent.parent / "store"
FORBIDDEN = {"bottle", "textual", "rich", "waitress", "reporter_web", "adviser_tui", "tellus", "babel"}


def test_store_source_imports_no_front_end():
    offenders = []
    for path in STORE.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


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
