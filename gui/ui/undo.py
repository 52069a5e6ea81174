"""The bridge between gui.core.edits commands and one QUndoStack.

An edit is applied (one SQLite transaction) *before* it is pushed: if the store refuses it,
nothing lands on the stack and the window says why. Undo and redo call the command's own
``revert``/``apply``; a refusal there (say another window deleted the row) is reported and the
command is dropped from the stack rather than leaving the stack out of step with the file.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from gui.core.edits import Edit
from gui.core.errors import MarginaliaError
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
    ):
        self.project = project
        self.stack = stack
        self.stored = stored
        self.refused = refused
        self.guard = guard  # why an edit may not be made now (another holds the gold), or None

    def push(self, edit: Edit) -> bool:
        reason = self.guard(edit) if self.guard is not None else None
        if reason is not None:
            self.refused(reason)
            return False
        try:
            edit.apply(self.project)
        except MarginaliaError as exc:
            self.refused(str(exc))
            return False
        self.stack.push(EditCommand(edit, self))
        self.stored(edit)
        return True

    def run(self, command: EditCommand, step: Callable[[Project], None]) -> None:
        try:
            step(self.project)
        except MarginaliaError as exc:
            command.setObsolete(True)
            self.refused(f"{command.text()}: {exc}")
            return
        self.stored(command.edit)
