"""Merging annotators' own project files: matched by content, every set with its author and
history, refused for another schema, and idempotent when run twice."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from gui.cli import main
from gui.core.edits import AddEntity, AddStance, RestoreKeptVersion
from gui.core.errors import ProjectError
from gui.core.kept_versions import kept_versions
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


def _changed_in_both_copies(project: Project, tmp_path: Path) -> tuple[dict[str, Path], int]:
    """Ana's set of the third document changed in the lead's copy (ORG) and, later, in her own
    copy (EVENT): the conflict a merge must keep both sides of."""
    paths = _split_by_annotator(tmp_path)
    merge_projects(project, [paths["ana"]])
    doc = project.document_ids()[2]
    AddEntity(doc, "ana", 0, 3, "ORG").apply(project)
    with Project.open(paths["ana"]) as own:
        AddEntity(own.document_ids()[2], "ana", 4, 8, "EVENT").apply(own)
    return paths, doc


def _labels(project: Project, doc: int, annotator: str = "ana") -> list[str]:
    return sorted(e.label for e in project.annotation_set(doc, annotator).entities)


def _kept(project: Project) -> list[tuple]:
    return project.conn.execute(
        "SELECT document_id, annotator, status, entities, stances, source FROM kept_versions "
        "ORDER BY id").fetchall()


def test_a_set_changed_in_both_copies_keeps_both_and_merging_again_keeps_nothing_twice(
    project: Project, tmp_path: Path, capsys
):
    paths, doc = _changed_in_both_copies(project, tmp_path)
    report = merge_projects(project, [paths["ana"]])
    assert report.conflicts_kept == 1 and "1 conflict kept" in report.summary()
    assert "EVENT" in _labels(project, doc) and "ORG" not in _labels(project, doc)  # newer
    [(kept_doc, who, _status, entities, _stances, source)] = _kept(project)
    assert (kept_doc, who) == (doc, "ana")
    assert '"ORG"' in entities and "test.marginalia before merging ana.marginalia" in source
    assert main(["merge", str(project.path), str(paths["ana"])]) == 0
    assert "0 conflicts kept" in capsys.readouterr().out
    assert len(_kept(project)) == 1


def test_when_ours_is_newer_theirs_is_the_kept_version_with_its_stances_and_holders(
    project: Project, tmp_path: Path
):
    paths = _split_by_annotator(tmp_path)
    merge_projects(project, [paths["ana"]])
    doc = project.document_ids()[0]
    with Project.open(paths["ana"]) as own:
        own_doc = own.document_ids()[0]
        AddStance(own_doc, "ana", 0, 6, "US embargo on Cuba", "favor", holder=(0, 3)).apply(own)
    AddEntity(doc, "ana", 0, 3, "ORG").apply(project)
    report = merge_projects(project, [paths["ana"]])
    assert report.conflicts_kept == 1
    assert "ORG" in _labels(project, doc)
    [kept] = kept_versions(project, doc)
    assert kept.source == str(paths["ana"])
    assert (0, 6, "US embargo on Cuba", "favor", 0, 3, None, "manual") in kept.content.stances


def test_the_same_change_in_both_copies_is_no_conflict(project: Project, tmp_path: Path):
    paths = _split_by_annotator(tmp_path)
    merge_projects(project, [paths["ana"]])
    doc = project.document_ids()[1]
    AddEntity(doc, "ana", 0, 3, "ORG").apply(project)
    with Project.open(paths["ana"]) as own:
        AddEntity(own.document_ids()[1], "ana", 0, 3, "ORG").apply(own)
    report = merge_projects(project, [paths["ana"]])
    assert report.conflicts_kept == 0 and report.sets_unchanged == 3
    assert _kept(project) == []


def test_restoring_a_kept_version_swaps_it_with_the_current_set_and_undoes_exactly(
    project: Project, tmp_path: Path
):
    paths, doc = _changed_in_both_copies(project, tmp_path)
    merge_projects(project, [paths["ana"]])
    before = (project.annotation_set(doc, "ana"), _kept(project))
    [kept] = kept_versions(project, doc)
    restore = RestoreKeptVersion(doc, kept.id, "lee")
    restore.apply(project)
    assert "ORG" in _labels(project, doc) and "EVENT" not in _labels(project, doc)
    [now_kept] = kept_versions(project, doc)
    assert any(e[2] == "EVENT" for e in now_kept.content.entities)
    restore.revert(project)
    assert (project.annotation_set(doc, "ana"), _kept(project)) == before
    restore.apply(project)  # redo
    assert "ORG" in _labels(project, doc)


def test_after_a_conflict_more_work_in_the_winning_copy_is_no_new_conflict(
    project: Project, tmp_path: Path
):
    paths, doc = _changed_in_both_copies(project, tmp_path)
    assert merge_projects(project, [paths["ana"]]).conflicts_kept == 1  # the laptop's won
    with Project.open(paths["ana"]) as own:  # ana goes on working on her laptop
        AddEntity(own.document_ids()[2], "ana", 9, 12, "LAW").apply(own)
    report = merge_projects(project, [paths["ana"]])
    assert (report.conflicts_kept, report.sets_updated) == (0, 1)
    assert "LAW" in _labels(project, doc)
    assert len(_kept(project)) == 1


def test_sets_that_differ_with_no_history_to_tell_are_a_conflict(project: Project,
                                                                 tmp_path: Path):
    paths = _split_by_annotator(tmp_path)
    merge_projects(project, [paths["ana"]])
    doc = project.document_ids()[2]
    with project.transaction() as conn:  # a change no edit command recorded
        conn.execute("UPDATE annotation_sets SET note = 'changed by a script' "
                     "WHERE document_id = ? AND annotator = 'ana'", (doc,))
    assert merge_projects(project, [paths["ana"]]).conflicts_kept == 1
