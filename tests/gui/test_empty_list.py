"""A filter that lists nothing says so where the rows would be, and how to list them again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.ui.empty_list import empty_message


def test_a_word_filter_with_no_match_says_so_in_the_list(qtbot, window) -> None:
    note = window.doc_panel.empty_note.label
    assert not note.isVisible()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.doc_panel.filter_box, "<b>xyz")
    qtbot.keyClick(window.doc_panel.filter_box, Qt.Key.Key_Return)
    qtbot.waitUntil(note.isVisible)
    assert window.documents.rowCount() == 0
    assert note.text().startswith("No document contains “<b>xyz”.")  # as typed, not bold
    assert "✕" in note.text() and note.textFormat() == Qt.TextFormat.PlainText

    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.doc_panel.filter_box, Qt.Key.Key_Delete)
    qtbot.keyClick(window.doc_panel.filter_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not note.isVisible())
    assert window.documents.rowCount() == 3


def test_the_note_names_the_status_filter_too() -> None:
    assert empty_message("", "done") == (
        "No document is marked “done” for you.\n\n"
        "To list every document, choose All in the status box.")
    assert empty_message("havana", "flagged").startswith(
        "No document marked “flagged” contains “havana”.")
    assert empty_message("", None).startswith("No documents yet.")
