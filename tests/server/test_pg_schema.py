"""The server's tables match the file's, so one body of SQL runs on both; a migration added to
migrations.py without its twin in pg_schema.py fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.errors import ProjectError
from gui.core.migrations import CURRENT_VERSION, MIGRATIONS
from gui.core.pg_schema import FORMAT_TABLE, PG_MIGRATIONS
from gui.core.store import Project


def test_every_migration_has_its_server_twin() -> None:
    assert len(PG_MIGRATIONS) == len(MIGRATIONS) == CURRENT_VERSION


def _file_tables(project: Project) -> dict[str, set[str]]:
    names = [r[0] for r in project.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'documents_fts%'"
    )]
    return {n: {r[1] for r in project.conn.execute(f"PRAGMA table_info({n})")} for n in names}


def _server_tables(project: Project) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for table, column in project.conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_generated = 'NEVER'"
    ):
        tables.setdefault(table, set()).add(column)
    tables.pop(FORMAT_TABLE)
    return tables


def test_the_server_has_the_files_tables_and_columns(project_path: Path, pg_project: str) -> None:
    with Project.open(project_path) as on_file, Project.open(pg_project) as on_server:
        assert _server_tables(on_server) == _file_tables(on_file)
        version = on_server.conn.execute(f"SELECT version FROM {FORMAT_TABLE}").fetchone()[0]
        assert version == CURRENT_VERSION


def test_a_server_project_from_a_newer_version_is_left_untouched(pg_server, pg_project) -> None:
    dbname = pg_project.split("dbname=")[1].split()[0]
    pg_server.execute(f"UPDATE {FORMAT_TABLE} SET version = 999", dbname)
    with pytest.raises(ProjectError, match="newer version of Marginalia"):
        Project.open(pg_project)
