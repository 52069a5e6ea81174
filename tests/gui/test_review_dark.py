"""Review mode on a dark palette: the cells of the versions gold holds (light green) keep dark
text. They took the palette's light text, and "— none" or "ORG “Washington”" vanished."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.ui.review import open_review

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio (1 to 21; 4.5 is its minimum for text)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
                         (QPalette.ColorRole.Text, "#e6e6e6")):
        palette.setColor(role, QColor(colour))
    return palette


def test_chosen_versions_stay_legible_on_a_dark_palette(qtbot, project_path: Path) -> None:
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(_dark_palette())
    try:
        window = open_review(None, project_path, "lee")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.document_id is not None, timeout=10000)
        tree = window.tree
        tree.setFocus()
        qtbot.keyClick(tree, "2")  # ben's version into gold: his cell turns green
        model = window.disagreement_model
        chosen = []
        for branch in range(model.rowCount()):
            parent = model.index(branch, 0)
            for row in range(model.rowCount(parent)):
                for column in range(model.columnCount(parent)):
                    index = model.index(row, column, parent)
                    background = index.data(Qt.ItemDataRole.BackgroundRole)
                    if background is not None:
                        text = index.data(Qt.ItemDataRole.ForegroundRole)
                        ink = text.color() if text is not None else tree.palette().color(
                            QPalette.ColorRole.Text)
                        chosen.append(contrast(ink, background.color()))
        assert chosen and min(chosen) >= 4.5, chosen
    finally:
        app.setPalette(light)
