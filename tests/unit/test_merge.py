"""Merging annotators' own project files: matched by content, every set with its author and
history, refused for another schema, and idempotent when run twice."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from gui.cli import main
from gui.core.edits import AddEntity
from gui.core.errors import ProjectError
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review.merge import merge_projects

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


def _split_by_annotator(tmp_path: Path) -> dict[str, Path]:
    """One project file per annotator, as if each had worked on their own machine."""
    lines = (DATA / "three_annotators.jsonl").read_text(encoding="utf-8").splitlines()
    paths = {}
    for name in ("ana", "ben", "cy"):
        jsonl = tmp_path / f"{name}.jsonl"
        jsonl.write_text("\n".join(x for x in lines if json.loads(x)["annotator"] == name) + "\n",
                         encoding="utf-8")
        path = tmp_path / f"{name}.marginalia"
        with Project.create(path, load_schema()) as own:
            import_files(own, [jsonl])
        paths[name] = path
    return paths


def _counts(project: Project) -> tuple[int, int, int, int, int]:
    return tuple(  # type: ignore[return-value]
        project.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("documents", "annotation_sets", "entities", "stances", "history")
    )


def test_merge_brings_every_set_with_author_and_history_and_twice_changes_nothing(
    project: Project, tmp_path: Path
):
    paths = _split_by_annotator(tmp_path)
    report = merge_projects(project, list(paths.values()))
    assert report.documents_added == 3
    assert report.documents_matched == 5  # ben's 3 and cy's 2 were already in from ana
    assert report.sets_added == 8
    assert sorted(project.annotators()) == ["ana", "ben", "cy"]
    imported = project.conn.execute(
        "SELECT count(*) FROM history WHERE action = 'import'").fetchone()[0]
    assert imported == 8  # each set's own history came along
    before = _counts(project)
    again = merge_projects(project, list(paths.values()))
    assert again.sets_added == again.sets_updated == again.documents_added == 0
    assert again.sets_unchanged == 8
    assert _counts(project) == before


def test_a_set_edited_later_elsewhere_replaces_ours_and_the_old_one_stays_in_history(
    project: Project, tmp_path: Path
):
    paths = _split_by_annotator(tmp_path)
    merge_projects(project, [paths["ana"]])
    with Project.open(paths["ana"]) as own:
        doc = own.document_ids()[2]
        AddEntity(doc, "ana", 4, 8, "EVENT").apply(own)
    report = merge_projects(project, [paths["ana"]])
    assert report.sets_updated == 1 and report.sets_unchanged == 2
    text_doc = project.document_ids()[2]
    labels = [e.label for e in project.annotation_set(text_doc, "ana").entities]
    assert "EVENT" in labels
    replaced = project.conn.execute(
        "SELECT payload FROM history WHERE action = 'merge_replace'").fetchone()[0]
    assert "EVENT" not in replaced and "GPE" in replaced


def test_another_schema_is_refused_and_nothing_changes(project: Project, tmp_path: Path):
    schema = load_schema()
    other_schema = dataclasses.replace(schema, entities=schema.entities[:3])
    other = tmp_path / "other.marginalia"
    Project.create(other, other_schema).close()
    before = _counts(project)
    with pytest.raises(ProjectError, match=r"another schema.*entity labels differ"):
        merge_projects(project, [other])
    assert _counts(project) == before


def test_merging_a_project_into_itself_is_refused(project: Project):
    with pytest.raises(ProjectError, match="is the project itself"):
        merge_projects(project, [project.path])


def test_merge_command_reports_and_fails_with_one_line(project_path: Path, tmp_path: Path,
                                                       capsys):
    paths = _split_by_annotator(tmp_path)
    assert main(["merge", str(project_path), str(paths["ana"]), str(paths["ben"])]) == 0
    assert "6 annotation sets added" in capsys.readouterr().out
    assert main(["merge", str(project_path), str(tmp_path / "missing.marginalia")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.marginalia" in err[0]
