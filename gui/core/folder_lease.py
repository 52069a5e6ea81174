"""A folder that readers load file by file, deleted only once no reader holds it.

A trained version is a folder spaCy reads one file at a time: deleting it midway leaves a
reader with half a pipeline, or an error a user cannot act on. Two places keep such folders
and delete them: this user's cache of server projects' versions (trained_cache.py) and a
project file's own ``NAME.models/vN`` (trained_versions.py). Both use this one scheme, the
kernel's ``flock``, so it holds between processes (two windows, a window and a command) and
between threads of one process (each lease opens the folder anew, and flock locks belong to
the open file, not the process):

- **A reader** holds a shared lock on the folder (``lease``) from before it opens the first
  file until it has read the last. Locks are released when their file is closed, so a reader
  that crashes or is killed holds nothing.
- **A deleter** asks for the exclusive lock without waiting (``remove_unless_read``). A
  folder it cannot lock is someone's to read: it is left, and the caller says when it goes.
  Under the lock the folder is renamed to a dot-named ``….removing-…`` name and then
  deleted, so a reader that opened the folder just before finds, once it holds its lock,
  that the path is no longer that folder (``lease`` says None), and a crash midway leaves a
  name that is plainly trash (``is_trash``), never a half folder that looks whole.
- **A writer** building a folder (a training's new version, a version being written out of
  a server's database) makes it and holds it with the exclusive lock from the start
  (``claim``) until it is renamed into place or given up. No reader or deleter gets past it,
  so a tidy can delete every such folder it *can* lock: that writer crashed or was killed,
  and the folder would otherwise stay forever. Nothing is judged by age: a training that
  runs for hours, or a process stopped meanwhile, is never taken for a crash.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path

TRASH = ".removing"


class Lease:
    """A folder held: a lock on it (``fd``), shared for a reader, exclusive for the writer
    building it, so no deleter takes it while held. Released by ``release`` (or leaving a
    ``with`` block), which then runs ``then`` once: a project file's removed version is
    deleted by its last reader (trained_versions.py). A lease collected unreleased (a failed
    load drops it) only lets go of its lock."""

    def __init__(self, folder: Path, fd: int, then: Callable[[], None] | None = None):
        self.folder = folder
        self._closer = weakref.finalize(self, os.close, fd)
        self._then = then

    def release(self) -> None:
        self._closer()
        then, self._then = self._then, None
        if then is not None:
            then()

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def lease(folder: Path, then: Callable[[], None] | None = None) -> Lease | None:
    """Hold ``folder`` for reading; None when it was deleted or replaced meanwhile (the caller
    finds the folder again, or says it is gone)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return _locked(folder, fd, fcntl.LOCK_SH, then)  # a deleter locks only to rename


def _locked(folder: Path, fd: int, operation: int,
            then: Callable[[], None] | None = None) -> Lease | None:
    """``fd`` (``folder`` opened) locked and still the folder at that path, as a lease; None
    (and closed) when a deleter renamed it away first, or holds it (``LOCK_NB``)."""
    try:
        fcntl.flock(fd, operation)
        held, now_there = os.fstat(fd), os.stat(folder)
    except (FileNotFoundError, BlockingIOError):
        os.close(fd)
        return None
    if (held.st_dev, held.st_ino) != (now_there.st_dev, now_there.st_ino):
        os.close(fd)
        return None
    return Lease(folder, fd, then)


def claim(folder: Path, mode: int = 0o777) -> Lease | None:
    """Make ``folder`` and hold it for writing (the exclusive lock) until released; None
    when the name is taken: it exists (another writer's, or a crashed one's), or a tidy
    deleted it between the making and the lock, as it may any folder no one holds."""
    try:
        os.mkdir(folder, mode)
    except FileExistsError:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    return _locked(folder, fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def claim_new(parent: Path, prefix: str, tries: int = 3) -> Lease:
    """A new folder under ``parent`` named ``prefix`` and a random part, held for writing
    (``tempfile.mkdtemp``'s private folder, locked from the start)."""
    for _ in range(tries):
        if (held := claim(parent / f"{prefix}{uuid.uuid4().hex[:8]}", 0o700)) is not None:
            return held
    raise FileExistsError(f"{parent}: no new folder {prefix}… after {tries} tries")


def remove_unless_read(folder: Path, before: Callable[[], None] | None = None) -> bool:
    """Delete ``folder`` if no lease holds it: renamed under the exclusive lock, then removed.
    False when a reader or its writer holds it (or it is already gone). ``before`` runs
    under the lock, before anything is touched: if it raises, the folder stays."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if before is not None:
            before()
        trash = folder.with_name(f".{folder.name[:12]}{TRASH}-{uuid.uuid4().hex[:8]}")
        os.replace(folder, trash)
    finally:
        os.close(fd)
    shutil.rmtree(trash, ignore_errors=True)
    return True


def is_trash(name: str) -> bool:
    """A folder ``remove_unless_read`` renamed and a crash kept it from deleting: no reader
    can hold it (they lease the original name), so it may go at once."""
    return name.startswith(".") and TRASH in name
