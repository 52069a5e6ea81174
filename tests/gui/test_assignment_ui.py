"""Assignment in the window: the dialog (keys, clicks, preview, apply), the list with the queue
first, the dashboard's who-is-behind section, and the list model under Qt's model tester."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette

from gui.core import assignment, edits
from gui.core.store import Project
from gui.ui.assign_dialog import AssignDialog
from gui.ui.document_list import PAGE, AssignedRole, DocIdRole, DocumentListModel
from gui.ui.review.assignment_progress import AssignmentProgress
from tests.gui.conftest import add_docs


def _assigned(path: Path) -> dict[str, list[int]]:
    with Project.open(path) as project:
        rows = project.conn.execute(
            "SELECT annotator, document_id FROM assignments ORDER BY 2").fetchall()
    out: dict[str, list[int]] = {}
    for name, doc in rows:
        out.setdefault(name, []).append(doc)
    return out


def _reviewer_window(make_window, project_path: Path, documents: int):
    add_docs(project_path, [f"Article {i} about Havana and Moscow." for i in range(documents)])
    with Project.open(project_path) as project:
        project.ensure_annotator("rev", "reviewer")
        project.ensure_annotator("ana")
    return make_window(annotator="rev")


def test_a_reviewer_assigns_from_the_dialog_and_sees_the_preview_first(
        qtbot, make_window, project_path: Path) -> None:
    window = _reviewer_window(make_window, project_path, 10)
    window.actions_by_name["assign"].trigger()
    dialog = window.findChild(AssignDialog)
    assert dialog is not None and dialog.isVisible()
    team = dialog.team
    assert [team.item(i).text() for i in range(team.count())] == ["ana", "rev"]
    assert team.item(1).checkState() == Qt.CheckState.Unchecked  # reviewers start unchecked
    # ben joins by typing; the overlap is typed; the preview follows every change.
    qtbot.keyClicks(dialog.new_names, "ben")
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        qtbot.keyClick(dialog.new_names, Qt.Key.Key_Return)
    dialog.overlap.selectAll()
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        qtbot.keyClicks(dialog.overlap, "40")
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=10000)
    rows = {dialog.table.item(r, 0).text(): [dialog.table.item(r, c).text() for c in (1, 2)]
            for r in range(dialog.table.rowCount())}
    assert rows == {"ana": ["7", "4"], "ben": ["7", "4"]}  # 10 documents, 4 shared
    # The reviewer takes a share too: Space on their row checks it, and the preview follows.
    team.setFocus()
    team.setCurrentRow(1)
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        qtbot.keyClick(team, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=10000)
    assigned = [int(dialog.table.item(r, 1).text()) for r in range(3)]
    assert sum(assigned) == 14 and max(assigned) - min(assigned) <= 1
    assert _assigned(project_path) == {}  # a preview writes nothing
    with qtbot.waitSignal(dialog.applied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    stored = _assigned(project_path)
    assert sorted(len(docs) for docs in stored.values()) == sorted(assigned)
    qtbot.waitUntil(lambda: "Nothing to change" in dialog.message.text(), timeout=10000)
    dialog.reject()
    # The reviewer's own list now opens on their queue.
    assert window.doc_panel.order_box.currentText() == "My queue"
    shown = [window.documents.index(r, 0).data(DocIdRole) for r in range(len(stored["rev"]))]
    assert shown == stored["rev"]


def test_an_impossible_choice_is_said_in_the_dialog_and_cannot_be_applied(
        qtbot, make_window, project_path: Path) -> None:
    window = _reviewer_window(make_window, project_path, 3)
    window.actions_by_name["assign"].trigger()
    dialog = window.findChild(AssignDialog)
    with qtbot.waitSignal(dialog.previewed, timeout=10000):
        dialog.per_document.setValue(3)
    assert "larger than the team" in dialog.message.text()
    assert not dialog.apply_button.isEnabled()
    dialog.reject()


def test_only_reviewers_get_the_dialog(make_window) -> None:
    window = make_window(["One.", "Two."], annotator="ana")
    window.actions_by_name["assign"].trigger()
    assert window.findChild(AssignDialog) is None
    assert "Only reviewers assign documents" in window.statusBar().currentMessage()


def test_the_annotators_list_shows_their_queue_first_and_the_rest_dimmed(
        make_window, project_path: Path) -> None:
    add_docs(project_path, [f"Story number {i}." for i in range(8)])
    with Project.open(project_path) as project:
        assignment.apply(project, assignment.plan(project, assignment.Request(("ana", "ben"))))
        mine = _assigned(project_path)["ana"]
        edits.SetStatus(mine[0], "ana", "done").apply(project)
    window = make_window(annotator="ana")
    panel = window.doc_panel
    assert panel.order_box.currentText() == "My queue"
    shown = [window.documents.index(r, 0).data(DocIdRole)
             for r in range(window.documents.rowCount())]
    assert shown[:3] == mine[1:]  # the queue: assigned, not done
    assert sorted(shown) == list(range(1, 9))
    assert window.current_doc == mine[1]  # the window opens on the first queued document
    dim = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    others = [r for r in range(8) if shown[r] not in mine]
    assert all(window.documents.index(r, 0).data(Qt.ItemDataRole.ForegroundRole) == dim
               for r in others)
    assert window.documents.index(3, 0).data(AssignedRole) is True  # ana's done one, not dim
    # Document order is one choice away.
    panel.order_box.setCurrentIndex(panel.order_box.findData("id"))
    assert [window.documents.index(r, 0).data(DocIdRole) for r in range(8)] == list(range(1, 9))
    # Someone with nothing assigned sees nothing dimmed, in either order.
    panel.order_box.setCurrentIndex(panel.order_box.findData("queue"))
    window.switch_annotator("dee")
    assert all(window.documents.index(r, 0).data(Qt.ItemDataRole.ForegroundRole) is None
               for r in range(8))


def test_queue_order_pages_across_the_two_parts(qtmodeltester, project_path: Path) -> None:
    n = PAGE * 2 + 30
    with Project.open(project_path) as project:
        project.add_documents({"text": f"Item {i} in Havana.", "title": f"T{i}"}
                              for i in range(n))
        assignment.apply(project, assignment.plan(project, assignment.Request(
            ("ana", "ben", "cy"), 1, 0.0, documents=tuple(range(1, n + 1, 2)))))
        model = DocumentListModel(project, "ana")
        assert model.order == "queue"
        while model.canFetchMore():
            model.fetchMore()
        ids = [model.index(r, 0).data(DocIdRole) for r in range(model.rowCount())]
        queue = _assigned(project_path)["ana"]
        assert ids[:len(queue)] == queue and sorted(ids) == list(range(1, n + 1))
        model.set_filter("Havana", ["todo"])
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == n and model.total == n
        qtmodeltester.check(DocumentListModel(project, "ana"))
        fresh = DocumentListModel(project, "ana")
        fresh.set_filter("Item", None)
        qtmodeltester.check(fresh)


def test_the_dashboard_shows_who_is_behind(qtbot, any_project: Path | str) -> None:
    project_path = any_project
    add_docs(project_path, [f"Note {i}." for i in range(6)])
    with Project.open(project_path) as project:
        assignment.apply(project, assignment.plan(project, assignment.Request(("ana", "ben"))))
        for doc in _assigned(project_path)["ben"]:
            edits.SetStatus(doc, "ben", "done").apply(project)
    section = AssignmentProgress(project_path)
    qtbot.addWidget(section)
    with qtbot.waitSignal(section.shown, timeout=10000):
        section.refresh()
    assert section.numbers.text().splitlines() == [
        "ana: 0 of 3 done, 3 to go (0 shared)", "ben: 3 of 3 done, 0 to go (0 shared)"]
    assert [name for name, _ in section.chart.rows] == ["ana", "ben"]
