"""Accept and next goes on to the next document not done yet, as a queue does."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _accept(qtbot, window) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_accept_and_next_passes_over_documents_already_done(qtbot, make_window) -> None:
    window = make_window(["First.", "Second.", "Third.", "Fourth."])
    ids = window.documents.doc_id_at(0), window.documents.doc_id_at(1), \
        window.documents.doc_id_at(2), window.documents.doc_id_at(3)
    window.open_document(ids[2])
    _accept(qtbot, window)  # the third is done; on to the fourth
    assert window.current_doc == ids[3]

    window.open_document(ids[1])
    _accept(qtbot, window)  # the third is done already: straight to the fourth
    assert window.current_doc == ids[3]

    _accept(qtbot, window)  # none after the fourth: round to the first, still to do
    assert window.current_doc == ids[0]

    _accept(qtbot, window)  # the last one left
    assert window.current_doc == ids[0]
    assert "all are done" in window.statusBar().currentMessage()


def test_skip_and_next_also_passes_over_documents_done(qtbot, make_window) -> None:
    window = make_window(["First.", "Second.", "Third."])
    ids = [window.documents.doc_id_at(row) for row in range(3)]
    window.open_document(ids[1])
    _accept(qtbot, window)
    window.open_document(ids[0])
    qtbot.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc == ids[2]
