"""Where a project's trained versions live: a folder beside a project file, rows on a server.

A trained version is spaCy's own folder (``to_disk``), loaded with ``spacy.load``; nothing is
ever unpickled. Where the folder is kept depends on where the project is, and this module is
the one seam that chooses (``shelf``):

- **A project file** keeps ``NAME.models/vN/`` beside it: a folder anyone can look at, copy or
  delete with ordinary tools, and the project names the version in use by its path relative
  to the project file (``NAME.models/v3``). Readers hold a version's folder with a shared
  lease (folder_lease.py) and a removal deletes it only once none does (``FolderShelf``).
- **A project on a server** has no folder every member shares, so each version's files are
  stored in the database (``trained_versions``, ``trained_version_files``: bytes per relative
  path, a content hash, the held-out figures, who stored it and when). Each client writes
  them out once into its own cache folder, ``$XDG_CACHE_HOME/marginalia/trained/<hash>``,
  and loads that: every member's pre-fill uses the version the project names (``v3``), and
  a version already seen costs nothing to load again. Only the project's owner stores,
  switches and removes versions (the server refuses anyone else: gui/core/team.py); everyone
  reads them.

The content hash is SHA-256 over each file's relative path and SHA-256, so a cache folder
named by it holds exactly those bytes; it is checked again when the files are written out.
Relative paths are checked too: bytes from a database never land outside their folder.

When the owner switches or removes a version (or training has stored the "most to gain
first" scores of the version it switched to), the same transaction sends a change notice
(``kind`` ``trained``, on gui/core/live.py's channel): PostgreSQL delivers it at commit, and
only if it commits, to every window listening, which then shows the new version, re-reads the
order that follows it, and tidies its cache. The notice is sent by the code that writes
the setting (``models.use_version``) and the rows (``ServerShelf.delete``), not by a trigger
on ``settings``, which would need a migration; what it says is only "read the version
again", so a stray one is harmless.

Each client's cache, and when a folder in it goes (gui/core/trained_cache.py): a folder
stays while a server project this user opens names its version (recorded per project, with
when it was last opened), and goes at the next tidy once none does: the version was removed
or switched away from, or its project was not opened for 30 days. A tidy runs when a window
opens a server project, when it hears the notice above, before each pre-fill or training
loads its version, and after a removal. A pre-fill holds a shared lock on the folder from
its write-out until spaCy has loaded it, and a tidy skips a folder it cannot lock at once,
so no deletion ever pulls a folder from under a load; the next tidy takes it.

A version being built (``building``: ``vN.building`` beside a file, a dot-named folder in the
cache for a server) is held with the exclusive lock by the process building it, from the
moment the folder is made until it is renamed into place or given up; a tidy deletes those
it can lock, whose builder crashed or was killed, and never one still being built. A file's
crashed build gave its number out (the folder held it), so the tidy records that number as
issued (``LAST_SETTING``) before deleting it: numbers are never given twice. On a server a
number is issued only with the version's rows, in one transaction, so a crashed build never
had one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from gui.core.errors import MarginaliaError
from gui.core.folder_lease import (
    Lease,
    claim,
    claim_new,
    is_trash,
    lease,
    remove_unless_read,
)
from gui.core.live import CHANNEL
from gui.core.trained_cache import cache_folder, tidy

if TYPE_CHECKING:
    from gui.core.store import Project

INFO_FILE = "training.json"
SETTING = "trained_model"  # the version in use, as the shelf names it (reference)
LAST_SETTING = "trained_model_last"  # the highest version number ever issued
REMOVED_SETTING = "trained_model_removed"  # a file's removed versions a reader may still hold
HOLD_TRIES = 3  # tries to hold a version a concurrent tidy or removal keeps taking away
BUILDING = ".building"  # a file's version being built: ``vN.building``


class ModelError(MarginaliaError):
    """A trained version that does not exist or cannot be read."""


class NumberTaken(ModelError):
    """A version number another process is building now (or a crashed build left)."""


def _number(name: str) -> int | None:
    """``v3`` (or ``v3.building``) as 3."""
    digits = name[1:].split(".")[0]
    return int(digits) if name.startswith("v") and digits.isdigit() else None


def named_version(reference: str | None) -> int | None:
    """The number in a ``trained_model`` setting (``study.models/v3`` or ``v3``)."""
    name = PurePosixPath(reference).name if reference else ""
    return int(name[1:]) if name[1:].isdigit() and name.startswith("v") else None


def files_of(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, file) of every file under ``folder``, in a fixed order."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        yield path.relative_to(folder).as_posix(), path


def content_hash(files: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 over each (path, SHA-256 of its bytes), in path order."""
    digest = hashlib.sha256()
    for path, data in sorted(files):
        digest.update(f"{path}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if not path or relative.is_absolute() or "\\" in path or \
            any(part in ("", ".", "..") for part in path.split("/")):
        raise ModelError(f"holds a trained version's file with a bad path {path!r}")
    return relative


class FolderShelf:
    """The versions of a project file: ``NAME.models/vN`` beside it.

    Removing a version never pulls its folder from under a reader (another window's pre-fill,
    a ``marginalia prefill`` run, training measuring the version in use), who holds it with
    a shared lease from before ``spacy.load`` until loaded (folder_lease.py). ``delete``
    only marks the version removed, in the project's setting ``trained_model_removed``
    and in the caller's transaction (which also switches away from it): from that commit no
    reader picks it, and it is no longer listed. ``tidy``, right after, deletes the folder
    unless someone holds it. Then it is not waited for: the window must not freeze and the
    command need not hang on another's load; the last reader deletes it when it lets go
    (its lease's release), a few seconds later. A reader that crashed holds nothing (the
    kernel drops its lock), so the next tidy takes the folder: a window opening the file,
    every pre-fill or training before it loads, every removal. A crash of the removal
    itself leaves the mark (the same tidy finishes) or a dot-named ``.vN.removing-…``
    folder (deleted by the next tidy at once: nobody reads that name). A mark whose folder
    is gone is dropped by a tidy; numbers are never reused either way (``LAST_SETTING``).

    A version is built in ``vN.building``, held exclusively by its training from the moment
    it is made until renamed into place (``building``, ``keep``). The same tidy deletes a
    build no one holds (its training was killed), and only after recording its number as
    issued; one still running, in this process or another, is never touched.
    """

    def __init__(self, folder: Path, project: Project | None = None):
        self.folder = folder
        self.project = project  # where removals are marked; None for a copy's new folder

    @classmethod
    def beside(cls, project_path: Path, project: Project | None = None) -> FolderShelf:
        return cls(project_path.parent / f"{project_path.stem}.models", project)

    def describe(self, version: int) -> str:
        return str(self.version_dir(version))

    def version_dir(self, version: int) -> Path:
        return self.folder / f"v{version}"

    def removed(self) -> set[int]:
        """Versions marked removed whose folder may still be there, held by a reader."""
        marked = self.project.setting(REMOVED_SETTING) if self.project is not None else None
        return {n for n in marked or () if isinstance(n, int)}

    def numbers(self) -> list[int]:
        """Complete versions (a folder with its training.json), not removed, oldest first."""
        if not self.folder.is_dir():
            return []
        removed = self.removed()
        return sorted(n for child in self.folder.iterdir()
                      if (n := _number(child.name)) is not None and "." not in child.name
                      and n not in removed and (child / INFO_FILE).exists())

    def issued(self) -> list[int]:
        """Every number in use, half-built and removed versions included."""
        if not self.folder.is_dir():
            return []
        return [n for child in self.folder.iterdir() if (n := _number(child.name)) is not None]

    def reference(self, version: int) -> str:
        """What the project's setting holds: the folder relative to the project file."""
        return f"{self.folder.name}/v{version}"

    def info(self, version: int) -> dict[str, Any]:
        return read_info(self.version_dir(version))

    def materialise(self, version: int) -> Path:
        return self.version_dir(version)

    def hold(self, version: int) -> Lease:
        """A version's folder for reading, under a shared lease: no removal deletes it until
        released. A version removed meanwhile is refused."""
        held = self._lease(self.version_dir(version), version)
        if held is None:
            raise ModelError(f"has no trained version v{version}", path=self.folder)
        return held

    def hold_named(self, reference: str) -> Lease | None:
        """The folder a ``trained_model`` setting names, held; None when the version was
        removed between reading the setting and taking the lease (the caller reads the
        setting again: it names the version switched to). A folder the setting still names
        but that is not there is refused."""
        path = Path(reference)
        folder = path if path.is_absolute() else self.folder.parent / path
        version = named_version(reference) if folder.parent == self.folder else None
        held = self._lease(folder, version)
        if held is None and self.project is not None and \
                self.project.setting(SETTING) == reference:
            raise ModelError(f"names trained version {reference!r}, whose folder is missing",
                             path=folder)
        return held

    def _lease(self, folder: Path, version: int | None) -> Lease | None:
        """``folder`` held, its release deleting it if it was removed meanwhile; None if it is
        gone or marked removed (checked once held, so no removal slips between)."""
        held = lease(folder, then=None if version is None else lambda: self._let_go(version))
        if held is not None and version in self.removed():
            held.release()
            return None
        return held

    def _let_go(self, version: int) -> None:
        """A reader's release: the folder goes if its version was removed while read and no
        other reader holds it. Best effort (the project may be closed, the folder not ours to
        delete): the next tidy does it otherwise."""
        with contextlib.suppress(MarginaliaError, sqlite3.Error, OSError):
            if version in self.removed():
                remove_unless_read(self.version_dir(version))

    def building(self, version: int) -> contextlib.AbstractContextManager[Path]:
        """A new folder ``vN.building`` to build ``version`` in (renamed into place by
        ``keep``), held for the ``with`` block and deleted unless kept by then. NumberTaken
        when that folder exists: another process builds the version (never deleted under it),
        or a crashed build left it (the next tidy deletes it; the number stays issued)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        held = claim(self.folder / f"v{version}{BUILDING}")
        if held is None:
            raise NumberTaken(f"is already building version v{version}", path=self.folder)
        return _built(held)

    def keep(self, version: int, building: Path) -> Path:
        final = self.version_dir(version)
        os.replace(building, final)
        return final

    def delete(self, version: int) -> None:
        """Marked removed in the caller's transaction; its folder goes at ``tidy``, after the
        commit (a rollback then leaves the version whole)."""
        if self.project is None:
            raise ModelError("has no project to mark a removal in", path=self.folder)
        with self.project.transaction():
            self.project.set_setting(REMOVED_SETTING, sorted(self.removed() | {version}))

    def tidy(self) -> list[str]:
        """Delete the folders of removed versions no one holds, what a crashed removal left
        and the builds of crashed trainings; drop the marks of folders gone. Returns the
        names of the folders that went."""
        if not self.folder.is_dir():
            return []
        gone = [f"v{v}" for v in sorted(self.removed())
                if remove_unless_read(self.version_dir(v))]
        for child in sorted(self.folder.iterdir()):
            if is_trash(child.name):
                shutil.rmtree(child, ignore_errors=True)
            elif self._crashed_build(child):
                gone.append(child.name)
        if self.project is not None and not self.project.readonly and any(
                not self.version_dir(v).exists() for v in self.removed()):
            with self.project.transaction():  # read again within: a removal may just have marked
                left = sorted(v for v in self.removed() if self.version_dir(v).exists())
                self.project.set_setting(REMOVED_SETTING, left or None)
        return gone

    def _crashed_build(self, child: Path) -> bool:
        """Delete ``vN.building`` unless its training still holds it, its number recorded
        as issued first, under the lock (so no training takes the number between). Left
        where the number cannot be recorded: no project, or one opened read-only."""
        version = _number(child.name)
        project = self.project
        if version is None or child.name != f"v{version}{BUILDING}" or project is None or \
                project.readonly:
            return False
        return remove_unless_read(child, before=lambda: record_issued(project, version))


class ServerShelf:
    """The versions of a project on a server: rows in its database, written out per client."""

    def __init__(self, project: Project):
        self.project = project

    def describe(self, version: int) -> str:
        return f"stored on {self.project.path}"

    def numbers(self) -> list[int]:
        return [r[0] for r in self.project.conn.execute(
            "SELECT version FROM trained_versions ORDER BY version")]

    issued = numbers

    def reference(self, version: int) -> str:
        return f"v{version}"

    def may_store(self) -> bool:
        """Whether this person may store versions (the owner); the server decides either way."""
        row = self.project.conn.execute(
            "SELECT has_table_privilege('trained_versions', 'INSERT')").fetchone()
        return bool(row and row[0])

    def info(self, version: int) -> dict[str, Any]:
        row = self.project.conn.execute(
            "SELECT data FROM trained_version_files WHERE version = ? AND path = ?",
            (version, INFO_FILE)).fetchone()
        if row is None:
            raise ModelError(f"has no trained version v{version}", path=self.project.path)
        return json.loads(bytes(row[0]).decode("utf-8"))

    def materialise(self, version: int) -> Path:
        """The version's folder in this user's cache, written out from the database the first
        time (under a temporary name, checked against the content hash, then renamed)."""
        row = self.project.conn.execute(
            "SELECT content_hash FROM trained_versions WHERE version = ?", (version,)).fetchone()
        if row is None:
            raise ModelError(f"has no trained version v{version}", path=self.project.path)
        (expected,) = row
        final = cache_folder() / expected
        if final.is_dir():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        # held while written (a tidy leaves it), deleted unless renamed into place
        with _built(claim_new(final.parent, f".{expected[:12]}.")) as tmp:
            stored: list[tuple[str, bytes]] = []
            for path, data in self.project.conn.execute(
                    "SELECT path, data FROM trained_version_files WHERE version = ?",
                    (version,)):
                data = bytes(data)
                target = tmp.joinpath(*_safe_relative(path).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                stored.append((path, data))
            if content_hash(stored) != expected:
                raise ModelError(f"holds trained version v{version} whose files do not match "
                                 "their content hash", path=self.project.path)
            try:
                os.replace(tmp, final)
            except OSError:  # another client wrote the same version out first
                if not final.is_dir():
                    raise
        return final

    def hold(self, version: int) -> Lease:
        """The version's cached folder, written out if needed and held for reading (a
        shared lock: no tidy deletes it until released); one a tidy removed between the
        write-out and the lock is written out again."""
        for _ in range(HOLD_TRIES):
            folder = self.materialise(version)
            if (held := lease(folder)) is not None:
                return held
        raise ModelError(f"could not hold trained version v{version} in {folder}: it keeps "
                         "being removed", path=self.project.path)

    def building(self, version: int) -> contextlib.AbstractContextManager[Path]:
        """A new folder in this user's cache to build ``version`` in, held for the ``with``
        block (no tidy deletes it meanwhile) and deleted unless kept by then."""
        cache_folder().mkdir(parents=True, exist_ok=True)
        return _built(claim_new(cache_folder(), f".building-v{version}."))

    def keep(self, version: int, building: Path) -> Path:
        """Store the built folder's files as ``version`` in one transaction; the folder then
        becomes this client's cached copy of it."""
        files = [(path, file.read_bytes()) for path, file in files_of(building)]
        digest = content_hash(files)
        info = read_info(building)
        from gui.core.store import now

        with self.project.transaction() as conn:
            by = conn.execute("SELECT current_user").fetchone()[0]
            conn.execute(
                "INSERT INTO trained_versions(version, content_hash, metrics, created_by, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (version, digest, json.dumps(info.get("figures", {}), ensure_ascii=False), by,
                 info.get("created_at") or now()))
            conn.executemany(
                "INSERT INTO trained_version_files(version, path, data) VALUES (?, ?, ?)",
                [(version, path, data) for path, data in files])
        final = cache_folder() / digest
        if final.is_dir():
            shutil.rmtree(building)
            return final
        os.replace(building, final)
        return final

    def delete(self, version: int) -> None:
        """The rows go; each client's cached copy goes at its next tidy (trained_cache.py)."""
        with self.project.transaction() as conn:
            conn.execute("DELETE FROM trained_versions WHERE version = ?", (version,))
            self.announce()

    def announce(self) -> None:
        """Tell every listening window, when the transaction commits, that the versions or
        the one in use changed (identical notices of one transaction arrive as one)."""
        self.project.conn.execute(
            f"SELECT pg_notify('{CHANNEL}', json_build_object("
            "'kind', 'trained', 'by', current_user)::text)")

    def named_hash(self) -> str | None:
        """The content hash of the version the project names; None without one."""
        version = named_version(self.project.setting(SETTING))
        row = None if version is None else self.project.conn.execute(
            "SELECT content_hash FROM trained_versions WHERE version = ?", (version,)).fetchone()
        return row[0] if row else None

    def tidy(self) -> list[str]:
        """Record the version this project names in this user's cache, and delete the
        cached folders no project names any more (trained_cache.py)."""
        return tidy(str(self.project.path), self.named_hash())


Shelf = FolderShelf | ServerShelf


def shelf(project: Project) -> Shelf:
    """The one place that decides where ``project``'s versions live."""
    if project.dialect.name == "postgresql":
        return ServerShelf(project)
    return FolderShelf.beside(project.path, project)


@contextlib.contextmanager
def _built(held: Lease) -> Iterator[Path]:
    """A folder being written, held (the exclusive lock) until the block ends, by which time
    it has been moved into place (a build's ``keep``, a write-out's rename); what the block did
    not move (it failed, was cancelled) is deleted, still held."""
    with held:
        try:
            yield held.folder
        finally:
            shutil.rmtree(held.folder, ignore_errors=True)


def record_issued(project: Project, version: int) -> None:
    """``version`` given out: the highest number ever issued is never lowered, whichever of
    two trainings finishes first, so no number is given twice. Its own transaction, or the
    caller's."""
    with project.transaction():
        if version > int(project.setting(LAST_SETTING, 0) or 0):
            project.set_setting(LAST_SETTING, version)


def read_info(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"is not a trained version ({exc})", path=folder) from None


def copy_versions(source: Shelf, dest: Shelf) -> list[int]:
    """Every version of ``source`` into ``dest`` under its own number; the numbers copied."""
    copied = source.numbers()
    for version in copied:
        with dest.building(version) as building:
            with source.hold(version) as held:
                shutil.copytree(held.folder, building, dirs_exist_ok=True)
            dest.keep(version, building)
    return copied


def carry_versions(source: Project, dest: Project, where: Shelf) -> int:
    """``copy``'s part: every version of ``source`` into ``where`` (``dest``'s shelf), the
    version in use named as ``dest`` names it, and the "most to gain first" scores of the
    documents ``dest`` holds, which belong to that version. Returns how many versions."""
    copied = copy_versions(shelf(source), where)
    if not copied:
        return 0
    dest.set_setting(LAST_SETTING, source.setting(LAST_SETTING))
    in_use = named_version(source.setting(SETTING))
    if in_use is not None:
        dest.set_setting(SETTING, where.reference(in_use))
        old, new = (p.conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,))
                    .fetchone()[0] for p in (source, dest))
        held = {r[0] for r in dest.conn.execute("SELECT id FROM documents")}
        dest.conn.executemany(
            "INSERT INTO document_scores(document_id, model, score, computed_at) "
            "VALUES (?, ?, ?, ?)",
            [(doc_id, new, score, at) for doc_id, score, at in source.conn.execute(
                "SELECT document_id, score, computed_at FROM document_scores WHERE model = ?",
                (old,)) if doc_id in held])
    return len(copied)
