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
    """A folder held for reading: a shared lock on it (``fd``), so no deleter takes it while
    held. Released by ``release`` (or leaving a ``with`` block), which then runs ``then``
    once: a project file's removed version is deleted by its last reader (trained_versions.py).
    A lease collected unreleased (a failed load drops it) only lets go of its lock."""

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
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # a deleter holds its exclusive lock only to rename
        held, now_there = os.fstat(fd), os.stat(folder)
    except FileNotFoundError:
        os.close(fd)
        return None
    if (held.st_dev, held.st_ino) != (now_there.st_dev, now_there.st_ino):
        os.close(fd)
        return None
    return Lease(folder, fd, then)


def remove_unless_read(folder: Path) -> bool:
    """Delete ``folder`` if no lease holds it: renamed under the exclusive lock, then removed.
    False when a reader holds it (or it is already gone)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
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
