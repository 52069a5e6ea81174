"""Entities with the mouse and the keyboard on the real window, checked in the project file."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import ARTICLE, click, drag, popup, stored


def q(window, start: int, end: int) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end)


def test_drag_then_label_key_in_popup_stores_the_token_snapped_span(qtbot, window) -> None:
    start = ARTICLE.index("Lavrov")
    drag(qtbot, window.view, *q(window, start + 1, start + 4))  # "avr" inside "Lavrov"
    qtbot.keyClick(popup(qtbot), "1")
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]
    assert "Saved" in window.saved_label.text()


def test_double_click_selects_a_word_and_the_popup_labels_it(qtbot, window) -> None:
    view = window.view
    position = q(window, ARTICLE.index("Havana") + 2, 0)[0]
    view.show_span(position, position)
    from tests.gui.conftest import point_at

    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, position))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, position))
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]


def test_label_key_after_closing_the_popup_and_relabel_delete_undo_redo(qtbot, window) -> None:
    view = window.view
    start = ARTICLE.index("Cuba")
    drag(qtbot, view, *q(window, start, start + 4))
    qtbot.keyClick(popup(qtbot), Qt.Key.Key_Escape)
    qtbot.keyClick(view, "3")
    assert stored(window.project_path)["entities"] == [("Cuba", "ORG")]
    view.clear_selection()
    click(qtbot, view, q(window, start + 1, 0)[0])
    assert window.side.entity_view.currentIndex().row() == 0
    qtbot.keyClick(view, "2")
    assert stored(window.project_path)["entities"] == [("Cuba", "GPE")]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(window.project_path)["entities"] == []
    qtbot.keyClick(view, "z", Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["entities"] == [("Cuba", "GPE")]
    qtbot.keyClick(view, "z", Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["entities"] == [("Cuba", "ORG")]
    qtbot.keyClick(view, "z", Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert stored(window.project_path)["entities"] == [("Cuba", "GPE")]
    assert window.undo_stack.count() == 3


def test_shift_arrows_move_the_boundaries_by_whole_tokens(qtbot, window) -> None:
    view = window.view
    start = ARTICLE.index("Lavrov")
    drag(qtbot, view, *q(window, start, start + 6))
    qtbot.keyClick(popup(qtbot), "1")
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert stored(window.project_path)["entities"] == [("Lavrov met", "PERSON")]
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Left, ctrl_shift)
    assert stored(window.project_path)["entities"] == [("Sergei Lavrov", "PERSON")]
    assert view.selection() == q(window, ARTICLE.index("Sergei"), start + 6)


def test_selecting_a_row_puts_the_cursor_exactly_over_the_span(qtbot, window) -> None:
    view = window.view
    for word, key in (("Russia", "2"), ("Havana", "2"), ("Monday", "9")):
        start = ARTICLE.index(word)
        drag(qtbot, view, *q(window, start, start + len(word)))
        qtbot.keyClick(popup(qtbot), key)
    table = window.side.entity_view
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))
    cursor = view.textCursor()
    assert cursor.selectedText() == "Havana"
    assert (cursor.selectionStart(), cursor.selectionEnd()) == q(
        window, ARTICLE.index("Havana"), ARTICLE.index("Havana") + 6)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert view.textCursor().selectedText() == "Monday"
    click(qtbot, view, q(window, ARTICLE.index("Russia") + 2, 0)[0])
    assert table.currentIndex().row() == 0


def test_dragging_an_edge_of_the_selected_entity_resizes_it(qtbot, window) -> None:
    from tests.gui.conftest import point_at

    view = window.view
    start = ARTICLE.index("Bruno")
    drag(qtbot, view, *q(window, start, start + 5))
    qtbot.keyClick(popup(qtbot), "1")
    end_point = point_at(view, q(window, start + 5, 0)[0])
    target = point_at(view, q(window, start + 12, 0)[0])  # inside "Rodríguez"
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=end_point)
    qtbot.mouseMove(view.viewport(), target)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert stored(window.project_path)["entities"] == [("Bruno Rodríguez", "PERSON")]


def test_article_text_and_names_are_shown_literally(qtbot, make_window) -> None:
    text = "Headline <b>x</b> &amp; <img src=x onerror=alert(1)>\nBody."
    window = make_window([text])
    assert window.view.toPlainText() == text.replace("\r\n", "\n")
    assert window.view.document().toPlainText() == text
    drag(qtbot, window.view, 9, 17)
    qtbot.keyClick(popup(qtbot), "3")
    entity = stored(window.project_path)["entities"][0]
    assert entity[0].startswith("<b>x")
    assert window.side.entity_view.model().index(0, 0).data() == entity[0]
    assert window.title_label.text() == "Doc 0"


def test_zoom_keys_change_the_reading_size(qtbot, window) -> None:
    view = window.view
    before = view.font().pointSizeF()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() > before
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.font().pointSizeF() < before


def test_the_article_has_the_keyboard_when_the_window_opens(qtbot, project_path) -> None:
    from gui.ui.main_window import MainWindow
    from tests.gui.conftest import add_docs

    add_docs(project_path, [ARTICLE])
    window = MainWindow(project_path, "ana")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.focusWidget() is window.view
