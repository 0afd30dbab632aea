"""A tiny app for the end-to-end test: a line standing in for the case screen, and the evidence viewer over it.

python -m tests.e2e.evidence_viewer_app KIND FILE
"""

import pathlib
import sys

from textual.app import App
from textual.widgets import Static

from adviser_tui.modals.evidence_viewer import EvidenceItem, EvidenceViewer

BEHIND = "The case behind the viewer"


class ViewerApp(App):
    def __init__(self, kind, path):
        super().__init__()
        self.kind = kind
        self.path = pathlib.Path(path)

    def compose(self):
        yield Static(BEHIND)

    def on_mount(self):
        path = self.path
        item = EvidenceItem(path.name, self.kind, path.stat().st_size, ["GPS position"], path.read_bytes)
        self.push_screen(EvidenceViewer(item))


if __name__ == "__main__":
    ViewerApp(sys.argv[1], sys.argv[2]).run()
