"""Edits the server has not confirmed yet: kept in the order made, shown as made, sent again.

When a project's server goes away (gui/core/postgres.py), an edit cannot be committed. The
window keeps it here instead of losing it, and this module is the bookkeeping of that wait,
without Qt so that it is tested as plain Python:

- ``PendingEdits`` is the queue: the edits in order, each with the history row of a COMMIT cut
  off in flight (looked up before it goes again) and, for an edit that adds a row, the
  *provisional* id the window shows for that row until the server gives it a real one;
- ``resolve`` points an edit, just before it is applied, at the rows it means now: a row added
  while the server was away has its real id by then, and a pre-fill suggestion (a negative id:
  the annotator's set did not exist yet) becomes its copy in the annotator's set, made then as
  on any first edit. The same step serves an edit made online, so there is one path;
- ``overlay`` is what the annotator sees: the set the server last confirmed with the waiting
  edits applied to it, and which rows are not saved yet (added, changed, or removed: a removal
  stays visible, marked, until the server has committed it). It reads no database, so a window
  whose server is gone still draws every edit it keeps.

Only the edits of ``gui.core.edits`` that add, change or remove an entity or a stance, or set a
status, are shown; any other edit (a reviewer's restore, taking the agreed items) still waits
and goes in order, it just is not drawn before it is saved.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from gui.core.edits import (
    AddEntity,
    AddStance,
    ChangeEntity,
    ChangeStance,
    Edit,
    RemoveEntity,
    RemoveStance,
    SetStatus,
)
from gui.core.errors import ProjectError
from gui.core.store import AnnotationSet, Entity, Stance

if TYPE_CHECKING:
    from gui.core.store import Project

# Provisional ids are negative, like the pre-fill's (-row id), but far below any of them.
PROVISIONAL_START = -(1 << 60)
ADDED, CHANGED, REMOVED = "added", "changed", "removed"

_ADDS = {AddEntity: "entity", AddStance: "stance"}
_TOUCHES = {ChangeEntity: "entity", RemoveEntity: "entity", ChangeStance: "stance",
            RemoveStance: "stance"}
_ID_FIELD = {"entity": "entity_id", "stance": "stance_id"}


def is_provisional(item_id: int) -> bool:
    return item_id < PROVISIONAL_START // 2


@dataclass
class Waiting:
    """One edit not confirmed yet. ``shown_id``: the provisional id of the row it adds."""

    edit: Edit
    shown_id: int | None = None
    history_id: int | None = None  # its COMMIT was cut off: look this row up first


@dataclass(frozen=True)
class Shown:
    """What the annotator sees of one set: ``aset`` with the waiting edits applied."""

    aset: AnnotationSet
    unsaved: dict[tuple[str, int], str] = field(default_factory=dict)  # (kind, id) -> state
    removed_entities: tuple[Entity, ...] = ()  # removed, the removal not saved yet
    removed_stances: tuple[Stance, ...] = ()
    status_unsaved: bool = False


class PendingEdits:
    """The queue of waiting edits, and the ids the server gave the rows they added."""

    def __init__(self) -> None:
        self._queue: list[Waiting] = []
        self._next_id = itertools.count(PROVISIONAL_START)
        # (kind, annotator, id shown) -> id stored: rows added while waiting, and suggestions
        # copied into the annotator's set (kept: an edit taken back and redone may name them)
        self._stored_ids: dict[tuple[str, str, int], int] = {}

    def __len__(self) -> int:
        return len(self._queue)

    def __iter__(self) -> Iterator[Waiting]:
        return iter(self._queue)

    @property
    def edits(self) -> list[Edit]:
        return [entry.edit for entry in self._queue]

    def add(self, entry: Waiting) -> None:
        """Queue ``entry`` behind the others; a row it adds gets a provisional id to be shown
        (unless a COMMIT cut off already gave it one: that id may be the stored one)."""
        kind = _ADDS.get(type(entry.edit))
        if (kind is not None and entry.shown_id is None
                and getattr(entry.edit, _ID_FIELD[kind]) is None):
            entry.shown_id = next(self._next_id)
        self._queue.append(entry)

    def first(self) -> Waiting:
        return self._queue[0]

    def confirmed(self, entry: Waiting) -> None:
        """``entry`` was committed (it is no longer waiting, if it was): the row it added is
        known by its stored id from now on."""
        if self._queue and self._queue[0] is entry:
            self._queue.pop(0)
        kind = _ADDS.get(type(entry.edit))
        if kind is not None and entry.shown_id is not None:
            annotator = entry.edit.annotator  # type: ignore[attr-defined]
            self._stored_ids[(kind, annotator, entry.shown_id)] = getattr(
                entry.edit, _ID_FIELD[kind])

    def drop_first(self) -> Waiting:
        """The first edit was refused: it will not be made (nor the edits on a row it added:
        ``resolve`` refuses them in turn)."""
        return self._queue.pop(0)

    def take_back(self) -> Waiting:
        """The last edit, taken back before it was ever saved (undo while waiting)."""
        return self._queue.pop()

    def clear(self) -> list[Edit]:
        dropped = self.edits
        self._queue = []
        return dropped

    def current_id(self, kind: str, annotator: str, item_id: int) -> int:
        """The id a row shown as ``item_id`` has now (its stored id once saved)."""
        return self._stored_ids.get((kind, annotator, item_id), item_id)

    def shown_id(self, edit: Edit) -> int | None:
        """The id the window shows for the row ``edit`` adds or changes."""
        for entry in self._queue:
            if entry.edit is edit and entry.shown_id is not None:
                return entry.shown_id
        kind = _ADDS.get(type(edit)) or _TOUCHES.get(type(edit))
        return getattr(edit, _ID_FIELD[kind]) if kind is not None else None

    # ---- before an edit goes --------------------------------------------------------------

    def resolve(self, project: Project, edit: Edit) -> None:
        """Point ``edit`` at the rows it means now (see the module's docstring); ProjectError
        when the row it names was never saved, or the suggestion is gone."""
        kind = _TOUCHES.get(type(edit))
        if kind is None:
            return
        annotator: str = edit.annotator  # type: ignore[attr-defined]
        id_field = _ID_FIELD[kind]
        shown = getattr(edit, id_field)
        stored = self._stored_ids.get((kind, annotator, shown))
        if stored is None and is_provisional(shown):
            raise ProjectError(f"the {kind} it changes was never saved")
        if stored is None and shown < 0:  # a pre-fill suggestion: its copy in the set
            project.ensure_set(edit.document_id, annotator)
            stored = copied_suggestion(project, kind, edit.document_id, annotator, -shown)
            if stored is None:
                raise ProjectError(f"the suggested {kind} it changes is no longer there")
            self._stored_ids[(kind, annotator, shown)] = stored
        if stored is not None:
            setattr(edit, id_field, stored)

    # ---- what the annotator sees ----------------------------------------------------------

    def overlay(self, confirmed: AnnotationSet) -> Shown:
        """``confirmed`` (the set as the server last gave it) with this set's waiting edits
        applied in order, and which of its rows are not saved yet."""
        entities: dict[int, Any] = {e.id: e for e in confirmed.entities}
        stances: dict[int, Any] = {s.id: s for s in confirmed.stances}
        rows = {"entity": entities, "stance": stances}
        removed: dict[str, dict[int, Any]] = {"entity": {}, "stance": {}}
        unsaved: dict[tuple[str, int], str] = {}
        status, note, status_unsaved = confirmed.status, confirmed.note, False
        for entry in self._queue:
            edit = entry.edit
            annotator = getattr(edit, "annotator", None)
            if edit.document_id != confirmed.document_id or annotator != confirmed.annotator:
                continue
            if isinstance(edit, SetStatus):
                status, status_unsaved = edit.status, True
                note = note if edit.note is None else edit.note
                continue
            kind = _ADDS.get(type(edit)) or _TOUCHES.get(type(edit))
            if kind is None:
                continue
            if type(edit) in _ADDS:
                item_id = entry.shown_id if entry.shown_id is not None else \
                    getattr(edit, _ID_FIELD[kind])
                rows[kind][item_id] = _added_row(edit, item_id)
                unsaved[(kind, item_id)] = ADDED
            else:
                item_id = self.current_id(kind, annotator, getattr(edit, _ID_FIELD[kind]))
                if item_id not in rows[kind]:
                    continue  # not in this set (any more): the edit is refused when it goes
                _touch_row(edit, kind, item_id, rows, removed, unsaved)
            if status == "todo":  # as Project.touch: a set a person changed is in progress
                status, status_unsaved = "in_progress", True
        return Shown(
            replace(confirmed, status=status, note=note, entities=_in_order(entities),
                    stances=_in_order(stances)),
            unsaved, _in_order(removed["entity"]), _in_order(removed["stance"]), status_unsaved)


def _touch_row(edit: Edit, kind: str, item_id: int, rows: dict[str, dict[int, Any]],
               removed: dict[str, dict[int, Any]], unsaved: dict[tuple[str, int], str]) -> None:
    """A waiting change or removal applied to the rows shown."""
    if isinstance(edit, ChangeEntity | ChangeStance):
        rows[kind][item_id] = replace(rows[kind][item_id],
                                      **{"origin": "manual", **edit.changes})
        unsaved.setdefault((kind, item_id), CHANGED)
    else:
        removed[kind][item_id] = rows[kind].pop(item_id)
        unsaved[(kind, item_id)] = REMOVED


def _added_row(edit: Edit, item_id: int) -> Entity | Stance:
    if isinstance(edit, AddEntity):
        return Entity(item_id, edit.start, edit.end, edit.label, edit.origin)
    assert isinstance(edit, AddStance)
    holder = edit.holder or (None, None)
    return Stance(item_id, edit.start, edit.end, edit.target, edit.polarity, holder[0],
                  holder[1], origin=edit.origin)


def _in_order(rows: dict[int, Any]) -> tuple[Any, ...]:
    """By place, in the store's order among rows at one place (a stable sort of rows read in
    that order, those added since after them): not by id, which the pre-fill's suggestions
    carry negated, so that two at one place would swap when the first edit copies them."""
    return tuple(sorted(rows.values(), key=lambda r: (r.start, r.end)))


def copied_suggestion(project: Project, kind: str, document_id: int, annotator: str,
                      prefill_id: int) -> int | None:
    """The row of ``annotator``'s set of the document that is the copy of pre-fill row
    ``prefill_id`` (same span and content), or None."""
    if kind == "entity":
        sql = ('SELECT e.id FROM entities e JOIN annotation_sets s ON s.id = e.set_id '
               "JOIN prefill_entities p ON p.id = ? "
               'WHERE s.document_id = ? AND s.annotator = ? AND e.start = p.start '
               'AND e."end" = p."end" AND e.label = p.label ORDER BY e.id LIMIT 1')
    else:
        sql = ('SELECT e.id FROM stances e JOIN annotation_sets s ON s.id = e.set_id '
               "JOIN prefill_stances p ON p.id = ? "
               'WHERE s.document_id = ? AND s.annotator = ? AND e.start = p.start '
               'AND e."end" = p."end" AND e.target = p.target AND e.polarity = p.polarity '
               "AND coalesce(e.holder_start, -1) = coalesce(p.holder_start, -1) "
               "AND coalesce(e.holder_end, -1) = coalesce(p.holder_end, -1) "
               "ORDER BY e.id LIMIT 1")
    row = project.conn.execute(sql, (prefill_id, document_id, annotator)).fetchone()
    return int(row[0]) if row else None


def unsaved_tip(state: str) -> str:
    """What the window says of a row in ``state`` (ADDED, CHANGED or REMOVED)."""
    return ("deletion not saved yet — waiting for the server" if state == REMOVED
            else "not saved yet — waiting for the server")
