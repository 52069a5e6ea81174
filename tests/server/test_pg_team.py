"""Row-level security through real PostgreSQL roles: each person logs in as themselves and the
server refuses, in one line and changing nothing, what their role may not do."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.edits import AddEntity, RemoveEntity, SetStatus
from gui.core.errors import ProjectError
from gui.core.store import GOLD, Project
from tests.conftest import run_command as run

TEXT = "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."


def as_person(owner_address: str, name: str) -> str:
    return owner_address.replace("user=marginalia_test", f"user={name}")


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], pg_project: str) -> str:
    """A project with a document, a team of ana and ben (annotators) and rev (reviewer), and
    ben's first entity; returns the owner's address."""
    with Project.open(pg_project) as owner:
        owner.add_documents([{"text": TEXT, "title": "Lavrov"}])
    for args in (("init", pg_project), ("add", pg_project, "ana"), ("add", pg_project, "ben"),
                 ("add", pg_project, "rev", "--reviewer")):
        code, _out, err = run(capsys, "team", *args)
        assert code == 0, err
    with Project.open(as_person(pg_project, "ben")) as ben:
        AddEntity(1, "ben", 0, 13, "PERSON").apply(ben)
    return pg_project


def count(address: str, sql: str) -> int:
    with Project.open(address) as project:
        return project.conn.execute(sql).fetchone()[0]


def test_an_annotator_writes_their_own_set_and_reads_everyones(team: str) -> None:
    with Project.open(as_person(team, "ana")) as ana:
        add = AddEntity(1, "ana", 18, 33, "PERSON")
        add.apply(ana)
        remove = RemoveEntity(1, "ana", add.entity_id)
        remove.apply(ana)
        remove.revert(ana)
        SetStatus(1, "ana", "done").apply(ana)
        assert ana.annotation_set(1, "ben").entities  # everyone's work is readable
        assert ana.stats()["per_annotator"]["ana"]["done"] == 1


def test_an_annotator_cannot_write_anothers_set_or_pose_as_them(team: str) -> None:
    before = count(team, "SELECT count(*) FROM history")
    with Project.open(as_person(team, "ana")) as ana:
        with pytest.raises(ProjectError, match="row-level security") as refused:
            AddEntity(1, "ben", 18, 33, "PERSON").apply(ana)  # as if she were ben
        assert "\n" not in str(refused.value)
        with ana.transaction() as conn:  # a script's own SQL: ben's rows are not hers to touch
            conn.execute("DELETE FROM entities")
            conn.execute("UPDATE annotation_sets SET status = 'done'")
    assert count(team, "SELECT count(*) FROM entities") == 1
    assert count(team, "SELECT count(*) FROM annotation_sets WHERE status = 'done'") == 0
    assert count(team, "SELECT count(*) FROM history") == before


@pytest.mark.parametrize("command", [
    ("import", "{project}", "{file}"),
    ("role", "{project}", "ana", "reviewer"),
    ("team", "add", "{project}", "eve"),
])
def test_only_the_owner_imports_and_changes_roles(
    capsys: pytest.CaptureFixture[str], team: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    extra = tmp_path / "more.txt"
    extra.write_text("Another article about Havana.\n")
    args = [a.format(project=as_person(team, "ana"), file=extra) for a in command]
    code, _out, err = run(capsys, *args)
    assert code == 1
    assert err.count("\n") == 1 and "refused by the server" in err
    assert count(team, "SELECT count(*) FROM documents") == 1
    assert count(team, "SELECT count(*) FROM annotators WHERE role = 'reviewer'") == 1


def test_only_a_reviewer_writes_the_gold_set(team: str) -> None:
    with Project.open(as_person(team, "ana")) as ana, pytest.raises(
        ProjectError, match="row-level security"
    ):
        AddEntity(1, GOLD, 0, 13, "PERSON").apply(ana)
    with Project.open(as_person(team, "rev")) as rev:
        AddEntity(1, GOLD, 0, 13, "PERSON").apply(rev)
        SetStatus(1, GOLD, "done").apply(rev)
    assert count(team, "SELECT count(*) FROM annotation_sets WHERE annotator = '#gold'") == 1


def test_a_removed_person_can_no_longer_write(
    capsys: pytest.CaptureFixture[str], team: str
) -> None:
    code, _out, err = run(capsys, "team", "remove", team, "ana")
    assert code == 0, err
    with pytest.raises(ProjectError, match="refused by the server: permission denied"):
        Project.open(as_person(team, "ana"))
    assert count(team, "SELECT count(*) FROM entities") == 1


def test_a_team_needs_a_server(capsys: pytest.CaptureFixture[str], project_path: Path) -> None:
    code, _out, err = run(capsys, "team", "init", str(project_path))
    assert code == 1
    assert "teams need a project on a PostgreSQL server" in err


def test_only_a_reviewer_assigns_documents_and_everyone_reads_the_queue(
    capsys: pytest.CaptureFixture[str], team: str
) -> None:
    assign = ("assign", "--annotators", "ana,ben", "--per-document", "2")
    code, _out, err = run(capsys, assign[0], as_person(team, "ana"), *assign[1:])
    assert code == 1
    assert err.count("\n") == 1 and "refused by the server" in err
    assert count(team, "SELECT count(*) FROM assignments") == 0
    code, _out, err = run(capsys, assign[0], as_person(team, "rev"), *assign[1:])
    assert code == 0, err
    assert count(as_person(team, "ana"), "SELECT count(*) FROM assignments") == 2


def test_only_a_reviewer_keeps_versions_and_anyone_fills_the_unit_cache(
    capsys: pytest.CaptureFixture[str], team: str
) -> None:
    row = ("INSERT INTO kept_versions(document_id, annotator, status, entities, stances, digest, "
           "source, kept_at) VALUES (1, 'ben', 'done', '[]', '[]', ?, 'a copy', 'now')")
    with Project.open(as_person(team, "ana")) as ana, pytest.raises(
        ProjectError, match="row-level security"
    ), ana.transaction() as conn:
        conn.execute(row, ("ana's",))
    with Project.open(as_person(team, "rev")) as rev, rev.transaction() as conn:
        conn.execute(row, ("rev's",))
    assert count(team, "SELECT count(*) FROM kept_versions") == 1
    with Project.open(as_person(team, "ben")) as ben:
        SetStatus(1, "ben", "done").apply(ben)
    with Project.open(as_person(team, "rev")) as rev:
        AddEntity(1, "rev", 0, 13, "PERSON").apply(rev)
        SetStatus(1, "rev", "done").apply(rev)
    code, _out, err = run(capsys, "agreement", as_person(team, "ana"))
    assert code == 0, err
    assert count(team, "SELECT count(*) FROM document_units") == 1
