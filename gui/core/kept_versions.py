"""Kept versions: annotation sets a merge did not make current, stored whole to be recovered.

When the same annotator changed the same document in two copies of a project, both changes
are work; merge makes the newer set current and keeps the other here (see
gui/review/merge.py). A reviewer sees kept versions in review mode beside the annotators'
sets, and can restore one (``edits.RestoreKeptVersion``) or take parts of it into gold.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from gui.core.store import Project, now

ENTITY_COLUMNS = ("start", "end", "label", "origin")
STANCE_COLUMNS = ("start", "end", "target", "polarity", "holder_start", "holder_end",
                  "confidence", "origin")
_QUOTED = {c: f'"{c}"' for c in (*ENTITY_COLUMNS, *STANCE_COLUMNS)}  # "end" is a keyword


@dataclass(frozen=True)
class SetContent:
    """What an annotator decided for a document: status, note, entities and stances (rows in
    ``ENTITY_COLUMNS`` / ``STANCE_COLUMNS`` order)."""

    status: str
    note: str
    entities: tuple[tuple, ...]
    stances: tuple[tuple, ...]

    def comparable(self) -> tuple:
        """The content without origins: a pre-filled span a person kept is the same span."""

        def strip(rows: tuple[tuple, ...]) -> list[tuple]:
            return sorted((row[:-1] for row in rows), key=repr)

        return (self.status, self.note, strip(self.entities), strip(self.stances))

    def digest(self) -> str:
        return hashlib.sha256(repr(self.comparable()).encode("utf-8")).hexdigest()


def set_content(project: Project, set_id: int) -> SetContent:
    columns = ", ".join(_QUOTED[c] for c in ENTITY_COLUMNS)
    entities = project.conn.execute(
        f'SELECT {columns} FROM entities WHERE set_id = ? ORDER BY start, "end", label, id',
        (set_id,)).fetchall()
    columns = ", ".join(_QUOTED[c] for c in STANCE_COLUMNS)
    stances = project.conn.execute(
        f'SELECT {columns} FROM stances WHERE set_id = ? ORDER BY start, "end", target, '
        "polarity, id", (set_id,)).fetchall()
    status, note = project.conn.execute(
        "SELECT status, coalesce(note, '') FROM annotation_sets WHERE id = ?", (set_id,)
    ).fetchone()
    return SetContent(status, note, tuple(map(tuple, entities)), tuple(map(tuple, stances)))


def insert_items(project: Project, set_id: int, content: SetContent) -> None:
    """Add a content's entities and stances to a set (inside the caller's transaction)."""
    for table, columns, rows in (("entities", ENTITY_COLUMNS, content.entities),
                                 ("stances", STANCE_COLUMNS, content.stances)):
        names = ", ".join(_QUOTED[c] for c in columns)
        project.conn.executemany(
            f"INSERT INTO {table}(set_id, {names}) VALUES (?, {', '.join('?' * len(columns))})",
            [(set_id, *row) for row in rows])


@dataclass(frozen=True)
class KeptVersion:
    id: int
    document_id: int
    annotator: str
    content: SetContent
    created_at: str | None
    updated_at: str | None
    edited_at: str | None
    source: str  # where it came from: the other file, or this project before a merge
    kept_at: str


_KEPT_COLUMNS = ("id", "document_id", "annotator", "status", "note", "entities", "stances",
                 "digest", "created_at", "updated_at", "edited_at", "source", "kept_at")


def kept_row(project: Project, kept_id: int) -> dict[str, Any] | None:
    row = project.conn.execute(
        f"SELECT {', '.join(_KEPT_COLUMNS)} FROM kept_versions WHERE id = ?", (kept_id,)
    ).fetchone()
    return None if row is None else dict(zip(_KEPT_COLUMNS, row, strict=True))


def put_kept_row(project: Project, row: dict[str, Any]) -> None:
    """Write a kept version's row back as it was (undo), under its own id."""
    project.conn.execute(
        f"INSERT OR REPLACE INTO kept_versions({', '.join(_KEPT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_KEPT_COLUMNS))})",
        [row[c] for c in _KEPT_COLUMNS])


def keep_version(project: Project, doc_id: int, annotator: str, content: SetContent,
                 times: tuple[str | None, str | None, str | None], source: str) -> int | None:
    """Store a version; its id, or None when this very version is already kept."""
    cursor = project.conn.execute(
        "INSERT OR IGNORE INTO kept_versions(document_id, annotator, status, note, entities, "
        "stances, digest, created_at, updated_at, edited_at, source, kept_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_id, annotator, content.status, content.note, json.dumps(content.entities),
         json.dumps(content.stances), content.digest(), *times, source, now()))
    return int(cursor.lastrowid) if cursor.rowcount else None


def stored_content(status: str, note: str | None, entities: str, stances: str) -> SetContent:
    """A kept version's content from its columns (entities and stances are JSON)."""
    return SetContent(status, note or "", tuple(map(tuple, json.loads(entities))),
                      tuple(map(tuple, json.loads(stances))))


def _version(row: tuple) -> KeptVersion:
    (kept_id, doc_id, annotator, status, note, entities, stances, created, updated, edited,
     source, kept_at) = row
    return KeptVersion(kept_id, doc_id, annotator,
                       stored_content(status, note, entities, stances), created, updated,
                       edited, source, kept_at)


def kept_versions(project: Project, doc_id: int) -> list[KeptVersion]:
    """A document's kept versions, oldest kept first."""
    return [_version(r) for r in project.conn.execute(
        "SELECT id, document_id, annotator, status, note, entities, stances, created_at, "
        "updated_at, edited_at, source, kept_at FROM kept_versions WHERE document_id = ? "
        "ORDER BY id", (doc_id,))]


def documents_with_kept_versions(project: Project) -> list[int]:
    return [r[0] for r in project.conn.execute(
        "SELECT DISTINCT document_id FROM kept_versions ORDER BY document_id")]
