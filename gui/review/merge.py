"""Bring other project files' annotation sets into this one (``marginalia merge``, File ▸ Merge).

Annotators who work on their own machines each keep a project file; the lead merges them.
Documents are matched by content hash (a document only in the other file is added); each set
comes in with its author, status, timestamps and history. Running a merge twice changes nothing
the second time: an identical set is left alone. Where both files hold a different set for the
same document and annotator, the one edited last wins, and the replaced version is written to
the history, so nothing is lost. Every file is checked before anything is written, and the
whole merge is one transaction.
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
from gui.core.schema import Schema
from gui.core.store import Project

Progress = Callable[[int, int], None]
_SET_COLUMNS = ("id", "document_id", "annotator", "status", "note", "created_at", "updated_at",
                "edited_at")
_ENTITY_COLUMNS = ("start", "end", "label", "origin")
_STANCE_COLUMNS = ("start", "end", "target", "polarity", "holder_start", "holder_end",
                   "confidence", "origin")


@dataclass
class MergeReport:
    files: int = 0
    documents_added: int = 0
    documents_matched: int = 0
    sets_added: int = 0
    sets_updated: int = 0
    sets_unchanged: int = 0
    sets_kept: int = 0  # ours was edited later than theirs
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"merged {self.files} file{'s' * (self.files != 1)}: "
            f"{self.documents_added} documents added, {self.documents_matched} matched; "
            f"{self.sets_added} annotation sets added, {self.sets_updated} updated, "
            f"{self.sets_unchanged} already here, {self.sets_kept} kept (ours is newer)"
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
            other = Project.open(path)
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


def _content(project: Project, set_id: int) -> dict[str, Any]:
    entities = _rows(project, 'SELECT start, "end", label, origin FROM entities WHERE set_id = ? '
                     'ORDER BY start, "end", label', _ENTITY_COLUMNS, (set_id,))
    stances = _rows(project, 'SELECT start, "end", target, polarity, holder_start, holder_end, '
                    'confidence, origin FROM stances WHERE set_id = ? '
                    'ORDER BY start, "end", target, polarity', _STANCE_COLUMNS, (set_id,))
    status, note = project.conn.execute(
        "SELECT status, coalesce(note, '') FROM annotation_sets WHERE id = ?", (set_id,)
    ).fetchone()
    return {"status": status, "note": note, "entities": entities, "stances": stances}


def _comparable(content: dict[str, Any]) -> tuple:
    """A set's content without origins: a pre-filled span a person kept is the same span."""

    def strip(rows: list[dict[str, Any]]) -> list[tuple]:
        return sorted((tuple(v for k, v in r.items() if k != "origin") for r in rows), key=repr)

    return (content["status"], content["note"], strip(content["entities"]),
            strip(content["stances"]))


def _merge_set(
    project: Project, other: Project, theirs: dict[str, Any], doc_id: int, report: MergeReport
) -> None:
    annotator = theirs["annotator"]
    their_content = _content(other, theirs["id"])
    ours = project.set_id(doc_id, annotator)
    conn = project.conn
    if ours is None:
        ours = int(conn.execute(
            "INSERT INTO annotation_sets(document_id, annotator, status, note, created_at, "
            "updated_at, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, annotator, theirs["status"], theirs["note"] or "", theirs["created_at"],
             theirs["updated_at"], theirs["edited_at"]),
        ).lastrowid)
        report.sets_added += 1
    else:
        our_content = _content(project, ours)
        if _comparable(our_content) == _comparable(their_content):
            report.sets_unchanged += 1
            return
        our_updated = conn.execute(
            "SELECT updated_at FROM annotation_sets WHERE id = ?", (ours,)
        ).fetchone()[0]
        if our_updated >= theirs["updated_at"]:
            report.sets_kept += 1
            report.notes.append(
                f"document {doc_id}: kept {annotator}'s set here, edited after the one in "
                f"{other.path.name}"
            )
            return
        project.record(annotator, doc_id, ours, "merge_replace",
                       {"from": str(other.path), "replaced": our_content})
        conn.execute("DELETE FROM entities WHERE set_id = ?", (ours,))
        conn.execute("DELETE FROM stances WHERE set_id = ?", (ours,))
        conn.execute(
            "UPDATE annotation_sets SET status = ?, note = ?, updated_at = ?, edited_at = ? "
            "WHERE id = ?",
            (theirs["status"], theirs["note"] or "", theirs["updated_at"], theirs["edited_at"],
             ours),
        )
        report.sets_updated += 1
    conn.executemany(
        'INSERT INTO entities(set_id, start, "end", label, origin) VALUES (?, ?, ?, ?, ?)',
        [(ours, *(e[c] for c in _ENTITY_COLUMNS)) for e in their_content["entities"]],
    )
    conn.executemany(
        'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, holder_end, '
        "confidence, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(ours, *(s[c] for c in _STANCE_COLUMNS)) for s in their_content["stances"]],
    )
    _copy_history(project, other, theirs["id"], doc_id, ours)
    project.record(annotator, doc_id, ours, "merge",
                   {"from": os.fspath(other.path), "set": theirs["id"]})


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
