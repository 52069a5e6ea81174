"""Popups have an edge that stands out from the window behind them, light palette or dark:
the key popups (label, target, polarity, holder) and the right-click menu. On a dark palette
their outline was a faint line, a popup over the article barely told apart from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QMenu

from gui.core.contrast import MARK, contrast
from tests.gui.conftest import ARTICLE, drag, popup
from tests.gui.test_context_menu import right_click


def _dark() -> QPalette:
    """A dark palette as a desktop's dark theme makes it: every role derived from its
    window colour (QPalette's own constructor), light text on dark."""
    palette = QPalette(QColor("#2b2b2b"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(role, QColor("#e6e6e6"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    return palette


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp) -> Iterator[str]:
    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(_dark())
    yield request.param
    qapp.setPalette(before)


def _edge_contrast(menu: QMenu) -> float:
    """The contrast of the menu's outermost pixels (its frame, as drawn) with the window."""
    image = menu.grab().toImage()
    window = menu.palette().color(QPalette.ColorRole.Window).name()
    middle = QPoint(image.width() // 2, image.height() // 2)
    edges = [QPoint(0, middle.y()), QPoint(image.width() - 1, middle.y()),
             QPoint(middle.x(), 0), QPoint(middle.x(), image.height() - 1)]
    return min(contrast(image.pixelColor(point).name(), window) for point in edges)


def test_a_key_popup_has_a_visible_frame(qtbot, window, palette: str) -> None:
    start = ARTICLE.index("Havana")
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + 6))
    menu = popup(qtbot)
    assert _edge_contrast(menu) >= MARK
    qtbot.keyClick(menu, Qt.Key.Key_Escape)


def test_the_right_click_menu_has_a_visible_frame(qtbot, window, palette: str) -> None:
    start = ARTICLE.index("Havana")
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + 6))
    qtbot.keyClick(popup(qtbot), "2")
    window.view.clear_selection()
    menu = right_click(qtbot, window, start + 2)
    assert menu.objectName() == "annotationMenu"
    assert _edge_contrast(menu) >= MARK
    menu.close()
