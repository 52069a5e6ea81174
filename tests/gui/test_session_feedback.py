"""What the window says and shows back during a session: the status bar after undo and redo,
and rows and margin notes that keep their places while the annotator works."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import ARTICLE, drag, popup, stored

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _label(qtbot, window, word: str, key: str) -> None:
    start = ARTICLE.index(word)
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + len(word)))
    qtbot.keyClick(popup(qtbot), key)


def test_the_status_bar_says_undone_and_redone(qtbot, window) -> None:
    _label(qtbot, window, "Havana", "2")
    bar = window.statusBar()
    assert bar.currentMessage() == "Saved: Add GPE"
    qtbot.keyClick(window.view, "z", CTRL)
    assert stored(window.project_path)["entities"] == []
    assert bar.currentMessage() == "Undone: Add GPE"
    qtbot.keyClick(window.view, "z", CTRL | SHIFT)
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    assert bar.currentMessage() == "Redone: Add GPE"
