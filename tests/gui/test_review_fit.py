"""Review mode (Ctrl+R) and the agreement dashboard (Ctrl+D) fit a 1366×768 laptop screen.

They opened at 1480×880 and 1180×860 whatever the screen: on the most common laptop the
review window's version columns, its gold lists and its status bar were off the screen; and
there the article beside the versions keeps a column of at least 40 characters. Each
run is a process of its own on Qt's offscreen platform given a screen of that size, as in
test_window_fit.py; the windows are opened with the keys, from the annotation window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from gui.core.store import Project
from gui.formats.importer import import_files
from tests.gui.test_review import _loaded, _open

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"

PROBE = r"""
import json, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
app.setOrganizationName("MarginaliaFitTests")
app.setApplicationName("MarginaliaFitTests")
from gui.ui.main_window import MainWindow
from gui.ui.review import DashboardWindow, ReviewWindow
window = MainWindow(sys.argv[1], "lee")
window.show()

def box(widget):
    rect = widget.frameGeometry() if widget.isWindow() else widget.rect()
    if not widget.isWindow():
        top_left = widget.mapToGlobal(rect.topLeft())
        rect.moveTopLeft(top_left)
    return [rect.left(), rect.top(), rect.right(), rect.bottom()]

def report():
    window.activateWindow()
    QTest.keyClick(window.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    app.processEvents()
    review = next(w for w in app.topLevelWidgets() if isinstance(w, ReviewWindow))
    dashboard = next(w for w in app.topLevelWidgets() if isinstance(w, DashboardWindow))
    available = window.screen().availableGeometry()
    print(json.dumps({
        "available": [available.left(), available.top(), available.right(), available.bottom()],
        "review": box(review), "review_status": box(review.statusBar()),
        "review_visible": review.isVisible(), "dashboard_visible": dashboard.isVisible(),
        "dashboard": box(dashboard),
        "column": review.article.viewport().width(),
        "average_char": review.article.fontMetrics().averageCharWidth(),
    }))
    app.quit()

QTimer.singleShot(200, report)
app.exec()
"""


def _within(inner: list[int], outer: list[int]) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3])


def test_review_and_dashboard_fit_a_laptop_screen(tmp_path: Path, project_path: Path) -> None:
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(project_path)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["review_visible"] and seen["dashboard_visible"], seen
    for part in ("review", "review_status", "dashboard"):
        assert _within(seen[part], seen["available"]), (part, seen)
    # The article beside the versions keeps a readable column (it had ~30 characters).
    assert seen["column"] >= 40 * seen["average_char"], seen


def test_the_queue_cuts_its_lines_with_an_ellipsis_and_tells_them_whole(
        qtbot, project_path: Path) -> None:
    """At a sixth of a 1366 window the queue hid the end of "1 disagreement · 20% disputed · 3
    annotators" behind a sideways scroll bar: now each line ends in "…" inside the list, and
    its tooltip has both lines whole."""
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    window = _open(qtbot, project_path)
    window.resize(1366, 740)
    _loaded(qtbot, window)
    queue = window.queue_view
    qtbot.waitUntil(lambda: queue.viewport().width() < 300)
    assert queue.horizontalScrollBar().maximum() == 0  # nothing lies beyond the edge
    assert not queue.horizontalScrollBar().isVisible()
    for row in range(window.queue_model.rowCount()):
        index = window.queue_model.index(row, 0)
        shown = index.data()
        assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(shown)
        assert "disputed" in shown.splitlines()[1]
