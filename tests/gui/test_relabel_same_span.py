"""A label key on the exact span of an entity relabels it; another span still adds one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import ARTICLE, drag, point_at, popup, stored


def q(window, start: int, end: int) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end)


def double_click(qtbot, window, python_position: int) -> None:
    view = window.view
    position = q(window, python_position, python_position)[0]
    view.show_span(position, position)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, position))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, position))


def test_double_click_on_an_entity_then_a_label_key_relabels_it(qtbot, window) -> None:
    start = ARTICLE.index("Havana")
    double_click(qtbot, window, start + 2)
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    window.view.clear_selection()
    double_click(qtbot, window, start + 3)
    qtbot.keyClick(window.view, "3")
    assert stored(window.project_path)["entities"] == [("Havana", "ORG")]


def test_a_selection_snapping_to_an_entity_relabels_it_in_one_undo_step(qtbot, window) -> None:
    """A drag over part of "Lavrov" snaps to the entity "Lavrov": the popup's key relabels it
    (it added a second "Lavrov" over the first), the status bar says so, and one Ctrl+Z gives
    the old label back."""
    start = ARTICLE.index("Lavrov")
    drag(qtbot, window.view, *q(window, start, start + 6))
    qtbot.keyClick(popup(qtbot), "1")
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]
    depth = window.undo_stack.count()
    drag(qtbot, window.view, *q(window, start + 1, start + 4))  # "avr", snapped to "Lavrov"
    qtbot.keyClick(popup(qtbot), "3")
    assert stored(window.project_path)["entities"] == [("Lavrov", "ORG")]
    assert window.undo_stack.count() == depth + 1
    assert window.statusBar().currentMessage() == "Saved: Relabel as ORG"
    assert window.side.entity_view.model().rowCount() == 1
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]


def test_a_different_span_over_an_entity_still_adds_an_overlapping_one(qtbot, window) -> None:
    start = ARTICLE.index("Sergei Lavrov")
    drag(qtbot, window.view, *q(window, start + 7, start + 13))
    qtbot.keyClick(popup(qtbot), "1")
    drag(qtbot, window.view, *q(window, start, start + 13))
    qtbot.keyClick(popup(qtbot), "1")
    assert sorted(stored(window.project_path)["entities"]) == [
        ("Lavrov", "PERSON"), ("Sergei Lavrov", "PERSON")]
