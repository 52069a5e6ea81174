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

On a server, switching and removing tell every open window at commit (trained_versions.py,
``announce``), and a pre-fill loads the version under a lease, so no tidy of this user's
cache deletes the folder while spaCy reads it (trained_cache.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gui.core.errors import ProjectError
from gui.core.store import Project
from gui.core.trained_cache import Lease
from gui.core.trained_versions import (
    LAST_SETTING,
    SETTING,
    FolderShelf,
    ModelError,
    ServerShelf,
    Shelf,
    named_version,
    shelf,
)

OWNER_ONLY = "only the project's owner stores, switches and removes trained versions on a server"

__all__ = [
    "LAST_SETTING",
    "SETTING",
    "ModelError",
    "announce",
    "check_may_store",
    "current_dir",
    "current_version",
    "lease_in_use",
    "may_store",
    "next_version",
    "remove_version",
    "shelf",
    "tidy_cache",
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
    None when the project uses none. On a server the version is recorded as this project's
    in this user's cache first, so no other project's tidy takes it (trained_cache.py)."""
    where = shelf(project)
    if not isinstance(where, ServerShelf):
        folder = current_dir(project)
        return None if folder is None else Lease(folder)  # nothing tidies a file's
    where.tidy()
    return where.hold(version) if (version := _server_version(project)) is not None else None


def announce(project: Project) -> None:
    """Tell every window open on a server project that what the version in use says changed
    (its "most to gain first" scores, stored after the switch): they read it again."""
    where = shelf(project)
    if isinstance(where, ServerShelf):
        with project.transaction():
            where.announce()


def tidy_cache(project: Project) -> list[str]:
    """This user's cached copies of server versions no project names any more, deleted (see
    trained_cache.py); nothing for a file, whose versions are its own folder. A cache that
    cannot be written is left as it is: the next tidy tries again."""
    where = shelf(project)
    if not isinstance(where, ServerShelf):
        return []
    try:
        return where.tidy()
    except OSError:
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


def remove_version(project: Project, version: int | None = None) -> int | None:
    """Delete a version (default: the one in use). Returns the version in use afterwards."""
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
    tidy_cache(project)
    return in_use


def _location(project: Project, where: Shelf) -> Path | str:
    return where.folder if isinstance(where, FolderShelf) else project.path
