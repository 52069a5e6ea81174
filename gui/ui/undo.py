"""The bridge between gui.core.edits commands and one QUndoStack.

An edit is applied (one SQLite transaction) *before* it is pushed: if the store refuses it,
nothing lands on the stack and the window says why. Undo and redo call the command's own
``revert``/``apply``; a refusal there (say another window deleted the row) is reported and the
command is dropped from the stack rather than leaving the stack out of step with the file.

On a server that went away, an edit is not refused but kept *waiting*, with every later one
behind it in order, and ``retry`` applies them when the server is back. A waiting edit is on
no stack and reported nowhere as saved: only the server's COMMIT makes it so. One whose COMMIT
was cut off is looked up by its history row first, so it is never stored twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from gui.core.edits import Edit
from gui.core.errors import MarginaliaError, ServerUnavailable
from gui.core.store import Project


class EditCommand(QUndoCommand):
    def __init__(self, edit: Edit, adapter: UndoAdapter):
        super().__init__(edit.description)
        self.edit = edit
        self.adapter = adapter
        self._applied = True  # pushed after a successful apply: the first redo() is a no-op

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.adapter.run(self, self.edit.apply)

    def undo(self) -> None:
        self.adapter.run(self, self.edit.revert)


class UndoAdapter:
    """Applies edits to the project and keeps them on ``stack`` for undo and redo."""

    def __init__(
        self,
        project: Project,
        stack: QUndoStack,
        stored: Callable[[Edit], None],
        refused: Callable[[str], None],
        guard: Callable[[Edit], str | None] | None = None,
        waiting_changed: Callable[[list[Edit]], None] | None = None,
    ):
        self.project = project
        self.stack = stack
        self.stored = stored
        self.refused = refused
        self.guard = guard  # why an edit may not be made now (another holds the gold), or None
        self.waiting: list[Edit] = []  # not confirmed by the server yet, in the order made
        self._cut_off: dict[int, int] = {}  # id(edit) -> history row of a COMMIT cut off
        self.waiting_changed = waiting_changed or (lambda _edits: None)

    def push(self, edit: Edit) -> bool:
        """Apply and keep ``edit``; True when it is saved (committed)."""
        reason = self.guard(edit) if self.guard is not None else None
        if reason is not None:
            self.refused(reason)
            return False
        if self.waiting:  # behind the edits already waiting, never before them
            self.waiting.append(edit)
            self.waiting_changed(self.waiting)
            return False
        try:
            edit.apply(self.project)
        except ServerUnavailable as exc:
            self.refused(str(exc))
            self._wait(edit, exc)  # after: where both show in one place, the count stays
            return False
        except MarginaliaError as exc:
            self.refused(str(exc))
            return False
        self._saved(edit)
        return True

    def _wait(self, edit: Edit, exc: ServerUnavailable) -> None:
        if exc.history_id is not None:
            self._cut_off[id(edit)] = exc.history_id
        self.waiting.append(edit)  # the first: push queues the later ones behind it
        self.waiting_changed(self.waiting)

    def _saved(self, edit: Edit) -> None:
        self.stack.push(EditCommand(edit, self))
        self.stored(edit)

    def retry(self) -> bool:
        """Apply the waiting edits in order; True when none is left waiting. An edit the
        project now refuses (another client deleted its row) is reported and dropped."""
        while self.waiting:
            edit = self.waiting[0]
            try:
                if not self._already_committed(edit):
                    edit.apply(self.project)
            except ServerUnavailable as exc:
                if exc.history_id is not None:
                    self._cut_off[id(edit)] = exc.history_id
                self.waiting_changed(self.waiting)
                return False
            except sqlite3.OperationalError:  # the look-up itself found no server
                self.waiting_changed(self.waiting)
                return False
            except MarginaliaError as exc:
                self.waiting.pop(0)
                self.refused(f"{edit.description}: {exc}")
                continue
            self.waiting.pop(0)
            self._saved(edit)
        self.waiting_changed(self.waiting)
        return True

    def drop_waiting(self) -> list[Edit]:
        """Give up the waiting edits (they may no longer be made); returns them."""
        dropped, self.waiting = self.waiting, []
        self._cut_off.clear()
        self.waiting_changed(self.waiting)
        return dropped

    def _already_committed(self, edit: Edit) -> bool:
        history_id = self._cut_off.pop(id(edit), None)
        if history_id is None:
            return False
        from gui.core.postgres import committed

        try:
            return committed(self.project, history_id)
        except sqlite3.OperationalError:
            self._cut_off[id(edit)] = history_id
            raise

    def run(self, command: EditCommand, step: Callable[[Project], None]) -> None:
        try:
            step(self.project)
        except MarginaliaError as exc:
            command.setObsolete(True)
            self.refused(f"{command.text()}: {exc}")
            return
        self.stored(command.edit)
