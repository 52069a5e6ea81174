"""Removing a trained version of a project file while someone loads it: the version is gone
from the list and from use at once, its folder stays whole until the last reader lets go and
then goes, and a crash on either side leaves nothing that lasts past the next tidy.

Readers are other threads or processes holding the real ``flock`` lease (a window's
pre-fill, a ``marginalia prefill`` run), as gui/core/folder_lease.py takes it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from gui.core.store import Project
from gui.core.trained_versions import REMOVED_SETTING
from gui.nlp import models
from tests.conftest import run_command
from tests.unit.other_process import WAIT, in_another_process, killed


@pytest.fixture
def versions(project_path: Path) -> Path:
    """Versions v1 and v2 beside the project file, v2 in use; returns the models folder."""
    folder = project_path.parent / f"{project_path.stem}.models"
    for version in (1, 2):
        (folder / f"v{version}" / "pipeline").mkdir(parents=True)
        (folder / f"v{version}" / "pipeline" / "config.cfg").write_text(f"[v{version}]\n")
        (folder / f"v{version}" / "training.json").write_text(json.dumps(
            {"version": version, "source": "done", "train_documents": [1, 2, 3]}))
    with Project.open(project_path) as project:
        project.set_setting(models.LAST_SETTING, 2)  # as training leaves it
        models.use_version(project, 2)
    return folder


class Reader(threading.Thread):
    """Another window's pre-fill: its own connection to the file, the version in use held from
    before ``spacy.load`` until ``let_go``; reads every file of it meanwhile."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path = path
        self.holding = threading.Event()
        self.let_go = threading.Event()
        self.read: list[str] = []
        self.failed: BaseException | None = None

    def run(self) -> None:
        try:
            with Project.open(self.path) as project, models.lease_in_use(project) as held:
                self.folder = held.folder
                self.holding.set()
                assert self.let_go.wait(WAIT)
                self.read = [p.read_text() for p in sorted(held.folder.rglob("*.cfg"))]
        except BaseException as exc:
            self.failed = exc
        finally:
            self.holding.set()


def test_removing_a_version_another_window_is_loading_waits_for_it_to_let_go(
        project_path: Path, versions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reader = Reader(project_path)
    reader.start()
    assert reader.holding.wait(WAIT) and reader.failed is None
    assert reader.folder == versions / "v2"
    with Project.open(project_path) as project:
        removal = models.remove_version(project)
        assert (removal.version, removal.in_use, removal.waiting) == (2, 1, versions / "v2")
        assert "still being loaded by another window or command" in removal.summary()
        assert "test.models/v2 goes as soon as that load ends" in removal.summary()
        # No longer offered or used, from the moment the removal committed...
        assert models.versions(project) == [1] and models.current_version(project) == 1
        with models.lease_in_use(project) as now:
            assert now.folder == versions / "v1"
        with pytest.raises(models.ModelError, match="has no trained version v2"):
            models.shelf(project).hold(2)
        # ...but whole for the reader, whoever tidies meanwhile.
        assert models.tidy_versions(project) == []
        assert (versions / "v2" / "pipeline" / "config.cfg").exists()
    code, out, _ = run_command(capsys, "train", str(project_path), "--list")
    assert code == 0 and out.startswith("* v1 ") and "v2" not in out
    code, _, err = run_command(capsys, "train", str(project_path), "--remove", "v2")
    assert code == 1 and "no such trained version" in err

    reader.let_go.set()
    reader.join(WAIT)
    assert reader.failed is None and reader.read == ["[v2]\n"]
    assert not (versions / "v2").exists()  # the reader's release took it
    with Project.open(project_path) as project:
        models.tidy_versions(project)
        assert project.setting(REMOVED_SETTING) is None  # the mark went with the folder
        assert models.next_version(project) == 3  # and the number is not given again


def test_the_folder_goes_when_the_last_of_two_readers_lets_go(
        project_path: Path, versions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(project_path) as first, Project.open(project_path) as second:
        one, two = models.lease_in_use(first), models.lease_in_use(second)
        code, out, _ = run_command(capsys, "train", str(project_path), "--remove", "v2")
        assert code == 0 and out.count("\n") == 1  # one line, saying when the folder goes
        assert out.startswith("Removed v2; pre-fill now uses v1. v2 is still being loaded")
        one.release()
        assert (versions / "v2" / "training.json").exists()
        two.release()
        assert not (versions / "v2").exists()


def test_a_reader_that_read_the_setting_just_before_the_removal_follows_it(
        project_path: Path, versions: Path) -> None:
    with Project.open(project_path) as project:
        before = project.setting(models.SETTING)
        models.remove_version(project)  # nobody held it: the folder went at once
        assert not (versions / "v2").exists()
        assert models.shelf(project).hold_named(before) is None  # "read the setting again"
        with models.lease_in_use(project) as held:
            assert held.folder == versions / "v1"
        project.set_setting(models.SETTING, before)  # a setting naming what is not there
        with pytest.raises(models.ModelError, match="whose folder is missing"):
            models.lease_in_use(project)


def test_a_reader_killed_while_loading_leaves_the_folder_to_the_next_open(
        project_path: Path, versions: Path) -> None:
    child = in_another_process(project_path, "lease = models.lease_in_use(project)\nheld()")
    with Project.open(project_path) as project:
        assert models.remove_version(project).waiting == versions / "v2"
    killed(child)  # never released: the kernel dropped its lock, nobody deleted the folder
    assert (versions / "v2").exists()
    with Project.open(project_path) as project:  # the next window, pre-fill or removal
        assert models.tidy_versions(project) == ["v2"]
        assert not (versions / "v2").exists() and project.setting(REMOVED_SETTING) is None
        assert models.remove_version(project).waiting is None  # nothing blocks the next
        assert not (versions / "v1").exists()


@pytest.mark.parametrize("crashed", [
    "after its commit",  # the mark and the switch stored, the folder not yet touched
    "while deleting",  # renamed away, half deleted
])
def test_what_a_crashed_removal_left_goes_at_the_next_open(
        project_path: Path, versions: Path, crashed: str) -> None:
    with Project.open(project_path) as project, project.transaction():
        models.use_version(project, 1)
        models.shelf(project).delete(2)
    if crashed == "while deleting":
        (versions / "v2").rename(versions / ".v2.removing-5e1f0c2a")
        (versions / ".v2.removing-5e1f0c2a" / "training.json").unlink()
        (versions / ".v3.removing").mkdir()  # the name removals used before leases
    with Project.open(project_path) as project:
        assert models.versions(project) == [1]
        models.tidy_versions(project)
        assert sorted(p.name for p in versions.iterdir()) == ["v1"]
        assert project.setting(REMOVED_SETTING) is None
        assert models.remove_version(project).waiting is None
        assert models.versions(project) == [] and not any(versions.iterdir())


def test_copying_a_project_skips_nothing_but_the_removed_version(
        project_path: Path, versions: Path, tmp_path: Path) -> None:
    from gui.core.copy import copy_project

    child = in_another_process(project_path, "lease = models.lease_in_use(project)\nheld()")
    try:
        with Project.open(project_path) as project:
            models.remove_version(project, 2)
            copy_project(project, tmp_path / "copy.marginalia")
    finally:
        killed(child)
    with Project.open(tmp_path / "copy.marginalia") as copied:
        assert models.versions(copied) == [1] and models.current_version(copied) == 1
    assert sorted(p.name for p in (tmp_path / "copy.models").iterdir()) == ["v1"]
