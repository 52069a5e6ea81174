"""After an edit the lists change by the rows the edit touched (no reset), and what they show
still equals the stored set through adds, relabels, moves, deletes, undo and redo."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui.core import edits
from gui.core.store import Entity, Project
from gui.ui.annotation_models import EntityListModel


def _rows(model: EntityListModel) -> list[tuple[str, str]]:
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def test_an_edit_inserts_one_row_and_keeps_the_selection(qtbot, window) -> None:
    model = window.controller.entity_model
    doc = window.current_doc
    window.undo.push(edits.AddEntity(doc, "ana", 0, 6, "GPE"))
    window.undo.push(edits.AddEntity(doc, "ana", 24, 32, "ORG"))
    window.controller.select(("entity", model.item(0).id))
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    window.undo.push(edits.AddEntity(doc, "ana", 7, 14, "ORG"))
    assert resets == [] and inserted == [(1, 1)]
    assert _rows(model) == [("Russia", "GPE"), ("rejects", "ORG"), ("blockade", "ORG")]
    window.undo_stack.undo()
    assert resets == [] and _rows(model) == [("Russia", "GPE"), ("blockade", "ORG")]
    assert window.controller.selected == ("entity", model.item(0).id)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["add", "relabel", "move", "delete", "undo",
                                                 "redo"]),
                                st.integers(0, 40), st.integers(1, 8)), max_size=25))
def test_the_list_always_equals_the_stored_set(qtmodeltester, project: Project, article: int,
                                               steps) -> None:
    text = project.document(article).text
    model = EntityListModel(project.schema)
    qtmodeltester.check(model)  # watches every later change for consistency
    done: list[object] = []
    undone: list[object] = []
    for kind, start, length in steps:
        entities = project.annotation_set(article, "ana").entities
        target = entities[start % len(entities)] if entities else None
        edit = None
        if kind == "add":
            edit = edits.AddEntity(article, "ana", start, start + length, "ORG")
        elif kind == "relabel" and target is not None:
            edit = edits.ChangeEntity(article, "ana", target.id, {"label": "GPE"})
        elif kind == "move" and target is not None:
            edit = edits.ChangeEntity(article, "ana", target.id,
                                      {"start": start, "end": start + length})
        elif kind == "delete" and target is not None:
            edit = edits.RemoveEntity(article, "ana", target.id)
        elif kind == "undo" and done:
            undone.append(done.pop())
            undone[-1].revert(project)
        elif kind == "redo" and undone:
            done.append(undone.pop())
            done[-1].apply(project)
        if edit is not None:
            edit.apply(project)
            done.append(edit)
            undone.clear()
        shown = project.annotation_set(article, "ana").entities
        model.set_items(list(shown), text, accepted=False)
        assert [model.item(r) for r in range(model.rowCount())] == list(shown)
        assert all(isinstance(model.item(r), Entity) for r in range(model.rowCount()))
