"""Live progress on a server: windows of different annotators (and the reviewer's) see each
other's work as it is committed, without reloading or losing what is selected."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.core.edits import SetStatus
from gui.core.store import Project
from tests.gui.conftest import ARTICLE

TEXTS = [ARTICLE, "Second article about Moscow.", "Third one about Havana."]


def accept(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_two_annotators_see_each_others_progress_live(qtbot, make_window, pg_project) -> None:
    ana = make_window(TEXTS, "ana", path=pg_project)
    ana.doc_panel.select_document(2)
    ana.open_document(2)
    ben = make_window(None, "ben", path=pg_project)
    accept(qtbot, ben)  # ben finishes document 1
    qtbot.waitUntil(lambda: "ben 1 done" in ana.team_label.text(), timeout=10000)
    assert ana.current_doc == 2  # nothing reloaded under ana's hands
    assert ana.doc_panel.view.currentIndex().row() == ana.documents.row_of(2)
    accept(qtbot, ana)  # ana finishes document 2
    qtbot.waitUntil(lambda: "ana 1 done" in ben.team_label.text(), timeout=10000)


def test_an_annotators_own_list_follows_her_other_window(qtbot, make_window, pg_project) -> None:
    ana = make_window(TEXTS, "ana", path=pg_project)
    with Project.open(pg_project) as elsewhere:  # ana in a second window, or a script
        SetStatus(3, "ana", "done").apply(elsewhere)
    qtbot.waitUntil(lambda: ana.doc_panel.progress_label.text().endswith("1 / 3 done"),
                    timeout=10000)
    assert ana.current_doc == 1


def test_the_dashboard_counts_progress_as_annotators_work(qtbot, make_window, pg_project):
    from gui.ui.review import open_dashboard

    ben = make_window(TEXTS, "ben", path=pg_project)
    dashboard = open_dashboard(None, pg_project)
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.computed, timeout=20000):
        dashboard.show()
    with qtbot.waitSignal(dashboard.progress_counted, timeout=10000):
        accept(qtbot, ben)
    assert dict(dashboard.progress_chart.rows)["ben"]["done"] == 1


def test_the_reviewers_queue_follows_the_annotators(qtbot, make_window, pg_project) -> None:
    from gui.ui.review import open_review

    with Project.open(pg_project) as owner:
        owner.add_documents([{"text": t, "title": f"Doc {i}"} for i, t in enumerate(TEXTS)])
        owner.ensure_annotator("rev", "reviewer")
        for doc in (1, 2):
            SetStatus(doc, "ana", "done").apply(owner)
            SetStatus(doc, "ben", "done").apply(owner)
    review = open_review(None, pg_project, "rev")
    qtbot.addWidget(review)
    with qtbot.waitSignal(review.queue_loaded, timeout=20000):
        review.show()
    assert review.queue_model.rowCount() == 2
    review.queue_view.setCurrentIndex(review.queue_model.index(1))
    with Project.open(pg_project) as cy:
        SetStatus(3, "ana", "done").apply(cy)
        SetStatus(3, "ben", "done").apply(cy)
    qtbot.waitUntil(lambda: review.queue_model.rowCount() == 3, timeout=10000)
    assert review.document_id == 2  # still on the document the reviewer chose


def test_a_second_reviewer_reads_the_gold_another_holds_and_is_told_who(qtbot, pg_project):
    from gui.ui.review import open_review

    with Project.open(pg_project) as owner:
        owner.add_documents([{"text": t, "title": f"Doc {i}"} for i, t in enumerate(TEXTS)])
        for name in ("rev", "eve"):
            owner.ensure_annotator(name, "reviewer")
        for doc in (1, 2):
            SetStatus(doc, "ana", "done").apply(owner)
            SetStatus(doc, "ben", "done").apply(owner)

    def reviewer(name: str, *, closed_by_the_test: bool = False):
        window = open_review(None, pg_project, name)
        if not closed_by_the_test:  # deleted on close: qtbot must not close it again
            qtbot.addWidget(window)
        with qtbot.waitSignal(window.queue_loaded, timeout=20000):
            window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    rev = reviewer("rev", closed_by_the_test=True)
    eve = reviewer("eve")
    assert rev.document_id == eve.document_id == 1
    assert "rev is reviewing this document's gold" in eve.header.text()
    eve.queue_view.setFocus()
    qtbot.keyClick(eve.queue_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "rev is reviewing" in eve.statusBar().currentMessage()
    with Project.open(pg_project) as look:
        assert look.annotation_set(1, "#gold").status != "done"
    rev.close()  # her session ends, and the lock with it
    eve.open_document(1)
    assert "reviewing" not in eve.header.text()
    eve.queue_view.setFocus()
    qtbot.keyClick(eve.queue_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with Project.open(pg_project) as look:
        assert look.annotation_set(1, "#gold").status == "done"


def test_the_window_keeps_edits_while_the_server_is_away_and_saves_them_in_order(
    qtbot, make_window, pg_server, pg_project
) -> None:
    from tests.gui.conftest import drag, popup, stored

    window = make_window(TEXTS, "ana", path=pg_project)
    offsets = window.controller.offsets
    lavrov, havana = ARTICLE.index("Lavrov"), ARTICLE.index("Havana")
    pg_server.pause()
    try:
        qtbot.waitUntil(lambda: "Not connected to the server" in window.saved_label.text(),
                        timeout=10000)  # said at once, before any edit
        drag(qtbot, window.view, *offsets.span_to_qt(lavrov + 1, lavrov + 4))
        qtbot.keyClick(popup(qtbot), "1")
        assert "1 edit not saved yet" in window.saved_label.text()
        drag(qtbot, window.view, *offsets.span_to_qt(havana + 1, havana + 4))
        qtbot.keyClick(popup(qtbot), "3")
        assert "2 edits not saved yet" in window.saved_label.text()
        assert "Saved" not in window.saved_label.text()
        assert window.saved_label.toolTip().count("\n") == 1  # both listed, in order
        assert not window.undo_stack.canUndo()  # nothing to undo that was never saved
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: not window.undo.waiting, timeout=10000)
    assert [text for text, _label in stored(pg_project)["entities"]] == ["Lavrov", "Havana"]
    assert "not saved" not in window.saved_label.text()
    assert window.undo_stack.count() == 2


def test_the_reviewers_edits_wait_for_the_server_and_keep_the_gold(qtbot, pg_server, pg_project):
    from gui.ui.review import open_review

    with Project.open(pg_project) as owner:
        owner.add_documents([{"text": t, "title": f"Doc {i}"} for i, t in enumerate(TEXTS)])
        owner.ensure_annotator("rev", "reviewer")
        SetStatus(1, "ana", "done").apply(owner)
        SetStatus(1, "ben", "done").apply(owner)
    review = open_review(None, pg_project, "rev")
    qtbot.addWidget(review)
    with qtbot.waitSignal(review.queue_loaded, timeout=20000):
        review.show()
    review.activateWindow()
    qtbot.waitUntil(review.isActiveWindow)
    pg_server.pause()
    try:
        review.queue_view.setFocus()
        qtbot.keyClick(review.queue_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: len(review.undo.waiting) == 1)
        assert "1 edit not saved yet" in review.statusBar().currentMessage()
    finally:
        pg_server.start()
    qtbot.waitUntil(lambda: not review.undo.waiting, timeout=10000)
    with Project.open(pg_project) as look:
        assert look.annotation_set(1, "#gold").status == "done"
    assert review.gold_refusal is None
