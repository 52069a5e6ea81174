"""Where the keyboard goes: Esc and Enter in the word filter give the keys back to the article,
so a label key pressed next labels instead of being typed into the filter; Tab goes from list
to list round the window instead of along a table's cells."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import drag, popup, stored

CTRL = Qt.KeyboardModifier.ControlModifier


def _filter(qtbot, window, words: str):
    qtbot.keyClick(window.view, "f", CTRL)
    box = window.doc_panel.filter_box
    assert box.hasFocus()
    qtbot.keyClicks(box, words)
    return box


def test_esc_in_the_filter_goes_back_to_the_article_and_label_keys_label(qtbot, window) -> None:
    box = _filter(qtbot, window, "Havana")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)
    assert box.text() == "Havana"  # the filter stays
    qtbot.keyClick(QApplication.focusWidget(), "2")  # where the keyboard now types
    assert box.text() == "Havana"
    assert window.statusBar().currentMessage().startswith("Select some words first")
    drag(qtbot, window.view, 0, 6)  # "Russia"
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Russia", "GPE")]


def test_enter_opens_the_first_match_when_the_shown_document_is_filtered_out(qtbot,
                                                                             window) -> None:
    assert window.title_label.text() == "Doc 0"
    box = _filter(qtbot, window, "Moscow")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.view.hasFocus)
    assert window.title_label.text() == "Doc 1"
    assert window.doc_panel.view.currentIndex().row() == 0


def test_enter_keeps_the_shown_document_when_it_matches(qtbot, window) -> None:
    box = _filter(qtbot, window, "Havana")
    qtbot.keyClick(box, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(window.view.hasFocus)
    assert window.title_label.text() == "Doc 0"


def test_down_goes_into_the_list_where_arrows_open_documents(qtbot, window) -> None:
    box = _filter(qtbot, window, "Havana")
    box.returnPressed.emit()  # the list as filtered, without leaving the box
    qtbot.keyClick(box, Qt.Key.Key_Down)
    list_view = window.doc_panel.view
    qtbot.waitUntil(list_view.hasFocus)
    qtbot.keyClick(list_view, Qt.Key.Key_Down)
    assert window.title_label.text() == "Doc 2"


def test_tab_goes_through_the_entity_and_stance_lists_not_along_their_cells(qtbot,
                                                                            window) -> None:
    _label_two(qtbot, window)
    side = window.side
    seen = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    entity_at = seen.index(side.entity_view)
    assert seen[entity_at + 1] is side.stance_view  # not the entity list's next cell
    assert window.doc_panel.filter_box in seen  # round the window, back to the documents


def _label_two(qtbot, window) -> None:
    for word, key in (("Russia", "2"), ("Havana", "2")):
        start = window.view.toPlainText().index(word)
        drag(qtbot, window.view, start, start + len(word))
        qtbot.keyClick(popup(qtbot), key)
    assert len(stored(window.project_path)["entities"]) == 2


def test_an_order_chosen_with_the_mouse_leaves_the_keys_with_the_article(qtbot,
                                                                         window) -> None:
    """A click on the order box gave it the keyboard: the next label key did nothing, and "m"
    changed the order by the box's type-ahead."""
    box = window.doc_panel.order_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.view().isVisible)
    queue = box.view().visualRect(box.model().index(box.findData("queue"), 0)).center()
    qtbot.mouseMove(box.view().viewport(), queue)  # over the entry, then a click on it
    qtbot.mouseClick(box.view().viewport(), Qt.MouseButton.LeftButton, pos=queue)
    qtbot.waitUntil(lambda: not box.view().isVisible())
    assert box.currentData() == "queue" and window.view.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), "m")  # where the keyboard now types
    assert box.currentData() == "queue"
    drag(qtbot, window.view, 0, 6)  # "Russia"
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Russia", "GPE")]


def test_esc_or_enter_in_a_list_box_reached_by_tab_goes_back_to_the_article(qtbot,
                                                                            window) -> None:
    box = window.doc_panel.status_box
    box.setFocus(Qt.FocusReason.TabFocusReason)  # as Tab from the word filter reaches it
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_Down)  # ↓ still steps through its entries
    assert box.currentIndex() == 1 and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)
    window.doc_panel.order_box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(window.doc_panel.order_box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.view.hasFocus)
