"""After an editor process was SIGKILLed again and again, the window opens the file and shows
exactly what the file holds: the crash suite's last step, seen as the user sees it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractItemView, QTextEdit

from gui.core.store import Project
from tests.unit.test_fault_edits import crash_many


def test_the_window_opens_a_project_whose_editor_was_killed(qtbot, make_window,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "crashed.marginalia"
    crash_many(path, kills=2, seed=7)
    with Project.open(path) as project:
        first = project.document_ids()[0]
        text = project.document(first).text
        expected = len(project.annotation_set(first, "ana").entities)
    window = make_window(path=path, annotator="ana")
    documents = window.findChild(QAbstractItemView, "documentList")
    article = window.findChild(QTextEdit, "articleView")
    entities = window.findChild(QAbstractItemView, "entityList")
    assert documents.model().rowCount() == 4
    assert window.current_doc == first
    assert article.document().toPlainText() == text
    assert entities.model().rowCount() == expected
