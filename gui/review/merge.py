"""Bring other project files' annotation sets into this one (``marginalia merge``, File ▸ Merge).

Annotators who work on their own machines each keep a project file; the lead merges them.
Documents are matched by content hash (a document only in the other file is added); each set
comes in with its author, status, timestamps and history. Every file is checked before
anything is written, the files merged in are only read, and the whole merge is one transaction.

Where both files hold a set for the same document and annotator, their histories tell what
happened since the copies diverged (each edit is a history entry, and a merge copies the
entries along, so entries both files hold are the common past; a set's own unmerged edits are
those since it last became a copy of another file's set):

- the same content: nothing to do ("already here"), whatever the histories say;
- only this file has edits the other lacks: ours is the later state ("newer here");
- only the other file has edits ours lacks: theirs is the later state and replaces ours
  ("updated"; ours goes to the history as ``merge_replace``);
- **a conflict**: both have edits the other lacks (or neither history tells): both are work.
  The set updated last stays current, and the other is stored whole as a kept version
  (gui/core/kept_versions.py) for a reviewer ("conflicts kept"). A version already kept is
  not kept twice, so merging the same file again keeps nothing new.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gui.core.backend import project_location
from gui.core.errors import ProjectError
from gui.core.kept_versions import (
    ENTITY_COLUMNS,
    STANCE_COLUMNS,
    SetContent,
    insert_items,
    keep_version,
    set_content,
)
from gui.core.schema import Schema
from gui.core.store import Project

Progress = Callable[[int, int], None]
_SET_COLUMNS = ("id", "document_id", "annotator", "status", "note", "created_at", "updated_at",
                "edited_at")


@dataclass
class MergeReport:
    files: int = 0
    documents_added: int = 0
    documents_matched: int = 0
    sets_added: int = 0
    sets_updated: int = 0
    sets_unchanged: int = 0
    sets_newer_here: int = 0  # ours holds every edit theirs does, and more
    conflicts_kept: int = 0  # both changed since they diverged: the older is a kept version
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        conflicts = self.conflicts_kept
        return (
            f"merged {self.files} file{'s' * (self.files != 1)}: "
            f"{self.documents_added} documents added, {self.documents_matched} matched; "
            f"{self.sets_added} annotation sets added, {self.sets_updated} updated, "
            f"{self.sets_unchanged} already here, {self.sets_newer_here} newer here; "
            f"{conflicts} conflict{'s' * (conflicts != 1)} kept"
        )


def schema_difference(ours: Schema, theirs: Schema) -> str | None:
    """Why two schemas cannot share annotations, or None when they can."""
    if set(ours.labels) != set(theirs.labels):
        return f"its entity labels differ ({_sym(ours.labels, theirs.labels)})"
    if set(ours.target_names) != set(theirs.target_names):
        return f"its stance targets differ ({_sym(ours.target_names, theirs.target_names)})"
    if tuple(ours.polarities) != tuple(theirs.polarities):
        return f"its polarities differ ({', '.join(theirs.polarities)})"
    if ours.scale != theirs.scale:
        return f"its polarity scale is {theirs.scale}, not {ours.scale}"
    return None


def _sym(ours: Sequence[str], theirs: Sequence[str]) -> str:
    only_theirs = sorted(set(theirs) - set(ours))
    only_ours = sorted(set(ours) - set(theirs))
    parts = []
    if only_theirs:
        parts.append("only there: " + ", ".join(only_theirs))
    if only_ours:
        parts.append("only here: " + ", ".join(only_ours))
    return "; ".join(parts)


def _rows(project: Project, sql: str, columns: Sequence[str], params: Sequence[Any] = ()):
    return [dict(zip(columns, r, strict=True)) for r in project.conn.execute(sql, params)]


def _open_others(project: Project, paths: Sequence[str | Path]) -> list[Project]:
    """Open and check every other file before anything is written."""
    others: list[Project] = []
    here = project.path.resolve()
    try:
        for raw in paths:
            path = project_location(raw)
            if path.resolve() == here:
                raise ProjectError("is the project itself; nothing was merged", path=path)
            other = Project.open(path, readonly=True)
            others.append(other)
            difference = schema_difference(project.schema, other.schema)
            if difference:
                raise ProjectError(
                    f"has another schema than {project.path.name}: {difference}; "
                    "nothing was merged",
                    path=path,
                )
    except BaseException:
        for other in others:
            other.close()
        raise
    return others


def merge_projects(
    project: Project,
    paths: Sequence[str | Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> MergeReport:
    report = MergeReport(files=len(paths))
    others = _open_others(project, paths)
    try:
        totals = [o.conn.execute("SELECT count(*) FROM annotation_sets").fetchone()[0]
                  for o in others]
        done = 0
        with project.transaction():
            for other in others:
                doc_map = _merge_documents(project, other, report)
                for name, role in other.conn.execute("SELECT name, role FROM annotators"):
                    project.ensure_annotator(name, role if role != "gold" else "annotator")
                for theirs in _rows(other, f"SELECT {', '.join(_SET_COLUMNS)} FROM annotation_sets "
                                    "ORDER BY id", _SET_COLUMNS):
                    _merge_set(project, other, theirs, doc_map[theirs["document_id"]], report)
                    done += 1
                    if progress is not None:
                        progress(done, sum(totals))
                    if cancelled is not None and cancelled():
                        raise ProjectError("merge cancelled; nothing was changed",
                                           path=project.path)
    finally:
        for other in others:
            other.close()
    return report


def _merge_documents(project: Project, other: Project, report: MergeReport) -> dict[int, int]:
    mapping: dict[int, int] = {}
    last = 0
    while True:
        batch = other.conn.execute(
            "SELECT id, text, title, source, date, url, meta FROM documents WHERE id > ? "
            "ORDER BY id LIMIT 1000",
            (last,),
        ).fetchall()
        if not batch:
            return mapping
        ids = project.add_documents(
            {"text": r[1], "title": r[2], "source": r[3], "date": r[4], "url": r[5],
             "meta": json.loads(r[6] or "{}")}
            for r in batch
        )
        for row, (our_id, created) in zip(batch, ids, strict=True):
            mapping[row[0]] = our_id
            if created:
                report.documents_added += 1
            else:
                report.documents_matched += 1
        last = batch[-1][0]


def _edits(project: Project, set_id: int, *, lineage: bool) -> set[tuple]:
    """A set's history entries, merges' own bookkeeping aside. ``lineage``: only those since
    the set last became a copy of another file's (``merge_replace``): the edits it was taken
    over with are in the entries copied along after that record, and what it held before is
    in the history or a kept version, no longer its own unmerged work."""
    since = project.conn.execute(
        "SELECT coalesce(max(id), 0) FROM history WHERE set_id = ? AND action = 'merge_replace'",
        (set_id,)).fetchone()[0] if lineage else 0
    return {
        tuple(r)
        for r in project.conn.execute(
            "SELECT at, annotator, action, payload FROM history WHERE set_id = ? AND id > ? "
            "AND action NOT LIKE 'merge%'", (set_id, since))
    }


def _set_times(project: Project, set_id: int) -> tuple[str | None, str | None, str | None]:
    return project.conn.execute(
        "SELECT created_at, updated_at, edited_at FROM annotation_sets WHERE id = ?", (set_id,)
    ).fetchone()


def _merge_set(
    project: Project, other: Project, theirs: dict[str, Any], doc_id: int, report: MergeReport
) -> None:
    annotator = theirs["annotator"]
    their_content = set_content(other, theirs["id"])
    ours = project.set_id(doc_id, annotator)
    if ours is None:
        ours = int(project.conn.execute(
            "INSERT INTO annotation_sets(document_id, annotator, status, note, created_at, "
            "updated_at, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, annotator, theirs["status"], theirs["note"] or "", theirs["created_at"],
             theirs["updated_at"], theirs["edited_at"]),
        ).lastrowid)
        report.sets_added += 1
    elif not _settle(project, other, theirs, their_content, doc_id, ours, report):
        return
    insert_items(project, ours, their_content)
    _copy_history(project, other, theirs["id"], doc_id, ours)
    project.record(annotator, doc_id, ours, "merge",
                   {"from": os.fspath(other.path), "set": theirs["id"]})


def _settle(project: Project, other: Project, theirs: dict[str, Any], their_content: SetContent,
            doc_id: int, ours: int, report: MergeReport) -> bool:
    """Decide between our set and theirs (see the module's docstring). True: theirs becomes
    current, and ours has been emptied for it; False: ours stays."""
    annotator = theirs["annotator"]
    our_content = set_content(project, ours)
    if our_content.comparable() == their_content.comparable():
        report.sets_unchanged += 1
        return False
    only_ours = _edits(project, ours, lineage=True) - _edits(other, theirs["id"], lineage=False)
    only_theirs = _edits(other, theirs["id"], lineage=True) - _edits(project, ours, lineage=False)
    if only_ours and not only_theirs:
        report.sets_newer_here += 1
        report.notes.append(f"document {doc_id}: kept {annotator}'s set here, which holds every "
                            f"edit of the one in {other.path.name} and more")
        return False
    conflict = f"document {doc_id}: {annotator} changed it in both files; "
    our_times = _set_times(project, ours)
    kept = None
    if only_theirs and not only_ours:
        report.sets_updated += 1
    elif our_times[1] >= theirs["updated_at"]:  # a conflict, ours is newer: keep theirs
        kept = keep_version(project, doc_id, annotator, their_content,
                            (theirs["created_at"], theirs["updated_at"], theirs["edited_at"]),
                            os.fspath(other.path))
        if kept is None:
            report.sets_unchanged += 1  # kept at an earlier merge of the same file
            return False
        report.conflicts_kept += 1
        report.notes.append(conflict + f"kept the one from {other.path.name} as a version to "
                                       "review")
        project.record(annotator, doc_id, ours, "merge_conflict", {"kept": kept})
        return False
    else:  # a conflict, theirs is newer: keep ours
        kept = keep_version(project, doc_id, annotator, our_content, our_times,
                            f"{project.path.name} before merging {other.path.name}")
        if kept is None:
            report.sets_updated += 1
        else:
            report.conflicts_kept += 1
            report.notes.append(conflict + f"{other.path.name}'s is newer; kept the one here as "
                                           "a version to review")
    project.record(annotator, doc_id, ours, "merge_replace",
                   {"from": os.fspath(other.path), "replaced": _as_json(our_content),
                    "kept": kept})
    project.conn.execute("DELETE FROM entities WHERE set_id = ?", (ours,))
    project.conn.execute("DELETE FROM stances WHERE set_id = ?", (ours,))
    project.conn.execute(
        "UPDATE annotation_sets SET status = ?, note = ?, updated_at = ?, edited_at = ? "
        "WHERE id = ?",
        (theirs["status"], theirs["note"] or "", theirs["updated_at"], theirs["edited_at"], ours),
    )
    return True


def _as_json(content: SetContent) -> dict[str, Any]:
    return {
        "status": content.status,
        "note": content.note,
        "entities": [dict(zip(ENTITY_COLUMNS, r, strict=True)) for r in content.entities],
        "stances": [dict(zip(STANCE_COLUMNS, r, strict=True)) for r in content.stances],
    }


def _copy_history(project: Project, other: Project, their_set: int, doc_id: int, ours: int) -> None:
    """Their history of the set, each entry once however often the files are merged."""
    seen = {
        tuple(r)
        for r in project.conn.execute(
            "SELECT at, annotator, action, payload FROM history WHERE set_id = ?", (ours,)
        )
    }
    rows = [
        tuple(r)
        for r in other.conn.execute(
            "SELECT at, annotator, action, payload FROM history WHERE set_id = ? ORDER BY id",
            (their_set,),
        )
    ]
    project.conn.executemany(
        "INSERT INTO history(at, annotator, document_id, set_id, action, payload) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(at, who, doc_id, ours, action, payload) for at, who, action, payload in rows
         if (at, who, action, payload) not in seen],
    )
