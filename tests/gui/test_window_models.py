"""The item models pass Qt's model tester, and the document list fetches lazily."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from gui.core import edits
from gui.core.store import Project
from gui.ui.annotation_models import EntityListModel, StanceListModel
from gui.ui.document_list import PAGE, DocIdRole, DocumentListModel, StatusRole


def test_document_list_model_fetches_pages_and_filters(qtmodeltester, project_path: Path) -> None:
    with Project.open(project_path) as project:
        project.add_documents(
            {"text": f"Article {i} about {'Havana' if i % 2 else 'Moscow'}.", "title": f"T{i}"}
            for i in range(PAGE * 2 + 50)
        )
        edits.SetStatus(3, "ana", "done").apply(project)
        model = DocumentListModel(project, "ana")
        assert model.rowCount() == PAGE and model.canFetchMore()
        model.fetchMore()
        model.fetchMore()
        assert model.rowCount() == PAGE * 2 + 50 and not model.canFetchMore()
        assert model.index(2, 0).data(StatusRole) == "done"
        assert model.progress() == (1, PAGE * 2 + 50)
        model.set_filter("Havana", None)
        assert model.total == PAGE + 25
        model.set_filter("", ["done"])
        assert [model.index(r, 0).data(DocIdRole) for r in range(model.rowCount())] == [3]
        assert model.ensure_row(0) and not model.ensure_row(1)
        # The tester watches a model from then on; it is given fresh ones, filtered and not.
        filtered = DocumentListModel(project, "ana")
        filtered.set_filter("Havana", ["todo"])
        qtmodeltester.check(filtered)
        qtmodeltester.check(DocumentListModel(project, "ana"))


def test_entity_and_stance_models(qtmodeltester, project: Project, article: int) -> None:
    text = project.document(article).text
    edits.AddEntity(article, "ana", 0, 6, "GPE").apply(project)
    edits.AddStance(article, "ana", 0, 67, "US embargo on Cuba", "against", (0, 6)).apply(project)
    aset = project.annotation_set(article, "ana")
    entities = EntityListModel(project.schema)
    entities.set_items(list(aset.entities), text, accepted=False)
    stances = StanceListModel(project.schema)
    stances.set_items(list(aset.stances), text, accepted=False)
    qtmodeltester.check(entities)
    qtmodeltester.check(stances)
    assert [entities.index(0, c).data() for c in range(3)] == ["Russia", "GPE", "confirmed"]
    assert [stances.index(0, c).data() for c in range(1, 4)] == [
        "US embargo on Cuba", "against", "Russia"]


def test_a_row_not_saved_yet_is_marked_and_unmarked_in_place(qtbot, qtmodeltester,
                                                             project: Project,
                                                             article: int) -> None:
    from gui.core.pending import unsaved_tip

    text = project.document(article).text
    edits.AddEntity(article, "ana", 0, 6, "GPE").apply(project)
    entities = EntityListModel(project.schema)
    items = list(project.annotation_set(article, "ana").entities)
    entities.set_items(items, text, accepted=False, unsaved={items[0].id: "changed"})
    qtmodeltester.check(entities)
    assert entities.index(0, 2).data() == "not saved"
    assert entities.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == unsaved_tip("changed")
    with qtbot.waitSignal(entities.dataChanged):  # saved: the same row, its mark gone
        entities.set_items(items, text, accepted=False)
    assert entities.index(0, 2).data() == "confirmed"
    assert not entities.index(0, 0).data(Qt.ItemDataRole.FontRole)
