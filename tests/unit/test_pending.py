"""Edits waiting for a server: what the window shows of them before they are saved is what the
store holds once they are, rows added while waiting keep being named by the ids shown, and a
suggestion edited before the annotator had a set lands on its copy."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui.core.edits import (
    AddEntity,
    AddStance,
    ChangeEntity,
    ChangeStance,
    Edit,
    RemoveEntity,
    RemoveStance,
    SetStatus,
)
from gui.core.errors import ProjectError
from gui.core.pending import ADDED, CHANGED, REMOVED, PendingEdits, Waiting, is_provisional
from gui.core.schema import load_schema
from gui.core.store import AnnotationSet, Project

TEXT = ("Russia rejects the U.S. blockade against Cuba. Sergei Lavrov met Bruno Rodríguez in "
        "Havana on Monday. The ministers praised the strategic partnership.")
WORDS = [(TEXT.index(w), TEXT.index(w) + len(w)) for w in
         ("Russia", "Cuba", "Sergei Lavrov", "Bruno Rodríguez", "Havana", "Monday", "ministers")]
SENTENCES = [(0, 46), (47, 102), (103, len(TEXT))]


@pytest.fixture
def doc(project: Project) -> int:
    [(doc_id, _)] = project.add_documents([{"text": TEXT}])
    project.conn.execute(
        'INSERT INTO prefill_entities(document_id, start, "end", label, model, model_version) '
        "VALUES (?, 0, 6, 'GPE', 'test', '1')", (doc_id,))
    project.conn.execute(
        'INSERT INTO prefill_stances(document_id, start, "end", target, polarity, model, '
        "model_version) VALUES (?, 0, 46, 'US embargo on Cuba', 'against', 'test', '1')",
        (doc_id,))
    return doc_id


def content(aset: AnnotationSet) -> tuple[Any, ...]:
    """A set without its ids: what the annotator reads."""
    return (aset.status, aset.note,
            sorted((e.start, e.end, e.label, e.origin) for e in aset.entities),
            sorted((s.start, s.end, s.target, s.polarity, s.holder, s.origin)
                   for s in aset.stances))


def send_all(project: Project, pending: PendingEdits) -> None:
    """What the window does when the server is back: each edit resolved, applied, confirmed."""
    while len(pending):
        entry = pending.first()
        pending.resolve(project, entry.edit)
        entry.edit.apply(project)
        pending.confirmed(entry)


def test_a_waiting_session_is_shown_as_it_will_be_stored(project: Project, doc: int) -> None:
    before = project.annotation_set(doc, "ana")  # no set yet: the suggestions
    [suggested] = before.entities
    [suggested_stance] = before.stances
    pending = PendingEdits()
    lavrov = AddEntity(doc, "ana", *WORDS[2], "PERSON")
    for edit in (lavrov, ChangeEntity(doc, "ana", suggested.id, {"label": "ORG"})):
        pending.add(Waiting(edit))
    shown_id = pending.shown_id(lavrov)
    assert shown_id is not None and is_provisional(shown_id)
    for edit in (ChangeEntity(doc, "ana", shown_id, {"label": "NORP"}),  # the row added
                 AddStance(doc, "ana", *SENTENCES[1], "Russia–Cuba partnership", "favor",
                           WORDS[2]),
                 RemoveStance(doc, "ana", suggested_stance.id),
                 SetStatus(doc, "ana", "done")):
        pending.add(Waiting(edit))

    shown = pending.overlay(before)
    assert shown.status_unsaved and shown.aset.status == "done"
    assert [(e.label, shown.unsaved[("entity", e.id)]) for e in shown.aset.entities] == [
        ("ORG", CHANGED), ("NORP", ADDED)]
    assert [s.polarity for s in shown.removed_stances] == ["against"]
    assert shown.unsaved[("stance", suggested_stance.id)] == REMOVED

    send_all(project, pending)
    stored = project.annotation_set(doc, "ana")
    assert content(stored) == content(shown.aset)
    assert pending.current_id("entity", "ana", shown_id) in {e.id for e in stored.entities}
    assert pending.overlay(stored).unsaved == {}  # every mark gone once saved


def test_an_edit_on_a_row_that_was_never_saved_is_refused(project: Project, doc: int) -> None:
    pending = PendingEdits()
    add = AddEntity(doc, "ana", *WORDS[4], "GPE")
    pending.add(Waiting(add))
    relabel = ChangeEntity(doc, "ana", pending.shown_id(add), {"label": "LOC"})
    pending.add(Waiting(relabel))
    pending.drop_first()  # the server refused the addition
    with pytest.raises(ProjectError, match="never saved"):
        pending.resolve(project, relabel)


def test_a_removed_suggestion_cannot_be_changed(project: Project, doc: int) -> None:
    [suggested] = project.annotation_set(doc, "ana").entities
    project.conn.execute("DELETE FROM prefill_entities")  # pre-filled again meanwhile
    with pytest.raises(ProjectError, match="no longer there"):
        PendingEdits().resolve(project, RemoveEntity(doc, "ana", suggested.id))


def test_an_edit_taken_back_and_redone_keeps_its_shown_id(project: Project, doc: int) -> None:
    pending = PendingEdits()
    add = AddEntity(doc, "ana", *WORDS[5], "DATE")
    pending.add(Waiting(add))
    shown_id = pending.shown_id(add)
    entry = pending.take_back()
    assert pending.overlay(project.annotation_set(doc, "ana")).unsaved == {}
    pending.add(entry)
    assert pending.shown_id(add) == shown_id


def _edits(data: st.DataObject, doc: int, pending: PendingEdits, confirmed: AnnotationSet,
           count: int) -> None:
    """``count`` edits an annotator could make on what the window shows, queued."""
    labels = [e.label for e in load_schema().entities]
    for _ in range(count):
        shown = pending.overlay(confirmed).aset
        choices = ["add_entity", "add_stance", "status"]
        choices += ["relabel", "resize", "remove_entity"] if shown.entities else []
        choices += ["polarity", "remove_stance"] if shown.stances else []
        choice = data.draw(st.sampled_from(choices))
        edit: Edit
        if choice == "add_entity":
            edit = AddEntity(doc, "ana", *data.draw(st.sampled_from(WORDS)),
                             data.draw(st.sampled_from(labels)))
        elif choice == "add_stance":
            edit = AddStance(doc, "ana", *data.draw(st.sampled_from(SENTENCES)),
                             "US embargo on Cuba", data.draw(st.sampled_from(
                                 ["against", "neutral", "favor"])))
        elif choice == "status":
            edit = SetStatus(doc, "ana", data.draw(st.sampled_from(["done", "flagged"])), "n")
        elif choice in ("relabel", "resize", "remove_entity"):
            entity = data.draw(st.sampled_from(shown.entities))
            edit = RemoveEntity(doc, "ana", entity.id) if choice == "remove_entity" else \
                ChangeEntity(doc, "ana", entity.id,
                             {"label": data.draw(st.sampled_from(labels))}
                             if choice == "relabel" else {"end": entity.end - 1})
        else:
            stance = data.draw(st.sampled_from(shown.stances))
            edit = RemoveStance(doc, "ana", stance.id) if choice == "remove_stance" else \
                ChangeStance(doc, "ana", stance.id, {"polarity": "neutral"})
        pending.add(Waiting(edit))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), saved_first=st.integers(0, 4), waiting=st.integers(1, 10))
def test_whatever_is_shown_while_waiting_is_what_gets_stored(
        project: Project, doc: int, data: st.DataObject, saved_first: int, waiting: int):
    """Some edits saved, then more made while the server is away (on the suggestions, on
    saved rows and on rows added while waiting): once sent, the store holds what was shown."""
    with project.transaction() as conn:  # each example starts from the suggestions again
        conn.execute("DELETE FROM annotation_sets WHERE document_id = ?", (doc,))
    pending = PendingEdits()
    _edits(data, doc, pending, project.annotation_set(doc, "ana"), saved_first)
    send_all(project, pending)
    confirmed = project.annotation_set(doc, "ana")
    _edits(data, doc, pending, confirmed, waiting)
    shown = pending.overlay(confirmed)
    send_all(project, pending)
    assert content(project.annotation_set(doc, "ana")) == content(shown.aset)
