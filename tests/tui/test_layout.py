"""The adviser app's layout holds: no import cycles, layers that import downwards only, no site code.

Screens open each other through the app (``AdviserApp.show_screen``), so no
screen imports another to dodge a circle; modals and widgets know no screen;
nothing in adviser_tui reaches reporter_web, even through another module
(``tellus demo`` starts the site; the app knows nothing of it).
"""

import pathlib

import grimp
import pytest

# One worker builds the import graph once for the module (pytest-xdist, pyproject addopts).
pytestmark = pytest.mark.xdist_group("tui-layout")

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "adviser_tui"
# Higher layers may import lower ones, never the reverse (grimp's layer check, as import-linter's "layers").
LAYERS = (
    "adviser_tui.app",
    "adviser_tui.screens",
    "adviser_tui.modals",
    "adviser_tui.widgets",
    "adviser_tui.store_calls",
    "adviser_tui.gateway",
)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("adviser_tui", "reporter_web", "store", "tellus")


def modules_of(graph):
    return sorted(m for m in graph.modules if m.startswith("adviser_tui"))


def test_no_module_of_the_app_takes_part_in_an_import_cycle(graph):
    cycles = []
    for module in modules_of(graph):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("adviser_tui") and imported != module:
                back = graph.find_shortest_chain(importer=imported, imported=module)
                if back is not None:
                    cycles.append((module, *back))
    assert cycles == []


def test_layers_import_downwards_only(graph):
    assert graph.find_illegal_dependencies_for_layers(layers=LAYERS) == set()


def test_screens_open_each_other_through_the_app_not_by_import(graph):
    screens = [m for m in modules_of(graph) if m.startswith("adviser_tui.screens.")]
    direct = {(a, b) for a in screens for b in graph.find_modules_directly_imported_by(a) if b in screens}
    # A screen may import its own content builders and the base of the admin screens, nothing more.
    allowed = {("adviser_tui.screens.case", "adviser_tui.screens.case_blocks")}
    allowed |= {
        (m, "adviser_tui.screens.admin")
        for m in (
            "adviser_tui.screens.advisers",
            "adviser_tui.screens.audit",
            "adviser_tui.screens.closures",
            "adviser_tui.screens.stats",
        )
    }
    assert direct - allowed == set()


def test_the_app_knows_nothing_of_the_reporter_site(graph):
    assert not graph.chain_exists(importer="adviser_tui", imported="reporter_web", as_packages=True)


def test_no_source_file_is_over_500_lines():
    long = {
        path.relative_to(PACKAGE).as_posix(): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
