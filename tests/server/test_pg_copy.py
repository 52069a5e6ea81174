"""``marginalia copy``: a project from a file to a server and back, ids, history and model runs
included; an annotator's part taken offline and merged back; a non-empty destination refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.copy import TABLES, _columns, parse_documents
from gui.core.edits import AddEntity, AddStance, RemoveEntity, SetStatus
from gui.core.store import Project
from tests.conftest import run_command as run

TEXTS = [
    "Sergei Lavrov met Bruno Rodríguez in Havana on Monday.",
    "Moscow condemned the blockade of the island.",
    "Trade between the two countries grew last year.",
]


def fill(address: str) -> None:
    """Documents, two annotators' edits (one undone), a status, and a model's suggestions."""
    with Project.open(address) as project:
        ids = [doc for doc, _ in project.add_documents({"text": t, "title": t[:12]} for t in TEXTS)]
        with project.transaction() as conn:
            conn.execute(
                "INSERT INTO prefill_runs(document_id, model, model_version, created_at) "
                "VALUES (?, 'rules', '1', '2026-01-01T00:00:00.000+00:00')", (ids[1],))
            conn.execute(
                'INSERT INTO prefill_entities(document_id, start, "end", label, model, '
                "model_version) VALUES (?, 0, 6, 'GPE', 'rules', '1')", (ids[1],))
        for name in ("ana", "ben"):
            AddEntity(ids[0], name, 0, 13, "PERSON").apply(project)
            AddStance(ids[0], name, 0, 54, "US embargo on Cuba", "against").apply(project)
        mistake = AddEntity(ids[0], "ana", 37, 43, "GPE")
        mistake.apply(project)
        RemoveEntity(ids[0], "ana", mistake.entity_id).apply(project)
        AddEntity(ids[1], "ana", 0, 6, "GPE").apply(project)
        SetStatus(ids[0], "ana", "done").apply(project)


def dump(address: str) -> dict[str, list[tuple]]:
    """Every row of every copied table, in id order, read anew."""
    with Project.open(address) as project:
        tables = {}
        for table in TABLES:
            columns = sorted(_columns(project, table))
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = project.conn.execute(f"SELECT {quoted} FROM {table}")
            tables[table] = sorted((tuple(r) for r in rows), key=repr)
        tables["settings"] = [tuple(r) for r in project.conn.execute(
            "SELECT key, value FROM settings WHERE key NOT IN ('copied_from', 'created_with') "
            "ORDER BY key")]
        return tables


def test_a_file_goes_to_a_server_and_back_unchanged(
    capsys: pytest.CaptureFixture[str], project_path: Path, pg_empty: str, tmp_path: Path
) -> None:
    fill(str(project_path))
    code, out, err = run(capsys, "copy", str(project_path), pg_empty)
    assert code == 0, err
    assert "3 documents, 3 annotation sets" in out
    back = tmp_path / "back.marginalia"
    code, _out, err = run(capsys, "copy", pg_empty, str(back))
    assert code == 0, err
    original = dump(str(project_path))
    assert len(original["history"]) > 8 and original["prefill_runs"]
    assert dump(pg_empty) == original
    assert dump(str(back)) == original
    with Project.open(pg_empty) as server:  # new rows number after the copied ones
        AddEntity(3, "ana", 0, 5, "ORG").apply(server)
        assert [r[0] for r in server.conn.execute("SELECT max(id) FROM history")] == [
            len(original["history"]) + 2]
        assert [d for d, *_ in server.list_documents("ana", text="havana")] == [1]


def test_an_annotators_part_goes_offline_and_merges_back(
    capsys: pytest.CaptureFixture[str], pg_project: str, tmp_path: Path
) -> None:
    fill(pg_project)
    offline = tmp_path / "ana.marginalia"
    code, _out, err = run(capsys, "copy", pg_project, str(offline), "--annotator", "ana",
                         "--documents", "1-2")
    assert code == 0, err
    with Project.open(offline) as away:
        assert away.document_ids() == [1, 2]
        assert away.annotators() == ["ana"]
        SetStatus(2, "ana", "done").apply(away)
    code, _out, err = run(capsys, "merge", pg_project, str(offline))
    assert code == 0, err
    with Project.open(pg_project) as server:
        assert server.annotation_set(2, "ana").status == "done"
        assert server.annotation_set(1, "ben").entities  # ben's work was left alone


def test_a_destination_that_is_not_new_is_refused_with_one_line(
    capsys: pytest.CaptureFixture[str], project_path: Path, pg_project: str
) -> None:
    code, _out, err = run(capsys, "copy", pg_project, str(project_path))
    assert (code, err.count("\n")) == (1, 1)
    assert "already exists" in err
    code, _out, err = run(capsys, "copy", str(project_path), pg_project)
    assert (code, err.count("\n")) == (1, 1)
    assert "already holds a project" in err


def test_a_failed_copy_leaves_no_project_behind(
    capsys: pytest.CaptureFixture[str], project_path: Path, pg_empty: str
) -> None:
    fill(str(project_path))
    with Project.open(project_path) as project, project.transaction() as conn:
        # A label the destination's schema lacks: the copy stops at the first entity.
        conn.execute("INSERT INTO labels(name, position) VALUES ('EXTRA', 99)")
        conn.execute("UPDATE entities SET label = 'EXTRA' WHERE id = 1")
    code, _out, err = run(capsys, "copy", str(project_path), pg_empty)
    assert code == 1 and err.count("\n") == 1
    code, _out, err = run(capsys, "stats", pg_empty)
    assert "holds no project yet" in err


def test_document_ranges() -> None:
    assert parse_documents("1,4,10-12") == [1, 4, 10, 11, 12]
    with pytest.raises(ValueError, match="not a document id"):
        parse_documents("1,x")
