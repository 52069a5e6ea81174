"""The window as the launcher opens it, staged: the document list and the first article are
painted first and the rest is built right after, with nothing a user does in between lost."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView

from gui.core.store import Project
from tests.gui.conftest import add_docs


def _staged_window(qtbot, project_path: Path):
    from gui.ui.main_window import MainWindow

    add_docs(project_path, ["Lavrov spoke in Havana on Monday.", "Second article about Moscow."])
    window = MainWindow(project_path, "ana", staged=True)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    return window


def test_a_staged_window_shows_the_article_first_and_its_panels_right_after(
    qtbot, project_path: Path
) -> None:
    window = _staged_window(qtbot, project_path)
    assert window.view.toPlainText() == "Lavrov spoke in Havana on Monday."
    assert window.findChild(QTableView, "entityList") is None  # not built before the paint
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QTableView, "entityList") is not None)
    assert window.findChild(QTableView, "stanceList") is not None
    assert window.menuBar().actions() and window.actions_by_name["accept"].isEnabled()


def test_keys_typed_before_the_window_is_complete_are_not_lost(
    qtbot, project_path: Path
) -> None:
    window = _staged_window(qtbot, project_path)
    window.show()
    assert window.controller is None  # the first paint has not happened yet
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_doc == 2)  # accepted, then on to the next one
    with Project.open(project_path) as project:
        assert project.annotation_set(1, "ana").status == "done"
    assert window.view.toPlainText() == "Second article about Moscow."


def test_a_staged_window_counts_its_documents_right_after_the_first_paint(
    qtbot, project_path: Path
) -> None:
    window = _staged_window(qtbot, project_path)
    progress = window.findChild(QLabel, "progressLabel")
    assert progress.text() == "counting…"  # the first paint does not wait for the count
    window.show()
    qtbot.waitUntil(lambda: progress.text() == "0 / 2 done")
