"""File ▸ Import (Ctrl+I) offers saved web pages and shows the imported article as paragraphs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import DATA

PAGE = DATA / "html" / "fivethirtyeight-manchin.html"


def test_ctrl_i_imports_a_saved_page_and_the_window_shows_its_article(
    qtbot, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(["Already here."])
    offered: list[str] = []

    def choose(_parent, _caption, _folder, filters):  # the user picks the page in the dialog
        offered.append(filters)
        return [str(PAGE)], filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.documents.rowCount() == 2, timeout=20000)
    qtbot.waitUntil(lambda: "1 documents added" in window.statusBar().currentMessage(),
                    timeout=20000)
    [filters] = offered
    articles = filters.split(";;")[0]
    assert "*.html" in articles and "*.htm" in articles and "*.txt" in articles
    view = window.view
    assert view.objectName() == "articleView"
    window.activateWindow()  # back from the progress dialog, as the user's window is
    qtbot.waitUntil(window.isActiveWindow)
    for _ in range(2):  # the list's order decides whether the page is first or second
        if view.toPlainText().startswith("Sen. Joe Manchin"):
            break
        qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.toPlainText().startswith("Sen. Joe Manchin told reporters"),
                    timeout=20000)
    assert "\n\nBut what if Manchin did leave the Democratic Party?\n\n" in view.toPlainText()
    assert "Share on Facebook" not in view.toPlainText()
