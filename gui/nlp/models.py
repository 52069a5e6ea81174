"""Trained pipelines of a project: which versions there are, which one is in use, removing one.

Each version holds:

- ``pipeline/``  the installed English pipeline with its entity recognizer fine-tuned;
- ``stance/``    the stance classifier (a spaCy pipeline of text classifiers);
- ``holder.json`` the holder scorer's weights;
- ``training.json`` what it was trained from, when, and its figures on the held-out split.

Where versions are kept (a folder beside a project file, the database of a project on a
server, written out into each client's cache) is gui/core/trained_versions.py's to decide;
this module speaks of version numbers. The project names the version in use in its setting
``trained_model`` (for a file, the folder relative to the project file; on a server, ``vN``).
Removing that version falls back to the newest older one, or to the rules.

A pre-fill loads the version under a lease (gui/core/folder_lease.py), so no removal pulls
the folder from under spaCy: a file's removed version is unlisted at once and its folder goes
when the last reader lets go (``Removal.waiting`` says when that is not yet), and no tidy of
this user's cache deletes a server version's copy while it is read (trained_cache.py). On a
server, switching and removing tell every open window at commit (trained_versions.py,
``announce``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gui.core.errors import ProjectError
from gui.core.folder_lease import Lease
from gui.core.store import Project
from gui.core.trained_versions import (
    HOLD_TRIES,
    LAST_SETTING,
    SETTING,
    FolderShelf,
    ModelError,
    NumberTaken,
    ServerShelf,
    Shelf,
    named_version,
    record_issued,
    shelf,
)
from gui.nlp.starter import untrained

OWNER_ONLY = "only the project's owner stores, switches and removes trained versions on a server"

__all__ = [
    "LAST_SETTING",
    "SETTING",
    "ModelError",
    "Removal",
    "announce",
    "check_may_store",
    "current_dir",
    "current_version",
    "lease_in_use",
    "may_store",
    "new_build",
    "next_version",
    "record_issued",
    "remove_version",
    "shelf",
    "tidy_versions",
    "training_info",
    "use_version",
    "versions",
]


def versions(project: Project) -> list[int]:
    """Complete versions, oldest first."""
    return shelf(project).numbers()


def next_version(project: Project) -> int:
    """One above every version ever made here, so a removed number is never reused (the
    pre-fill of documents stays traceable to the version that made it)."""
    return max(*shelf(project).issued(), int(project.setting(LAST_SETTING, 0) or 0), 0) + 1


def new_build(project: Project) -> tuple[int, contextlib.AbstractContextManager[Path]]:
    """The next version's number and its folder to build it in (``with``: held until the block
    ends, deleted unless kept by then; gui/core/trained_versions.py). A number another
    training took meanwhile (two windows, a window and ``marginalia train``) is passed over."""
    where = shelf(project)
    for _ in range(HOLD_TRIES):
        version = next_version(project)
        with contextlib.suppress(NumberTaken):
            return version, where.building(version)
    raise ModelError("could not start a new version: its number keeps being taken by another "
                     "training", path=_location(project, where))


def current_version(project: Project) -> int | None:
    return named_version(project.setting(SETTING))


def current_dir(project: Project) -> Path | None:
    """The folder of the version in use, as ``spacy.load`` reads it (on a server, this
    client's cached copy, written out from the database the first time)."""
    value = project.setting(SETTING)
    if not value:
        return None
    where = shelf(project)
    if isinstance(where, ServerShelf):
        version = _server_version(project)
        return None if version is None else where.materialise(version)
    path = Path(value)
    return path if path.is_absolute() else project.path.parent / path


def _server_version(project: Project) -> int | None:
    """The number a server project's setting names; a setting that names none is refused."""
    value = project.setting(SETTING)
    version = named_version(value)
    if value and version is None:
        raise ModelError(f"names {value!r} as its trained version", path=project.path)
    return version


def lease_in_use(project: Project) -> Lease | None:
    """The folder of the version in use, held until the caller has loaded it (``release``);
    None when the project uses none. Leftovers are tidied first. On a server the version is
    recorded as this project's in this user's cache, so no other project's tidy takes it
    (trained_cache.py); in a file, a version removed just before the lease is taken is
    followed to the version the removal switched to."""
    where = shelf(project)
    tidy_versions(project)
    if isinstance(where, ServerShelf):
        version = _server_version(project)
        return None if version is None else where.hold(version)
    for _ in range(HOLD_TRIES):
        reference = project.setting(SETTING)
        if not reference:
            return None
        if (held := where.hold_named(reference)) is not None:
            return held
    raise ModelError("could not hold the trained version in use: it keeps being removed",
                     path=project.path)


def announce(project: Project) -> None:
    """Tell every window open on a server project that what the version in use says changed
    (its "most to gain first" scores, stored after the switch): they read it again."""
    where = shelf(project)
    if isinstance(where, ServerShelf):
        with project.transaction():
            where.announce()


def tidy_versions(project: Project) -> list[str]:
    """What no one needs any more, deleted: for a file, the folders of removed versions that
    no reader holds, a crashed removal's leftovers and a crashed training's build
    (trained_versions.py, ``FolderShelf``); on a server, this user's cached copies of
    versions no project names and what crashed writes left (trained_cache.py). Returns the
    folders' names. A folder or project that cannot be written now is left as it is: the
    next tidy tries again."""
    try:
        return shelf(project).tidy()
    except (OSError, ProjectError):  # ProjectError: a file another window is writing now
        return []


def training_info(project: Project, version: int) -> dict[str, Any]:
    """The version's training.json: its source, documents, thresholds and figures."""
    return shelf(project).info(version)


def may_store(project: Project) -> bool:
    """Whether this person may store, switch and remove versions: anyone on a file, the owner
    on a server (the server refuses anyone else; this lets the window and ``train`` say so
    before minutes of work rather than after)."""
    where = shelf(project)
    return not isinstance(where, ServerShelf) or where.may_store()


def check_may_store(project: Project) -> None:
    if not may_store(project):
        raise ProjectError(f"refused: {OWNER_ONLY}; nothing was changed", path=project.path)


def use_version(project: Project, version: int | None) -> None:
    """Make ``version`` the one pre-fill uses (None: the installed pipeline and the rules)."""
    where = shelf(project)
    if version is not None and version not in where.numbers():
        raise ModelError(f"has no trained version v{version}", path=_location(project, where))
    with project.transaction():  # on a server, the notice goes out when this commits
        project.set_setting(SETTING, None if version is None else where.reference(version))
        announce(project)


@dataclass(frozen=True)
class Removal:
    """What ``remove_version`` did: the version removed, the one in use afterwards (None: the
    installed pipeline and the rules), and the removed version's folder while a reader still
    holds it (it goes when they let go), else None."""

    version: int
    in_use: int | None
    waiting: Path | None = None
    # what pre-fill uses without a version (starter.untrained)
    untrained: str = "the installed pipeline and the rules"

    def summary(self) -> str:
        """One line for the command and the window."""
        now = f"v{self.in_use}" if self.in_use else self.untrained
        line = f"Removed v{self.version}; pre-fill now uses {now}."
        if self.waiting is not None:
            line += (f" v{self.version} is still being loaded by another window or command: "
                     f"its folder {self.waiting.parent.name}/{self.waiting.name} goes as soon "
                     "as that load ends.")
        return line


def remove_version(project: Project, version: int | None = None) -> Removal:
    """Remove a version (default: the one in use), switching to the newest older one if it
    was in use, in one transaction: from then on nothing lists, uses or loads it. Its files
    go at once unless a reader holds them (a file's folder; FolderShelf says when then)."""
    where = shelf(project)
    chosen = version if version is not None else current_version(project)
    if chosen is None or chosen not in where.numbers():
        raise ModelError("no such trained version to remove" if chosen is not None
                         else "no trained version is in use", path=_location(project, where))
    check_may_store(project)
    in_use = current_version(project)
    with project.transaction():  # on a server the switch and the rows go together
        if chosen == in_use:
            older = [v for v in where.numbers() if v < chosen]
            use_version(project, older[-1] if older else None)
            in_use = older[-1] if older else None
        where.delete(chosen)
    tidy_versions(project)
    left = isinstance(where, FolderShelf) and where.version_dir(chosen).exists()
    return Removal(chosen, in_use, where.version_dir(chosen) if left else None,
                   untrained(project, "the installed pipeline and the rules"))


def _location(project: Project, where: Shelf) -> Path | str:
    return where.folder if isinstance(where, FolderShelf) else project.path
