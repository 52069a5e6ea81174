"""The bridge between gui.core.edits commands and one QUndoStack.

An edit is applied (one SQLite transaction) *before* it is pushed: if the store refuses it,
nothing lands on the stack and the window says why. Undo and redo call the command's own
``revert``/``apply``; a refusal there (say another window deleted the row) is reported and the
command is dropped from the stack rather than leaving the stack out of step with the file.

On a server that went away, an edit is not refused but kept *waiting* (gui/core/pending.py),
with every later one behind it in order, and ``retry`` applies them when the server is back.
A waiting edit is on no stack and reported nowhere as saved: only the server's COMMIT makes it
so. The views draw it, marked, from ``pending.overlay``. One whose COMMIT was cut off is looked
up by its history row first, so it is never stored twice.

Undo and redo follow what the annotator sees: while edits wait, Undo takes back the last of
them (it was never sent, so nothing is asked of the server) and Redo queues it again. An edit
that is saved cannot be undone while the server is away: that is refused in one line, and the
stack stays where it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from gui.core.edits import Edit
from gui.core.errors import MarginaliaError, server_gone
from gui.core.pending import PendingEdits, Waiting
from gui.core.store import Project

AWAY = "the server is not connected; nothing was changed"


class EditCommand(QUndoCommand):
    def __init__(self, edit: Edit, adapter: UndoAdapter):
        super().__init__(edit.description)
        self.edit = edit
        self.adapter = adapter
        self._applied = True  # pushed after a successful apply: the first redo() is a no-op

    def redo(self) -> None:
        if self._applied or self.adapter.settling:
            self._applied = False
            return
        self.adapter.run(self, self.edit.apply, "redo")

    def undo(self) -> None:
        if not self.adapter.settling:
            self.adapter.run(self, self.edit.revert, "undo")


class UndoAdapter(QObject):
    """Applies edits to the project and keeps them on ``stack`` for undo and redo."""

    waiting_changed = Signal(object)  # list[Edit]: the edits not confirmed yet, in order
    server_lost = Signal(str)  # an edit found the server gone (said once, not per edit)

    def __init__(
        self,
        project: Project,
        stack: QUndoStack,
        stored: Callable[[Edit], None],
        refused: Callable[[str], None],
        guard: Callable[[Edit], str | None] | None = None,
    ):
        super().__init__(stack)
        self.project = project
        self.stack = stack
        self.stored = stored
        self.refused = refused
        self.guard = guard  # why an edit may not be made now (another holds the gold), or None
        self.pending = PendingEdits()
        self.server_away = False  # known gone: saved edits are not undone until it is back
        self.settling = False  # putting the stack back where the store is: commands keep still
        self.retrying = False  # sending the waiting edits: the window need not follow them
        self._taken_back: list[Waiting] = []  # undone while waiting: what Redo queues again
        # how many of the stack's redo steps are older than the waiting edits (a new edit
        # makes them history; the stack forgets them when that edit is pushed on it)
        self._older_redo = 0
        self._actions: tuple[QAction, QAction] | None = None
        # what the edit ``stored`` was last told of went through: "saved" (made, or a
        # waiting edit sent again), "undone" or "redone" (see ``saved_message``)
        self.last_step = "saved"

    @property
    def waiting(self) -> list[Edit]:
        """The edits not confirmed by the server yet, in the order made."""
        return self.pending.edits

    def push(self, edit: Edit) -> bool:
        """Apply and keep ``edit``; True when it is saved (committed). False when it was
        refused, or kept waiting for the server (``is_waiting`` tells which)."""
        self._taken_back.clear()  # a new edit: what was taken back cannot be redone
        return self._send(Waiting(edit))

    def is_waiting(self, edit: Edit) -> bool:
        return any(entry.edit is edit for entry in self.pending)

    def _send(self, entry: Waiting) -> bool:
        reason = self.guard(entry.edit) if self.guard is not None else None
        if reason is not None:
            self.refused(reason)
            return False
        if self.pending:  # behind the edits already waiting, never before them
            self._wait(entry)
            return False
        try:
            self.pending.resolve(self.project, entry.edit)
            entry.edit.apply(self.project)
        except (MarginaliaError, sqlite3.OperationalError) as exc:
            if isinstance(exc, MarginaliaError) and not server_gone(exc):
                self.refused(str(exc))
                return False
            if not server_gone(exc):
                raise
            was_away, self.server_away = self.server_away, True
            entry.history_id = getattr(exc, "history_id", None)
            if not was_away:
                self.server_lost.emit(str(exc))
            self._wait(entry)  # after: where both show in one place, the count stays
            return False
        self.server_away = False
        self._saved(entry)
        return True

    def _wait(self, entry: Waiting) -> None:
        self.pending.add(entry)
        self._older_redo = self.stack.count() - self.stack.index()
        self._changed()

    def _changed(self) -> None:
        self.waiting_changed.emit(self.pending.edits)
        self._update_actions()

    def _saved(self, entry: Waiting) -> None:
        self.pending.confirmed(entry)
        self.stack.push(EditCommand(entry.edit, self))  # which drops every redo step
        self._older_redo = 0
        self.last_step = "saved"
        self.stored(entry.edit)

    def retry(self) -> bool:
        """Apply the waiting edits in order; True when none is left waiting. An edit the
        project now refuses (another client deleted its row) is dropped, and all such are
        reported together in one line."""
        refusals: list[str] = []
        self.retrying = True
        try:
            while self.pending:
                entry = self.pending.first()
                try:
                    if not self._already_committed(entry):
                        self.pending.resolve(self.project, entry.edit)
                        entry.edit.apply(self.project)
                except (MarginaliaError, sqlite3.OperationalError) as exc:
                    # a read outside the edit's transaction (the look-up of a COMMIT cut off,
                    # a suggestion's copy) fails with sqlite3's class when no server answers
                    if server_gone(exc) or isinstance(exc, sqlite3.OperationalError):
                        if getattr(exc, "history_id", None) is not None:
                            entry.history_id = exc.history_id  # type: ignore[union-attr]
                        self.server_away = True
                        self._changed()
                        return False
                    self.pending.drop_first()
                    refusals.append(f"{entry.edit.description} ({exc})")
                    continue
                self.server_away = False
                self._saved(entry)
            self.server_away = False
            self._changed()
            return True
        finally:
            self.retrying = False
            if refusals:
                count = len(refusals)
                self.refused(f"{count} edit{'s' * (count != 1)} refused when sent again, "
                             f"not saved: {'; '.join(refusals)}")

    def drop_waiting(self) -> list[Edit]:
        """Give up the waiting edits (they may no longer be made); returns them."""
        dropped = self.pending.clear()
        self._taken_back.clear()
        self._changed()
        return dropped

    def _already_committed(self, entry: Waiting) -> bool:
        history_id, entry.history_id = entry.history_id, None
        if history_id is None:
            return False
        from gui.core.postgres import committed

        try:
            return committed(self.project, history_id)
        except sqlite3.OperationalError:
            entry.history_id = history_id
            raise

    # ---- undo and redo --------------------------------------------------------------------

    def undo(self) -> None:
        """Take back the last waiting edit, or undo the last saved one (not while the server
        is away: that would need it)."""
        if self.pending:
            last = list(self.pending)[-1]
            if last.history_id is not None:  # its COMMIT was cut off: it may be stored
                self.refused(f"Cannot undo {last.edit.description} until the server says "
                             f"whether it was saved; {AWAY}")
                return
            self._taken_back.append(self.pending.take_back())
            self._changed()
            return
        if self.server_away:
            self.refused(f"Cannot undo while {AWAY}")
            return
        self.stack.undo()

    def redo(self) -> None:
        """Redo the step undone last: a saved edit the stack undid since the waiting edits
        were taken back, else the last edit taken back (queued again, or saved at once)."""
        newer_on_stack = self.stack.count() - self.stack.index() > self._older_redo
        if self._taken_back and not newer_on_stack:
            self._send(self._taken_back.pop())
            self._update_actions()
            return
        if self.stack.canRedo() and (self.pending or self.server_away):
            self.refused(f"Cannot redo while {AWAY}")
            return
        self.stack.redo()

    def bind_actions(self, undo: QAction, redo: QAction) -> None:
        """Keep the Undo and Redo actions enabled when they do something: a step of the stack,
        or a waiting edit to take back (and one taken back to queue again). The actions call
        ``undo`` and ``redo`` here, not the stack's own."""
        self._actions = (undo, redo)
        # the flag the stack sends, not asked of it: it also sends them as it is destroyed
        self.stack.canUndoChanged.connect(lambda can: undo.setEnabled(can or bool(self.pending)))
        self.stack.canRedoChanged.connect(
            lambda can: redo.setEnabled(can or bool(self._taken_back)))
        self._update_actions()

    def _update_actions(self) -> None:
        if self._actions is not None:
            undo, redo = self._actions
            undo.setEnabled(self.stack.canUndo() or bool(self.pending))
            redo.setEnabled(self.stack.canRedo() or bool(self._taken_back))

    def run(self, command: EditCommand, step: Callable[[Project], None], verb: str) -> None:
        try:
            step(self.project)
        except MarginaliaError as exc:
            if server_gone(exc):
                # the server went away under this undo or redo: nothing changed, so the
                # stack goes back to where it was once it has taken its step
                self.server_away = True
                self._settle(self.stack.index())
                self.refused(f"Cannot {verb} {command.text()}: {exc}")
                return
            command.setObsolete(True)
            self.refused(f"{command.text()}: {exc}")
            return
        self.last_step = f"{verb}ne"  # undone, redone
        self.stored(command.edit)

    def _settle(self, index: int) -> None:
        def back() -> None:
            self.settling = True
            try:
                self.stack.setIndex(index)
            finally:
                self.settling = False

        QTimer.singleShot(0, back)


def saved_message(edit: Edit, step: str) -> str:
    """The status bar's line after an edit is stored: "Undone: Add ORG" after Ctrl+Z, where it
    used to say "Saved: Add ORG", as if the entity had been added again."""
    return f"{step.capitalize()}: {edit.description}"
