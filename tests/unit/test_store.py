"""The project file guards itself: constraints live in SQLite, so no code path can break them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gui.core.edits import (
    AddEntity,
    AddStance,
    ChangeEntity,
    ChangeStance,
    RemoveEntity,
    RemoveStance,
    SetStatus,
)
from gui.core.errors import ProjectError
from gui.core.migrations import CURRENT_VERSION
from gui.core.store import APPLICATION_ID, Project


def test_a_new_project_is_marked_versioned_and_in_wal_mode(project: Project) -> None:
    conn = project.conn
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert project.schema.name == "Russia–Cuba relations"


def test_init_leaves_no_half_made_file_when_it_fails(tmp_path: Path) -> None:
    class Boom(Exception):
        pass

    class BadSchema:
        name = "bad"

        def to_json(self) -> str:
            raise Boom

    with pytest.raises(Boom):
        Project.create(tmp_path / "p.marginalia", BadSchema())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


ENTITY = 'INSERT INTO entities(set_id, start, "end", label, origin) VALUES (?, '
STANCE = 'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, holder_end, '


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            ENTITY + "0, 999, 'GPE', 'manual')",
            "span outside the text",
        ),
        (
            ENTITY + "5, 5, 'GPE', 'manual')",
            "span outside the text",
        ),
        (
            ENTITY + "0, 4, 'NOPE', 'manual')",
            "FOREIGN KEY",
        ),
        (
            'INSERT INTO stances(set_id, start, "end", target, polarity, origin) '
            "VALUES (?, 0, 4, 'US embargo on Cuba', 'meh', 'manual')",
            "FOREIGN KEY",
        ),
        (
            STANCE + "origin) VALUES (?, 0, 4, 'US embargo on Cuba', 'favor', 3, 999, 'manual')",
            "span outside the text",
        ),
        ("UPDATE annotation_sets SET status = 'finished' WHERE id = ?", "unknown status"),
    ],
)
def test_the_database_refuses_what_the_schema_forbids(
    project: Project, article: int, sql: str, message: str
) -> None:
    set_id = project.ensure_set(article, "ana")
    with pytest.raises(sqlite3.IntegrityError, match=message):
        project.conn.execute(sql, (set_id,))


def test_document_text_never_changes_and_history_is_append_only(
    project: Project, article: int
) -> None:
    AddEntity(article, "ana", 0, 6, "GPE").apply(project)
    with pytest.raises(sqlite3.IntegrityError, match="never changes"):
        project.conn.execute("UPDATE documents SET text = 'x' WHERE id = ?", (article,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project.conn.execute("DELETE FROM history")


def spans(project: Project, doc_id: int) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label) for e in project.annotation_set(doc_id, "ana").entities]


def test_each_edit_is_stored_and_undone_exactly(project: Project, article: int) -> None:
    add = AddEntity(article, "ana", 0, 6, "GPE")
    add.apply(project)
    [entity] = project.annotation_set(article, "ana").entities
    assert (entity.start, entity.end, entity.label, entity.origin) == (0, 6, "GPE", "manual")
    relabel = ChangeEntity(article, "ana", entity.id, {"label": "ORG"})
    relabel.apply(project)
    resize = ChangeEntity(article, "ana", entity.id, {"end": 5})
    resize.apply(project)
    assert spans(project, article) == [(0, 5, "ORG")]
    resize.revert(project)
    relabel.revert(project)
    assert spans(project, article) == [(0, 6, "GPE")]
    remove = RemoveEntity(article, "ana", entity.id)
    remove.apply(project)
    assert project.annotation_set(article, "ana").entities == ()
    remove.revert(project)
    assert project.annotation_set(article, "ana").entities == (entity,)  # same id back
    add.revert(project)
    add.apply(project)  # redo keeps the id, so the view's selection survives
    assert project.annotation_set(article, "ana").entities[0].id == entity.id


def test_stance_edits_and_status(project: Project, article: int) -> None:
    add = AddStance(article, "ana", 0, 67, "US embargo on Cuba", "against", holder=(0, 6))
    add.apply(project)
    [stance] = project.annotation_set(article, "ana").stances
    assert stance.holder == (0, 6) and stance.polarity == "against"
    change = ChangeStance(article, "ana", stance.id, {"polarity": "neutral", "holder": None})
    change.apply(project)
    changed = project.annotation_set(article, "ana").stances[0]
    assert (changed.polarity, changed.holder) == ("neutral", None)
    change.revert(project)
    assert project.annotation_set(article, "ana").stances[0] == stance
    RemoveStance(article, "ana", stance.id).apply(project)
    assert project.annotation_set(article, "ana").stances == ()
    assert project.annotation_set(article, "ana").status == "in_progress"
    accept = SetStatus(article, "ana", "done")
    accept.apply(project)
    assert project.annotation_set(article, "ana").status == "done"
    accept.revert(project)
    assert project.annotation_set(article, "ana").status == "in_progress"
    flag = SetStatus(article, "ana", "flagged", note="unclear holder")
    flag.apply(project)
    assert project.annotation_set(article, "ana").note == "unclear holder"


def test_an_annotator_cannot_change_anothers_set(project: Project, article: int) -> None:
    add = AddEntity(article, "ana", 0, 6, "GPE")
    add.apply(project)
    assert add.entity_id is not None
    with pytest.raises(ProjectError, match="ben cannot change ana's annotations"):
        RemoveEntity(article, "ben", add.entity_id).apply(project)


def test_a_first_edit_starts_from_the_prefill(project: Project, article: int) -> None:
    project.conn.execute(
        'INSERT INTO prefill_entities(document_id, start, "end", label, confidence, model, '
        "model_version) VALUES (?, 0, 6, 'GPE', 0.9, 'test', '1')",
        (article,),
    )
    shown = project.annotation_set(article, "ana")
    assert shown.id is None and [e.label for e in shown.entities] == ["GPE"]
    AddEntity(article, "ana", 68, 81, "PERSON").apply(project)
    entities = project.annotation_set(article, "ana").entities
    assert [(e.label, e.origin) for e in entities] == [("GPE", "prefill"), ("PERSON", "manual")]


def test_a_failed_edit_leaves_nothing_behind(project: Project, article: int) -> None:
    before = project.conn.execute("SELECT count(*) FROM history").fetchone()[0]
    with pytest.raises(ProjectError):
        AddEntity(article, "ana", 0, 10_000, "GPE").apply(project)
    assert project.conn.execute("SELECT count(*) FROM history").fetchone()[0] == before
    assert project.set_id(article, "ana") is None  # the set it would have made is gone too


def test_document_list_pages_and_filters(project: Project) -> None:
    ids = [
        d
        for d, _ in project.add_documents(
            [
                {"text": f"Article {i} about {'Cuba' if i % 2 else 'Russia'}", "title": f"T{i}"}
                for i in range(10)
            ]
        )
    ]
    SetStatus(ids[3], "ana", "done").apply(project)
    page = project.list_documents("ana", offset=2, limit=3)
    assert [(r[0], r[2]) for r in page] == [(ids[2], "todo"), (ids[3], "done"), (ids[4], "todo")]
    assert project.count_listed("ana", statuses=["done"]) == 1
    assert project.count_listed("ana", text="Cuba") == 5
    assert project.count_listed("ana", text="100%") == 0  # LIKE wildcards are literal
