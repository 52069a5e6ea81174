"""A full disk during an edit, an import and an export: one clear error, nothing changed.

SQLite's ``PRAGMA max_page_count`` makes the project file unable to grow, which is what a full
disk does to it. An export writes no page of the project, so its own full disk is the output
file's: ``RLIMIT_FSIZE`` (with SIGXFSZ ignored) makes writes past a size fail as they do on a
full disk.
"""

from __future__ import annotations

import contextlib
import json
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui.core.edits import AddEntity, AddStance
from gui.core.errors import MarginaliaError, ProjectError
from gui.core.store import Project
from gui.formats.importer import import_files

UNLIMITED_PAGES = 1_073_741_823


def dump(project: Project) -> list[str]:
    return list(project.conn.iterdump())


def cap_growth(project: Project, extra_pages: int = 0) -> None:
    pages = project.conn.execute("PRAGMA page_count").fetchone()[0]
    project.conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")


def assert_healthy(path: Path) -> None:
    with Project.open(path) as reopened:
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert reopened.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def articles(n: int) -> list[dict]:
    return [
        {"text": f"Article {i}: Moscow and Havana signed agreement number {i} on energy. " * 20,
         "meta": {"title": f"Agreement {i}"}}
        for i in range(n)
    ]


EDITS = {
    "add entity": lambda doc, i: AddEntity(doc, "ana", i % 40, i % 40 + 5, "PERSON"),
    "add stance": lambda doc, i: AddStance(doc, "ana", 0, 66, "US embargo on Cuba", "against",
                                           (0, 6)),
    "first edit of a set": lambda doc, i: AddEntity(doc, f"annotator{i}", 0, 6, "GPE"),
}


@pytest.mark.parametrize("kind", EDITS)
def test_edit_on_a_full_disk_is_refused_and_changes_nothing(project: Project, article: int,
                                                            kind: str) -> None:
    AddEntity(article, "ana", 0, 6, "GPE").apply(project)
    cap_growth(project)
    for i in range(100_000):  # fill the free space of the pages there are, then one more
        before = dump(project)
        try:
            EDITS[kind](article, i).apply(project)
        except ProjectError as exc:
            assert str(exc).endswith("the disk is full; nothing was changed")
            assert dump(project) == before
            assert not project.conn.in_transaction
            break
    else:
        pytest.fail("the capped file never filled up")
    project.conn.execute(f"PRAGMA max_page_count = {UNLIMITED_PAGES}")
    edit = AddEntity(article, "ana", 7, 17, "ORG")
    edit.apply(project)  # the same open project goes on working once there is room
    project.close()
    assert_healthy(project.path)
    with Project.open(project.path) as reopened:
        assert edit.entity_id in {e.id for e in reopened.annotation_set(article, "ana").entities}


def test_import_on_a_full_disk_is_refused_and_changes_nothing(project: Project, article: int,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in articles(300)), encoding="utf-8")
    before = dump(project)
    cap_growth(project, extra_pages=3)
    with pytest.raises(ProjectError, match="disk is full; nothing was changed"):
        import_files(project, [source])
    assert dump(project) == before
    assert project.count_documents() == 1
    project.conn.execute(f"PRAGMA max_page_count = {UNLIMITED_PAGES}")
    report = import_files(project, [source])
    assert report.documents_added == 300
    project.close()
    assert_healthy(project.path)


def test_cli_import_on_a_full_disk_prints_one_line(project_path: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """What the user sees: exit status 1 and a sentence, no traceback."""
    from gui.cli import main

    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in articles(300)), encoding="utf-8")
    opened = Project.open

    def opened_on_full_disk(path: Path, **kwargs: object) -> Project:
        project = opened(path, **kwargs)
        cap_growth(project, extra_pages=2)
        return project

    monkeypatch.setattr(Project, "open", opened_on_full_disk)
    assert main(["import", str(project_path), str(source)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("marginalia: ") and "disk is full" in err[-1]
    assert "Traceback" not in "\n".join(err)
    monkeypatch.undo()
    with Project.open(project_path) as project:
        assert project.count_documents() == 0


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past ``limit`` bytes fail with an OSError, as on a full disk (this process)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


@pytest.fixture
def annotated(project: Project) -> Project:
    ids = [doc for doc, _ in project.add_documents(
        {"text": r["text"], "title": r["meta"]["title"]} for r in articles(60)
    )]
    for doc in ids:
        AddEntity(doc, "ana", 0, 7, "ORG").apply(project)
    return project


def test_export_on_a_full_disk_is_refused_and_keeps_the_old_file(annotated: Project,
                                                                 tmp_path: Path) -> None:
    export = pytest.importorskip("gui.formats.export")
    target = tmp_path / "dataset.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    before = dump(annotated)
    with file_size_limit(16 * 1024), pytest.raises(MarginaliaError, match="could not be written"):
        export.export_project(annotated, target, force=True)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert dump(annotated) == before
    report = export.export_project(annotated, target, force=True)
    assert report.records == 60


def test_export_still_works_when_the_project_cannot_grow(annotated: Project,
                                                         tmp_path: Path) -> None:
    """A full disk under the project does not keep the user from getting their data out."""
    export = pytest.importorskip("gui.formats.export")
    cap_growth(annotated)
    for fmt in export.FORMATS:
        report = export.export_project(annotated, tmp_path / f"out.{fmt}", fmt=fmt)
        assert report.records > 0
