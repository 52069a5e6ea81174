"""Start the window: resolve the project and the annotator, then hand over to gui.ui."""

from __future__ import annotations


def run_window(project: str | None, annotator: str | None) -> int:
    from gui.ui.launch import launch

    return launch(project, annotator)
