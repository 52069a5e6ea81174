"""Review mode and the dashboard, opened with Ctrl+R and Ctrl+D, close with Ctrl+W, and the
notice someone who is not a reviewer gets (a window with no menu) closes with Esc: before, the
mouse on the window manager's frame was the only way out of any of them. The dashboard's
headline counts in the singular too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.ui.review import DashboardWindow, ReviewWindow

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"
CTRL = Qt.KeyboardModifier.ControlModifier


def _opened(qtbot, window, key: str, kind: type):
    qtbot.keyClick(window.view, key, CTRL)
    qtbot.waitUntil(lambda: any(isinstance(w, kind) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    opened = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, kind) and w.isVisible())
    opened.activateWindow()
    qtbot.waitUntil(opened.isActiveWindow)
    return opened


def _closed_by(qtbot, opened, key: Qt.Key | str, mods=Qt.KeyboardModifier.NoModifier) -> None:
    closed: list[bool] = []
    opened.destroyed.connect(lambda: closed.append(True))
    qtbot.keyClick(opened, key, mods)
    qtbot.waitUntil(lambda: bool(closed), timeout=5000)


def test_the_not_a_reviewer_notice_closes_with_esc(qtbot, window) -> None:
    notice = _opened(qtbot, window, "r", ReviewWindow)
    text = notice.findChild(QLabel, "reviewRefused").text()
    assert "ana is not a reviewer" in text
    _closed_by(qtbot, notice, Qt.Key.Key_Escape)


def test_review_and_dashboard_close_with_ctrl_w(qtbot, make_window, project_path) -> None:
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    window = make_window(annotator="lee")
    review = _opened(qtbot, window, "r", ReviewWindow)
    qtbot.waitUntil(lambda: review.document_id is not None, timeout=10000)
    _closed_by(qtbot, review, "w", CTRL)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    dashboard = _opened(qtbot, window, "d", DashboardWindow)
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=20000)
    _closed_by(qtbot, dashboard, "w", CTRL)


def test_the_dashboard_counts_one_document_in_the_singular(qtbot, make_window, project_path,
                                                           tmp_path) -> None:
    two = tmp_path / "two.jsonl"  # one document, done by ana and by ben
    two.write_text("".join((DATA / "three_annotators.jsonl").read_text().splitlines(True)[:2]))
    with Project.open(project_path) as project:
        import_files(project, [two])
    window = make_window()
    dashboard = _opened(qtbot, window, "d", DashboardWindow)
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=20000)
    assert dashboard.headline.text().startswith("1 document done by two or more annotators")
