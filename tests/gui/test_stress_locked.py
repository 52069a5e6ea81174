"""Another process holds the project's write lock (a long import in a terminal): the label key
is refused with a sentence in the status bar, nothing lands on the undo stack or in the file,
and the same key works once the lock is gone. "database is locked" never reaches the user."""

from __future__ import annotations

import sqlite3

from tests.gui.conftest import ARTICLE, drag, popup, stored


def test_an_edit_while_another_process_writes_is_refused_then_works(qtbot, window) -> None:
    start = ARTICLE.index("Havana")
    span = window.controller.offsets.span_to_qt(start, start + 6)
    other = sqlite3.connect(window.project_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        drag(qtbot, window.view, *span)
        qtbot.keyClick(popup(qtbot), "2")
        message = window.statusBar().currentMessage()
        assert "is locked by another process" in message and "nothing was changed" in message
        assert "database is locked" not in message
        assert window.undo_stack.count() == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert stored(window.project_path)["entities"] == []
    drag(qtbot, window.view, *span)
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    assert window.undo_stack.count() == 1
