"""This user's cache of server projects' trained versions: what is kept, and when the rest goes.

A project on a server keeps its trained versions in its database; each client writes the one
in use out into ``$XDG_CACHE_HOME/marginalia/trained/<content hash>/`` and loads that folder
(trained_versions.py). A folder there is only a copy, written again whenever it is needed, so
the cache keeps what the projects this user opens name, and lets the rest go:

- **Named folders stay.** ``trained-named.json`` beside ``trained/`` records, for each
  server project this user opens (its address as shown, passwords blanked), the content hash
  of the version it names and when it was last seen. ``tidy`` records one project's answer
  and deletes every hash-named folder that no recorded project names: a removed version, one
  switched away from, one stored by training but never used. A folder another project still
  names stays, whichever project's tidy runs.
- **When.** A tidy runs when a window opens a server project, when it hears that the
  project's version changed (its LISTEN connection, gui/core/live.py), before every pre-fill
  or training on a server loads its version, and after a version is removed. Nothing runs in
  the background and nothing polls.
- **Never under a reader.** A pre-fill reads the folder while holding a shared ``flock`` on
  it (folder_lease.py's ``lease``), from before ``spacy.load`` until the pipeline is in
  memory. A tidy deletes with ``remove_unless_read``: a folder it cannot lock at once is left
  for a later tidy, and a reader that opened the folder just before it was renamed away
  finds it gone once it holds its lock, and writes the version out again instead of loading
  half of it.
- **Forgotten projects.** A project not opened for ``FORGET_AFTER`` seconds (30 days) no
  longer keeps its version's folder: a server the user no longer works on does not hold
  disk space forever. Opening it again writes the version out again (a second or so).
- **Leftovers.** Dot-named folders are writes in progress: a version being written out or
  trained, or a removal's renamed folder. A write holds its folder with the exclusive lock
  from the moment it makes it until it renames it into place (folder_lease.py's ``claim``),
  so a tidy deletes every one it can lock, at once: its process crashed or was killed. One
  still being written, by another window or command of this user, however long it takes,
  is never touched. A removal's renamed folder goes at once: nobody reads that name.

A project file keeps its versions in a folder beside it; nothing here touches that (its
removed versions go by the same lease, trained_versions.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from gui.core.folder_lease import is_trash, remove_unless_read
from gui.core.location import cache_home, read_memory, write_memory

FORGET_AFTER = 30 * 24 * 3600
_HASH_NAME = re.compile(r"[0-9a-f]{64}")


def cache_folder() -> Path:
    """This user's written-out versions of server projects, one folder per content hash."""
    return cache_home() / "trained"


def _registry() -> Path:
    """Beside the folders, not among them: ``trained/`` holds only versions."""
    return cache_home() / "trained-named.json"


@contextlib.contextmanager
def _registry_locked() -> Iterator[dict[str, dict]]:
    """The record of which project names which hash, read and written under a lock of its
    own, so two tidies (two windows, a window and a command) take turns."""
    cache_folder().mkdir(parents=True, exist_ok=True)
    fd = os.open(cache_home() / ".trained-named.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        memory = read_memory(_registry())
        yield memory
        write_memory(_registry(), memory)
    finally:
        os.close(fd)


def tidy(project: str, named: str | None, *, now: float | None = None) -> list[str]:
    """Record that ``project`` names the version with content hash ``named`` (None: no
    version), then delete the cached folders no recorded project names, and the leftovers
    of crashed writes. Returns the names deleted (hashes, then leftovers)."""
    now = time.time() if now is None else now
    removed: list[str] = []
    leftovers: list[str] = []
    with _registry_locked() as memory:
        memory[project] = {"named": named, "seen": now}
        for key in [k for k, entry in memory.items()
                    if not isinstance(entry, dict) or now - entry.get("seen", 0) > FORGET_AFTER]:
            del memory[key]
        kept = {entry.get("named") for entry in memory.values()}
        for child in cache_folder().iterdir():
            if not child.is_dir():
                continue
            if _HASH_NAME.fullmatch(child.name):
                if child.name not in kept and remove_unless_read(child):
                    removed.append(child.name)
            elif is_trash(child.name):
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith(".") and remove_unless_read(child):
                leftovers.append(child.name)  # unheld: its writer crashed or was killed
    return removed + leftovers
