"""Review mode and the agreement dashboard (entry points the main window imports lazily)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from gui.core.backend import project_location
from gui.ui.review.dashboard import DashboardWindow
from gui.ui.review.window import ReviewWindow


def open_review(main_window: QWidget | None, project_path: Path, reviewer: str) -> QWidget:
    """A review window on the project for ``reviewer`` (central view ``reviewView``).

    Someone who is not a reviewer gets the window with a one-line explanation instead, naming
    the command that makes them one. The caller shows the window.
    """
    return ReviewWindow(project_location(project_path), reviewer, main_window)


def open_dashboard(main_window: QWidget | None, project_path: Path) -> QWidget:
    """The agreement dashboard on the project; figures are computed off the GUI thread."""
    return DashboardWindow(project_location(project_path), main_window)


__all__ = ["DashboardWindow", "ReviewWindow", "open_dashboard", "open_review"]
