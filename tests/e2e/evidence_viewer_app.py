"""A tiny app for the end-to-end tests: a line standing in for the case screen, and the evidence viewer over it.

python -m tests.e2e.evidence_viewer_app KIND FILE [NOTE]

Like ``tellus adviser``, it asks the terminal how it draws pictures before
Textual starts (``terminal_graphics.choose`` and ``prepare_colours``, "auto" unless
``TELLUS_EVIDENCE_GRAPHICS`` says otherwise); with NOTE it writes the answer
there ("kitty", "sixel" or "halfblocks", and why) for the test to read.
"""

import os
import pathlib
import sys

from textual.app import App
from textual.widgets import Static

from adviser_tui.modals.evidence_viewer import EvidenceItem, EvidenceViewer
from adviser_tui.terminal_graphics import choose, prepare_colours

BEHIND = "The case behind the viewer"


class ViewerApp(App):
    def __init__(self, kind, path, graphics=None):
        super().__init__()
        self.kind = kind
        self.path = pathlib.Path(path)
        self.graphics = graphics

    def compose(self):
        yield Static(BEHIND)

    def on_mount(self):
        path = self.path
        item = EvidenceItem(path.name, self.kind, path.stat().st_size, ["GPS position"], path.read_bytes)
        self.push_screen(EvidenceViewer(item))


if __name__ == "__main__":
    graphics = choose("auto", os.environ, sys.stdin, sys.stdout)
    prepare_colours(graphics, os.environ)
    if len(sys.argv) > 3:
        pathlib.Path(sys.argv[3]).write_text(f"{graphics.mode} {graphics.cell} {graphics.colours}: {graphics.reason}\n")
    ViewerApp(sys.argv[1], sys.argv[2], graphics).run()
