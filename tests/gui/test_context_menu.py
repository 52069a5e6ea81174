"""A right-click on an annotation offers its actions: relabel or delete an entity, change a
stance's polarity, by mouse alone (it gave Qt's Copy / Select All)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from tests.gui.conftest import ARTICLE, click, drag, point_at, popup, stored


def q(window, start: int, end: int = 0) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end or start)


def right_click(qtbot, window, python_position: int) -> QMenu:
    view = window.view
    at = point_at(view, q(window, python_position)[0]) + QPoint(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=at)
    # The context menu event the window system sends after a right press (QTest's mouse
    # events go straight to the widget, past the window that would make it).
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at)))
    menu = popup(qtbot)
    assert isinstance(menu, QMenu)
    return menu


def choose(qtbot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def test_right_click_relabels_and_deletes_an_entity(qtbot, window) -> None:
    start = ARTICLE.index("Havana")
    drag(qtbot, window.view, *q(window, start, start + 6))
    qtbot.keyClick(popup(qtbot), "2")
    window.view.clear_selection()
    menu = right_click(qtbot, window, start + 2)
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Label PERSON", "Label GPE"]
    assert menu.actions()[2].shortcut().toString() == "3"  # the key is shown
    choose(qtbot, menu, "Label ORG")
    assert stored(window.project_path)["entities"] == [("Havana", "ORG")]
    choose(qtbot, right_click(qtbot, window, start + 2), "Delete annotation")
    assert stored(window.project_path)["entities"] == []


def test_right_click_changes_a_stances_polarity(qtbot, window) -> None:
    click(qtbot, window.view, q(window, ARTICLE.index("rejects"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "e")
    qtbot.keyClick(popup(qtbot), "z")
    assert stored(window.project_path)["stances"][0][2] == "against"
    window.view.clear_selection()
    choose(qtbot, right_click(qtbot, window, ARTICLE.index("blockade")), "Polarity: neutral")
    assert stored(window.project_path)["stances"][0][2] == "neutral"


def test_right_click_off_annotations_keeps_the_texts_own_menu(qtbot, window) -> None:
    menu = right_click(qtbot, window, ARTICLE.index("rejects"))
    assert menu.objectName() != "annotationMenu"
    assert any("Copy" in a.text().replace("&", "") for a in menu.actions())
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
