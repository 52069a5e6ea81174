"""Every correction is a command object: ``apply`` and ``revert``, each one SQLite transaction.

The window pushes them onto a ``QUndoStack`` (see gui/ui/undo.py), but they know nothing of
Qt, so the same objects drive the command line, the fault suite and the tests. Each command
remembers what it needs to undo itself (the row it deleted, the values it replaced), so undo
and redo restore the very same row ids and the view's selection survives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from gui.core.errors import ProjectError
from gui.core.kept_versions import (
    insert_items,
    keep_version,
    kept_row,
    put_kept_row,
    set_content,
    stored_content,
)
from gui.core.migrations import STATUSES
from gui.core.store import GOLD, Project, now


class Edit(Protocol):
    """What the undo stack needs from a command."""

    description: str
    document_id: int

    def apply(self, project: Project) -> None: ...
    def revert(self, project: Project) -> None: ...


def _check_owner(project: Project, set_id: int, annotator: str) -> int:
    doc_id, owner = project.set_owner(set_id)
    if owner != annotator:
        raise ProjectError(f"{annotator} cannot change {owner}'s annotations")
    return doc_id


def _entity_row(project: Project, entity_id: int) -> dict[str, Any]:
    row = project.conn.execute(
        'SELECT id, set_id, start, "end", label, origin FROM entities WHERE id = ?', (entity_id,)
    ).fetchone()
    if row is None:
        raise ProjectError(f"entity {entity_id} no longer exists")
    return dict(zip(("id", "set_id", "start", "end", "label", "origin"), row, strict=True))


_STANCE_COLUMNS = (
    "id",
    "set_id",
    "start",
    "end",
    "target",
    "polarity",
    "holder_start",
    "holder_end",
    "confidence",
    "origin",
)


def _stance_row(project: Project, stance_id: int) -> dict[str, Any]:
    cols = ", ".join(f'"{c}"' for c in _STANCE_COLUMNS)
    row = project.conn.execute(f"SELECT {cols} FROM stances WHERE id = ?", (stance_id,)).fetchone()
    if row is None:
        raise ProjectError(f"stance {stance_id} no longer exists")
    return dict(zip(_STANCE_COLUMNS, row, strict=True))


def _insert(project: Project, table: str, row: dict[str, Any]) -> int:
    cols = list(row)
    quoted = ", ".join(f'"{c}"' for c in cols)  # "end" is an SQL keyword
    sql = f"INSERT INTO {table}({quoted}) VALUES ({', '.join('?' * len(cols))})"
    return int(project.conn.execute(sql, [row[c] for c in cols]).lastrowid)


def _update(project: Project, table: str, row_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f'"{c}" = ?' for c in values)
    project.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])


@dataclass
class AddEntity:
    document_id: int
    annotator: str
    start: int
    end: int
    label: str
    origin: str = "manual"
    entity_id: int | None = None  # known after the first apply; redo reuses it
    description: str = field(init=False)

    def __post_init__(self) -> None:
        self.description = f"Add {self.label}"

    def apply(self, project: Project) -> None:
        with project.transaction():
            set_id = project.ensure_set(self.document_id, self.annotator)
            row = {
                "set_id": set_id,
                "start": self.start,
                "end": self.end,
                "label": self.label,
                "origin": self.origin,
            }
            if self.entity_id is not None:
                row["id"] = self.entity_id
            self.entity_id = _insert(project, "entities", row)
            project.touch(set_id)
            project.record(
                self.annotator,
                self.document_id,
                set_id,
                "add_entity",
                {**row, "id": self.entity_id},
            )

    def revert(self, project: Project) -> None:
        RemoveEntity(self.document_id, self.annotator, self._id()).apply(project)

    def _id(self) -> int:
        assert self.entity_id is not None, "revert before apply"
        return self.entity_id


@dataclass
class RemoveEntity:
    document_id: int
    annotator: str
    entity_id: int
    removed: dict[str, Any] | None = None
    description: str = "Delete entity"

    def apply(self, project: Project) -> None:
        with project.transaction():
            self.removed = _entity_row(project, self.entity_id)
            _check_owner(project, self.removed["set_id"], self.annotator)
            project.conn.execute("DELETE FROM entities WHERE id = ?", (self.entity_id,))
            project.touch(self.removed["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                self.removed["set_id"],
                "remove_entity",
                self.removed,
            )

    def revert(self, project: Project) -> None:
        assert self.removed is not None, "revert before apply"
        with project.transaction():
            _insert(project, "entities", self.removed)
            project.touch(self.removed["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                self.removed["set_id"],
                "restore_entity",
                self.removed,
            )


@dataclass
class ChangeEntity:
    """Relabel or move the boundaries of an entity (a person touching it also confirms it)."""

    document_id: int
    annotator: str
    entity_id: int
    changes: dict[str, Any]
    before: dict[str, Any] | None = None
    description: str = "Change entity"
    FIELDS: ClassVar[set[str]] = {"start", "end", "label", "origin"}

    def __post_init__(self) -> None:
        unknown = set(self.changes) - self.FIELDS
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} of an entity")
        if "label" in self.changes:
            self.description = f"Relabel as {self.changes['label']}"
        elif {"start", "end"} & set(self.changes):
            self.description = "Resize entity"

    def apply(self, project: Project) -> None:
        with project.transaction():
            row = _entity_row(project, self.entity_id)
            _check_owner(project, row["set_id"], self.annotator)
            after = {"origin": "manual", **self.changes}
            self.before = {k: row[k] for k in after}
            _update(project, "entities", self.entity_id, after)
            project.touch(row["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                row["set_id"],
                "change_entity",
                {"id": self.entity_id, "before": self.before, "after": after},
            )

    def revert(self, project: Project) -> None:
        assert self.before is not None, "revert before apply"
        with project.transaction():
            row = _entity_row(project, self.entity_id)
            _update(project, "entities", self.entity_id, self.before)
            project.touch(row["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                row["set_id"],
                "change_entity",
                {"id": self.entity_id, "after": self.before, "undo": True},
            )


@dataclass
class AddStance:
    document_id: int
    annotator: str
    start: int
    end: int
    target: str
    polarity: str
    holder: tuple[int, int] | None = None
    origin: str = "manual"
    stance_id: int | None = None
    description: str = field(init=False)

    def __post_init__(self) -> None:
        self.description = f"Add stance {self.polarity} {self.target}"

    def apply(self, project: Project) -> None:
        with project.transaction():
            set_id = project.ensure_set(self.document_id, self.annotator)
            row: dict[str, Any] = {
                "set_id": set_id,
                "start": self.start,
                "end": self.end,
                "target": self.target,
                "polarity": self.polarity,
                "holder_start": self.holder[0] if self.holder else None,
                "holder_end": self.holder[1] if self.holder else None,
                "origin": self.origin,
            }
            if self.stance_id is not None:
                row["id"] = self.stance_id
            self.stance_id = _insert(project, "stances", row)
            project.touch(set_id)
            project.record(
                self.annotator,
                self.document_id,
                set_id,
                "add_stance",
                {**row, "id": self.stance_id},
            )

    def revert(self, project: Project) -> None:
        assert self.stance_id is not None, "revert before apply"
        RemoveStance(self.document_id, self.annotator, self.stance_id).apply(project)


@dataclass
class RemoveStance:
    document_id: int
    annotator: str
    stance_id: int
    removed: dict[str, Any] | None = None
    description: str = "Delete stance"

    def apply(self, project: Project) -> None:
        with project.transaction():
            self.removed = _stance_row(project, self.stance_id)
            _check_owner(project, self.removed["set_id"], self.annotator)
            project.conn.execute("DELETE FROM stances WHERE id = ?", (self.stance_id,))
            project.touch(self.removed["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                self.removed["set_id"],
                "remove_stance",
                self.removed,
            )

    def revert(self, project: Project) -> None:
        assert self.removed is not None, "revert before apply"
        with project.transaction():
            _insert(project, "stances", self.removed)
            project.touch(self.removed["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                self.removed["set_id"],
                "restore_stance",
                self.removed,
            )


@dataclass
class ChangeStance:
    """Change a stance's evidence span, target, polarity or holder (``holder=None`` clears)."""

    document_id: int
    annotator: str
    stance_id: int
    changes: dict[str, Any]
    before: dict[str, Any] | None = None
    description: str = "Change stance"
    FIELDS: ClassVar[set[str]] = {
        "start",
        "end",
        "target",
        "polarity",
        "holder_start",
        "holder_end",
        "origin",
    }

    def __post_init__(self) -> None:
        if "holder" in self.changes:
            holder = self.changes.pop("holder")
            self.changes["holder_start"] = holder[0] if holder else None
            self.changes["holder_end"] = holder[1] if holder else None
        unknown = set(self.changes) - self.FIELDS
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)} of a stance")

    def apply(self, project: Project) -> None:
        with project.transaction():
            row = _stance_row(project, self.stance_id)
            _check_owner(project, row["set_id"], self.annotator)
            after = {"origin": "manual", **self.changes}
            self.before = {k: row[k] for k in after}
            _update(project, "stances", self.stance_id, after)
            project.touch(row["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                row["set_id"],
                "change_stance",
                {"id": self.stance_id, "before": self.before, "after": after},
            )

    def revert(self, project: Project) -> None:
        assert self.before is not None, "revert before apply"
        with project.transaction():
            row = _stance_row(project, self.stance_id)
            _update(project, "stances", self.stance_id, self.before)
            project.touch(row["set_id"])
            project.record(
                self.annotator,
                self.document_id,
                row["set_id"],
                "change_stance",
                {"id": self.stance_id, "after": self.before, "undo": True},
            )


@dataclass
class SetStatus:
    """Accept (done), skip, flag with a note, or reopen a document for one annotator."""

    document_id: int
    annotator: str
    status: str
    note: str | None = None
    before: tuple[str, str] | None = None
    description: str = field(init=False)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        self.description = {"done": "Accept", "skipped": "Skip", "flagged": "Flag"}.get(
            self.status, f"Mark {self.status}"
        )

    def apply(self, project: Project) -> None:
        self._write(project, self.status, self.note, "set_status")

    def revert(self, project: Project) -> None:
        assert self.before is not None, "revert before apply"
        self._write(project, self.before[0], self.before[1], "restore_status")

    def _write(self, project: Project, status: str, note: str | None, action: str) -> None:
        with project.transaction() as conn:
            set_id = project.ensure_set(self.document_id, self.annotator)
            old = conn.execute(
                "SELECT status, coalesce(note, '') FROM annotation_sets WHERE id = ?", (set_id,)
            ).fetchone()
            if action == "set_status":
                self.before = (old[0], old[1])
            new_note = old[1] if note is None else note
            conn.execute(
                "UPDATE annotation_sets SET status = ?, note = ?, updated_at = ? WHERE id = ?",
                (status, new_note, now(), set_id),
            )
            project.record(
                self.annotator,
                self.document_id,
                set_id,
                action,
                {"status": status, "note": new_note, "before": old[0]},
            )


@dataclass
class RestoreKeptVersion:
    """Make a kept version an annotator's current set again; the set it replaces becomes the
    kept version in its place, so a restore loses nothing even before it is undone."""

    document_id: int
    kept_id: int
    reviewer: str
    before: dict[str, Any] | None = None  # the kept row, the set's row and its items
    replaced_id: int | None = None  # the kept version the replaced set became
    description: str = "Restore kept version"

    def apply(self, project: Project) -> None:
        with project.transaction() as conn:
            kept = kept_row(project, self.kept_id)
            if kept is None:
                raise ProjectError(f"has no kept version {self.kept_id}", path=project.path)
            set_id = project.ensure_set(self.document_id, kept["annotator"], copy_prefill=False)
            set_row = conn.execute(
                "SELECT status, note, created_at, updated_at, edited_at FROM annotation_sets "
                "WHERE id = ?", (set_id,)).fetchone()
            current = set_content(project, set_id)
            self.before = {
                "kept": kept,
                "set": set_row,
                "entities": [_entity_row(project, i) for (i,) in conn.execute(
                    "SELECT id FROM entities WHERE set_id = ?", (set_id,))],
                "stances": [_stance_row(project, i) for (i,) in conn.execute(
                    "SELECT id FROM stances WHERE set_id = ?", (set_id,))],
            }
            restored = stored_content(kept["status"], kept["note"], kept["entities"],
                                      kept["stances"])
            conn.execute("DELETE FROM entities WHERE set_id = ?", (set_id,))
            conn.execute("DELETE FROM stances WHERE set_id = ?", (set_id,))
            insert_items(project, set_id, restored)
            stamp = now()
            conn.execute(
                "UPDATE annotation_sets SET status = ?, note = ?, updated_at = ?, edited_at = ? "
                "WHERE id = ?", (restored.status, restored.note, stamp, stamp, set_id))
            conn.execute("DELETE FROM kept_versions WHERE id = ?", (self.kept_id,))
            self.replaced_id = None
            if current.comparable() != restored.comparable():
                self.replaced_id = keep_version(
                    project, self.document_id, kept["annotator"], current, set_row[2:],
                    f"the current set until {self.reviewer} restored kept version "
                    f"{self.kept_id}")
            project.record(self.reviewer, self.document_id, set_id, "restore_version",
                           {"kept": self.kept_id, "annotator": kept["annotator"]})

    def revert(self, project: Project) -> None:
        assert self.before is not None, "revert before apply"
        kept = self.before["kept"]
        with project.transaction() as conn:
            set_id = project.set_id(self.document_id, kept["annotator"])
            conn.execute("DELETE FROM entities WHERE set_id = ?", (set_id,))
            conn.execute("DELETE FROM stances WHERE set_id = ?", (set_id,))
            if self.replaced_id is not None:
                conn.execute("DELETE FROM kept_versions WHERE id = ?", (self.replaced_id,))
            for row in self.before["entities"]:
                _insert(project, "entities", row)
            for row in self.before["stances"]:
                _insert(project, "stances", row)
            conn.execute(
                "UPDATE annotation_sets SET status = ?, note = ?, created_at = ?, "
                "updated_at = ?, edited_at = ? WHERE id = ?", (*self.before["set"], set_id))
            put_kept_row(project, kept)
            project.record(self.reviewer, self.document_id, set_id, "restore_version",
                           {"kept": self.kept_id, "annotator": kept["annotator"], "undo": True})


__all__ = [
    "GOLD",
    "AddEntity",
    "AddStance",
    "ChangeEntity",
    "ChangeStance",
    "Edit",
    "RemoveEntity",
    "RemoveStance",
    "RestoreKeptVersion",
    "SetStatus",
]
