"""The window on a project kept on a PostgreSQL server: the same gestures, stored on the server."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import ARTICLE, drag, popup, stored


def test_the_window_labels_undoes_and_accepts_on_a_server(qtbot, make_window, pg_project) -> None:
    window = make_window([ARTICLE, "Second article about Moscow."], path=pg_project)
    assert window.windowTitle().startswith(pg_project.split("dbname=")[1].split()[0])
    start = ARTICLE.index("Lavrov")
    offsets = window.controller.offsets
    drag(qtbot, window.view, *offsets.span_to_qt(start + 1, start + 4))
    qtbot.keyClick(popup(qtbot), "1")
    assert stored(pg_project)["entities"] == [("Lavrov", "PERSON")]
    assert "Saved" in window.saved_label.text()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(pg_project)["entities"] == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored(pg_project)["entities"] == [("Lavrov", "PERSON")]


def test_the_document_list_filters_by_word_on_a_server(qtbot, make_window, pg_project) -> None:
    window = make_window([ARTICLE, "Second article about Moscow."], path=pg_project)
    listed = window.documents
    qtbot.waitUntil(lambda: listed.rowCount() == 2)
    window.doc_panel.filter_box.setFocus()
    qtbot.keyClicks(window.doc_panel.filter_box, "mosc")
    qtbot.waitUntil(lambda: listed.rowCount() == 1)
    assert listed.index(0, 0).data() == "Doc 1"


def test_file_menu_opens_a_project_on_a_server(qtbot, project_path, pg_project) -> None:
    """File ▸ Open project on a server (Ctrl+Shift+O): the address typed opens in a new window
    that replaces this one (closed and deleted, so not handed to qtbot)."""
    from PySide6.QtWidgets import QApplication, QInputDialog

    from gui.core.store import Project
    from gui.ui.main_window import MainWindow
    from tests.gui.conftest import add_docs, when_modal

    add_docs(project_path, ["A file's own article."])
    with Project.open(pg_project) as project:
        project.add_documents([{"text": ARTICLE, "title": "On the server"}])
    window = MainWindow(project_path, "ana")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue(pg_project)
        dialog.accept()

    when_modal(QInputDialog, answer)
    qtbot.keyClick(window.view, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    opened = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, MainWindow) and w.isVisible()]
    assert len(opened) == 1
    qtbot.addWidget(opened[0])
    assert opened[0].project.dialect.name == "postgresql"
    assert opened[0].documents.index(0, 0).data() == "On the server"
