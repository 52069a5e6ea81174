"""A project file may come from anyone: one that is not exactly ours, or is damaged, is refused
in one line before anything is read from it, by every command and by merge; a real older file
still opens and is upgraded."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from gui.cli import main
from gui.core import integrity, known_schemas
from gui.core.edits import AddEntity
from gui.core.errors import ProjectError
from gui.core.migrations import CURRENT_VERSION, MIGRATIONS
from gui.core.store import APPLICATION_ID, Project
from gui.review.merge import merge_projects
from tests.unit.test_cli_import import digest

CRAFTED = {
    "a trigger that copies every new entity elsewhere": (
        "CREATE TRIGGER audit AFTER INSERT ON entities BEGIN "
        "INSERT INTO settings(key, value) VALUES ('leak' || NEW.id, NEW.label); END",
        "trigger 'audit' on 'entities'"),
    "a trigger that calls a function on insert": (
        "CREATE TRIGGER call_home AFTER INSERT ON history BEGIN "
        "SELECT load_extension('/tmp/evil.so'); END",
        "trigger 'call_home'"),
    "a view": ("CREATE VIEW everything AS SELECT text FROM documents", "view 'everything'"),
    "an extra table": ("CREATE TABLE notes(x)", "table 'notes'"),
    "a changed trigger of ours": (
        "DROP TRIGGER history_no_delete; CREATE TRIGGER history_no_delete BEFORE DELETE ON "
        "history BEGIN SELECT 1; END",
        "trigger 'history_no_delete' on 'history' is not the one"),
    "a table replaced by a view": (
        "DROP TABLE labels; CREATE VIEW labels AS SELECT 'GPE' AS name",
        "table 'labels' is a view instead"),
    "a missing index": ("DROP INDEX idx_history_document_id", "is missing"),
}


def _tamper(path: Path, script: str) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()


@pytest.fixture
def filled(project_path: Path) -> Path:
    with Project.open(project_path) as project:
        [(doc, _)] = project.add_documents([{"text": "Havana and Moscow signed an accord."}])
        AddEntity(doc, "ana", 0, 6, "GPE").apply(project)
    return project_path


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_file_is_refused_in_one_line_and_left_as_it_was(
    filled: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script, named = CRAFTED[case]
    _tamper(filled, script)
    before = digest(filled)
    assert main(["stats", str(filled)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert str(filled) in err[0] and "not a project file Marginalia made" in err[0]
    assert named in err[0]
    assert digest(filled) == before


def test_a_damaged_page_is_found_before_anything_is_read(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(filled) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'history'").fetchone()[0]
    with filled.open("r+b") as fh:  # the history table's page: not a b-tree page any more
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * 64)
    assert main(["stats", str(filled)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is damaged" in err[0] and "quick check" in err[0]


def test_merge_refuses_a_crafted_file_and_changes_nothing(
    project: Project, tmp_path: Path
) -> None:
    other = tmp_path / "other.marginalia"
    Project.create(other, project.schema).close()
    _tamper(other, CRAFTED["a trigger that copies every new entity elsewhere"][0])
    with pytest.raises(ProjectError, match=r"other\.marginalia: is not a project file"):
        merge_projects(project, [other])
    assert project.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_every_connection_refuses_schema_functions_with_side_effects(project: Project) -> None:
    assert project.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_a_file_of_the_first_format_still_opens_and_is_upgraded(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.marginalia"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    MIGRATIONS[0](Database(conn))
    conn.execute("INSERT INTO settings(key, value) VALUES ('schema', ?)",
                 (_schema_json(),))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert project.conn.execute("SELECT count(*) FROM kept_versions").fetchone()[0] == 0


def _schema_json() -> str:
    from gui.core.schema import load_schema

    return load_schema().to_json()


def test_identifier_quoting_of_any_sqlite_utils_release_is_ours() -> None:
    assert integrity.normalise_sql('CREATE TABLE [a b] (\n  [end] TEXT, "x""y" INT)') == \
        integrity.normalise_sql('create table "a b" ("end" text, "x""y" int)')
    assert integrity.normalise_sql("SELECT 'A'") != integrity.normalise_sql("SELECT 'a'")


def test_the_generated_schemas_match_the_migrations() -> None:
    """Fails after a migration is added or renumbered: run python -m gui.core.integrity --write."""
    names = tuple(m.__name__ for m in MIGRATIONS)
    assert names == known_schemas.MIGRATIONS
    assert integrity._replayed() == known_schemas.SCHEMAS


def test_only_a_file_unchanged_since_we_checked_or_wrote_it_skips_the_page_check(
    filled: Path,
) -> None:
    assert integrity._unchanged_since_checked(filled)  # closed by us just now
    Path(f"{filled}-wal").write_bytes(b"\0" * 32)  # a log a crash left behind
    assert not integrity._unchanged_since_checked(filled)
    Path(f"{filled}-wal").unlink()
    os.utime(filled, ns=(1, 1))  # replaced, or touched by something else
    assert not integrity._unchanged_since_checked(filled)
    Project.open(filled).close()
    assert integrity._unchanged_since_checked(filled)
