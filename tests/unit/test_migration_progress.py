"""Converting an older project file shows its progress: the word index over every text (the
migration that takes seconds on 100,000 documents) reports how far it got, and the command
line says it is converting (a bar on a terminal, one line otherwise), once."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.migrations import CURRENT_VERSION, reporting
from gui.core.store import Project
from tests.conftest import as_first_format
from tests.unit.test_cli_basics import marginalia, run_in_process


def older_project(path: Path, documents: int) -> Path:
    """A project as the first version wrote it: no word index (format 1)."""
    with Project.open(path) as project:
        project.add_documents({"text": f"Article {i} about Havana and Moscow.",
                               "title": f"Doc {i}"} for i in range(documents))
    as_first_format(path)
    return path


def test_the_word_index_reports_its_progress_and_is_whole(project_path: Path) -> None:
    older_project(project_path, 5_001)
    seen: list[tuple[int, int]] = []
    with reporting(lambda done, total: seen.append((done, total))), \
            Project.open(project_path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert project.count_listed("ana", text="havana") == 5_001
        assert project.count_listed("ana", text="doc 5000") == 1
    assert len(seen) >= 3 and seen[-1] == (5_001, 5_001)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert {total for _, total in seen} == {5_001}


def test_a_current_file_reports_nothing(project_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with reporting(lambda done, total: seen.append((done, total))):
        Project.open(project_path).close()
    assert seen == []


def test_the_command_line_says_it_converts_once(project_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    older_project(project_path, 50)
    done = marginalia("stats", str(project_path), "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        "marginalia: converting the project file from an older version's format…"]
    assert '"documents": 50' in done.stdout
    code, _out, err = run_in_process(capsys, "stats", str(project_path))
    assert code == 0 and err == ""
