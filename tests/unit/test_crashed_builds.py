"""A training killed while it builds its version (SIGKILL, power loss, the window closed hard)
leaves a half-built folder that the next tidy deletes, its number never given again; a build
still going on in another process (a second window, ``marginalia train`` in a terminal) is
never touched, however long it takes. The same for the cache of a server project's builds.

The builds run in processes of their own holding the real ``flock``, as training does; the
crash is a SIGKILL, so no cleanup of the child's runs. A real training killed midway, and
the training after it: test_train.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.store import Project
from gui.core.trained_cache import cache_folder, tidy
from gui.nlp import models
from gui.nlp.train import Cancelled
from tests.unit.other_process import go_on, in_another_process, killed

# What training does with its version's folder (gui/nlp/train.py), stopping where it has
# written part of it.
BUILD = """
version, build = models.new_build(project)
with build as building:
    (building / "pipeline").mkdir()
    (building / "training.json").write_text('{"version": %d}' % version)
    held()
    with project.transaction():
        models.shelf(project).keep(version, building)
        models.record_issued(project, version)
"""


def models_folder(project_path: Path) -> Path:
    return project_path.parent / f"{project_path.stem}.models"


def test_a_build_killed_midway_goes_at_the_next_tidy_and_its_number_is_not_given_again(
        project_path: Path) -> None:
    building = models_folder(project_path) / "v1.building"
    child = in_another_process(project_path, BUILD)
    assert (building / "training.json").exists()
    killed(child)
    assert (building / "training.json").exists()  # nothing of the child's ran to delete it
    with Project.open(project_path) as project:  # the next window, pre-fill or training
        assert models.versions(project) == []
        assert models.tidy_versions(project) == ["v1.building"]
        assert not any(models_folder(project_path).iterdir())
        assert project.setting(models.LAST_SETTING) == 1
        assert models.next_version(project) == 2
        assert models.tidy_versions(project) == []


def test_a_build_going_on_in_another_process_survives_every_tidy_and_is_kept(
        project_path: Path) -> None:
    building = models_folder(project_path) / "v1.building"
    child = in_another_process(project_path, BUILD)
    try:
        with Project.open(project_path) as project:
            assert models.tidy_versions(project) == []  # a window opening the file
            assert models.lease_in_use(project) is None  # a pre-fill: it tidies first
            assert (building / "training.json").exists()
            # A second training at the same time (another window) takes the next number.
            version, build = models.new_build(project)
            assert version == 2
            with build as mine:
                (mine / "training.json").write_text('{"version": 2}')
                assert models.tidy_versions(project) == []  # nor is this one touched
                models.shelf(project).keep(version, mine)
                models.record_issued(project, version)
        go_on(child)
    finally:
        killed(child)
    with Project.open(project_path) as project:
        assert models.versions(project) == [1, 2]
        assert models.training_info(project, 1) == {"version": 1}
        assert project.setting(models.LAST_SETTING) == 2  # v1 finishing last did not lower it
        assert sorted(p.name for p in models_folder(project_path).iterdir()) == ["v1", "v2"]


def test_a_number_another_build_holds_is_never_built_over(project: Project) -> None:
    where = models.shelf(project)
    version, build = models.new_build(project)
    with build as building:
        (building / "training.json").write_text("{}")
        with pytest.raises(models.ModelError, match=f"already building version v{version}$"):
            where.building(version)
        assert (building / "training.json").exists()
    assert not building.exists()  # never kept: given up at the block's end


def test_a_cancelled_build_leaves_the_folder_and_the_number_as_they_were(
        project: Project) -> None:
    version, build = models.new_build(project)
    with pytest.raises(Cancelled), build as building:
        (building / "training.json").write_text("{}")
        raise Cancelled("training cancelled: nothing was changed")
    assert not any(models.shelf(project).folder.iterdir())
    assert models.next_version(project) == version == 1


def test_a_read_only_open_leaves_a_crashed_build_to_a_writable_one(project_path: Path) -> None:
    """Its number cannot be recorded there, so the folder keeps it issued meanwhile."""
    killed(in_another_process(project_path, BUILD))
    with Project.open(project_path, readonly=True) as look:
        assert models.tidy_versions(look) == []
        assert models.next_version(look) == 2
    with Project.open(project_path) as project:
        assert models.tidy_versions(project) == ["v1.building"]
        assert models.next_version(project) == 2


# A server project's training builds in this user's cache (gui/core/trained_versions.py,
# ServerShelf.building): only the folder is asked for, which needs no server.
SERVER_BUILD = """
from gui.core.trained_versions import ServerShelf
with ServerShelf(project).building(3) as building:
    (building / "training.json").write_text("{}")
    held()
"""


def test_a_server_projects_build_killed_midway_goes_from_the_cache_at_the_next_tidy(
        project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the children's too
    running = in_another_process(project_path, SERVER_BUILD)
    crashed = in_another_process(project_path, SERVER_BUILD)
    try:
        builds = {p.name for p in cache_folder().iterdir()}
        assert len(builds) == 2 and all(b.startswith(".building-v3.") for b in builds)
        killed(crashed)
        [gone] = tidy("host=db dbname=news", None)  # at once: a crash is not judged by age
        [left] = [p for p in cache_folder().iterdir()]
        assert {gone, left.name} == builds
        assert (left / "training.json").exists()  # the running build's, whole
    finally:
        killed(running)
    assert tidy("host=db dbname=news", None) == [left.name]
    assert not any(cache_folder().iterdir())
