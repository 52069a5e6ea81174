"""Errors the user sees as one line: where (file, line or record) and why.

Every failure that reaches the command line or a dialog is one of these, so a refusal is
always a sentence and never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class MarginaliaError(Exception):
    """A refusal with a place and a reason; ``str()`` is the line shown to the user."""

    def __init__(self, reason: str, *, path: str | Path | None = None, line: int | None = None):
        self.reason = reason
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        if self.path is None:
            return self.reason
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


class ProjectError(MarginaliaError):
    """The project file cannot be opened or written (not SQLite, too new, locked, read-only)."""


class SchemaError(MarginaliaError):
    """A schema file, or a label, target or polarity that the schema does not have."""


class InputError(MarginaliaError):
    """A file given to import cannot be read, or a record in it is invalid."""


class ServerUnavailable(ProjectError):
    """The server went away before the edit was committed: it was not saved, and may be tried
    again when the server is back. ``history_id`` names the history row the edit wrote when
    the connection broke during its COMMIT, whose fate is unknown until it can be looked up
    (gui/core/postgres.py, ``committed``)."""

    def __init__(self, reason: str, *, path: str | Path | None = None,
                 history_id: int | None = None):
        self.history_id = history_id
        super().__init__(reason, path=path)


def server_gone(exc: BaseException) -> bool:
    """Whether ``exc`` says the project's server went away (an edit's ``ServerUnavailable``,
    or a read's ``postgres.LostServer``): worth waiting for, not a refusal."""
    return isinstance(exc, ServerUnavailable) or getattr(exc, "server_gone", False) is True
