"""Trained pipelines beside a project: ``NAME.models/v1``, ``v2``… and which one is in use.

Why folders beside the project, not blobs inside it: a trained pipeline is spaCy's own
folder, loaded with ``spacy.load`` (nothing is unpickled from the project file, which may come
from anyone), and a folder can be looked at, copied or deleted with ordinary tools. Each
version holds:

- ``pipeline/``  the installed English pipeline with its entity recognizer fine-tuned;
- ``stance/``    the stance classifier (a spaCy pipeline of text classifiers);
- ``holder.json`` the holder scorer's weights;
- ``training.json`` what it was trained from, when, and its figures on the held-out split.

The project names the version in use in its setting ``trained_model`` (a path relative to the
project file). Removing that version falls back to the newest older one, or to the rules.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from gui.core.errors import MarginaliaError
from gui.core.store import Project

SETTING = "trained_model"
LAST_SETTING = "trained_model_last"  # the highest version number ever issued


class ModelError(MarginaliaError):
    """A trained version that does not exist or cannot be read."""


def models_dir(project: Project) -> Path:
    """Trained versions live in a folder beside the project file. A project on a server has
    no such place that every member shares, so training there is refused in one line rather
    than writing a model only one person's machine would have."""
    if not isinstance(project.path, Path):
        raise ModelError("is a project on a server; training needs a project file for now: "
                         "copy it to a file ('marginalia copy'), train and pre-fill there, "
                         "and copy the result back", path=project.path)
    return project.path.parent / f"{project.path.stem}.models"


def version_dir(project: Project, version: int) -> Path:
    return models_dir(project) / f"v{version}"


def versions(project: Project) -> list[int]:
    """Complete versions (a folder with its training.json), oldest first."""
    folder = models_dir(project)
    if not folder.is_dir():
        return []
    found = []
    for child in folder.iterdir():
        name = child.name
        if name.startswith("v") and name[1:].isdigit() and (child / "training.json").exists():
            found.append(int(name[1:]))
    return sorted(found)


def next_version(project: Project) -> int:
    """One above every version ever made here, so a removed number is never reused (the
    pre-fill of documents stays traceable to the version that made it)."""
    folder = models_dir(project)
    numbers = [int(c.name[1:].split(".")[0]) for c in folder.iterdir()
               if c.name.startswith("v") and c.name[1:].split(".")[0].isdigit()] \
        if folder.is_dir() else []
    return max(*numbers, int(project.setting(LAST_SETTING, 0) or 0), 0) + 1


def current_dir(project: Project) -> Path | None:
    value = project.setting(SETTING)
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else project.path.parent / path


def current_version(project: Project) -> int | None:
    folder = current_dir(project)
    if folder is None or not folder.name[1:].isdigit():
        return None
    return int(folder.name[1:])


def training_info(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / "training.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"is not a trained version ({exc})", path=folder) from None


def use_version(project: Project, version: int | None) -> None:
    """Make ``version`` the one pre-fill uses (None: the installed pipeline and the rules)."""
    if version is None:
        project.set_setting(SETTING, None)
        return
    if version not in versions(project):
        raise ModelError(f"has no trained version v{version}", path=models_dir(project))
    project.set_setting(SETTING, f"{models_dir(project).name}/v{version}")


def remove_version(project: Project, version: int | None = None) -> int | None:
    """Delete a version (default: the one in use). Returns the version in use afterwards.

    The folder is renamed first, so a crash midway leaves no half version that looks whole.
    """
    chosen = version if version is not None else current_version(project)
    if chosen is None or chosen not in versions(project):
        raise ModelError("no such trained version to remove" if chosen is not None
                         else "no trained version is in use", path=models_dir(project))
    in_use = current_version(project)
    if chosen == in_use:
        older = [v for v in versions(project) if v < chosen]
        use_version(project, older[-1] if older else None)
        in_use = older[-1] if older else None
    doomed = version_dir(project, chosen)
    trash = doomed.with_name(f".{doomed.name}.removing")
    os.replace(doomed, trash)
    shutil.rmtree(trash)
    return in_use
