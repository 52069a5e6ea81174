"""The dashboard's warnings on a dark palette: "ana and ben: their agreement is mostly
suggestions", "ben kept 100% … check their sets" are what a lead opens it for. They were a
fixed dark amber, 2.6:1 on a dark window (WCAG asks 4.5:1 of text); now a light amber there,
and the dark one again when the palette turns light."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from gui.core.store import Project
from gui.ui.review import DashboardWindow
from tests.gui.test_review_dark import _dark_palette, contrast
from tests.unit.test_effort import build_counted


def legibility(label: QLabel) -> float:
    palette = label.palette()
    return contrast(palette.color(QPalette.ColorRole.WindowText),
                    palette.color(QPalette.ColorRole.Window))


def test_the_dashboards_warnings_stay_legible_on_a_dark_palette(
        qtbot, make_window, project_path: Path) -> None:
    with Project.open(project_path) as project:
        build_counted(project)  # ben keeps every suggestion ana corrects
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(_dark_palette())
    try:
        window = make_window()
        qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: any(isinstance(w, DashboardWindow) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()))
        [dashboard] = [w for w in QApplication.topLevelWidgets()
                       if isinstance(w, DashboardWindow)]
        qtbot.addWidget(dashboard)
        warnings = dashboard.warnings
        qtbot.waitUntil(lambda: "mostly suggestions" in warnings.text(), timeout=20_000)
        assert warnings.isVisible()
        labels = (warnings, dashboard.effort_panel.warnings)
        assert min(legibility(label) for label in labels) >= 4.5
        app.setPalette(light)  # the desktop turned light again
        assert min(legibility(label) for label in labels) >= 4.5
    finally:
        app.setPalette(light)
