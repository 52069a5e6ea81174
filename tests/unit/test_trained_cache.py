"""This user's cache of server projects' trained versions (gui/core/trained_cache.py): a folder
goes once no project this user opens names it, never while a pre-fill reads it, and what a
crash left behind goes at the next tidy, never a write still going on; a project file's own
versions are never touched. (A write in another process, killed: test_crashed_builds.py.)"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from gui.core import folder_lease
from gui.core.folder_lease import claim_new, lease
from gui.core.store import Project
from gui.core.trained_cache import FORGET_AFTER, cache_folder, tidy
from gui.nlp import models

H1, H2, H3 = ("1" * 64), ("2" * 64), ("3" * 64)


def write_out(*digests: str) -> None:
    """What ``ServerShelf.materialise`` leaves: a folder named by the version's hash."""
    for digest in digests:
        (cache_folder() / digest / "pipeline").mkdir(parents=True)
        (cache_folder() / digest / "pipeline" / "config.cfg").write_text("[nlp]\n")


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This user's cache, holding the written-out versions H1, H2 and H3."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_out(H1, H2, H3)
    return cache_folder()


def present(cache: Path) -> set[str]:
    return {p.name for p in cache.iterdir()}


def test_a_version_no_project_names_goes_at_the_next_tidy(cache: Path) -> None:
    assert sorted(tidy("host=db dbname=news", H1)) == [H2, H3]
    assert present(cache) == {H1}


def test_a_version_another_project_names_stays_until_it_names_another(cache: Path) -> None:
    tidy("host=db dbname=survey", H2)
    write_out(H1, H3)  # news's pre-fill wrote its version out (and an older one lingered)
    assert tidy("host=db dbname=news", H1) == [H3]  # survey's H2 stays
    assert present(cache) == {H1, H2}
    assert tidy("host=db dbname=survey", None) == [H2]  # survey's owner removed its version
    assert present(cache) == {H1}


def test_a_version_being_read_stays_until_the_reader_lets_go(cache: Path) -> None:
    reading = lease(cache / H2)  # a pre-fill loading H2 when the owner switched away from it
    assert reading is not None and reading.folder == cache / H2
    assert tidy("host=db dbname=news", H1) == [H3]
    assert (cache / H2 / "pipeline" / "config.cfg").read_text() == "[nlp]\n"
    reading.release()
    assert tidy("host=db dbname=news", H1) == [H2]


def test_a_reader_dropping_its_lease_without_releasing_lets_the_folder_go(cache: Path) -> None:
    """A load that fails (an exception mid-way) drops the lease with its frame."""
    reading = lease(cache / H1)
    assert tidy("host=db dbname=news", None) == sorted([H2, H3])
    del reading
    assert tidy("host=db dbname=news", None) == [H1]


@pytest.mark.parametrize("written_again", [False, True])
def test_a_reader_that_opened_a_folder_being_removed_is_told_to_write_it_out_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch, written_again: bool
) -> None:
    """A tidy renames the folder while the reader waits for its lock: once the reader holds
    it, the path is no longer the folder it opened (gone, or another client's fresh
    write-out), so it says None and the caller writes out and holds again, rather than load
    what is being deleted or hold a lock that protects nothing."""
    real_flock = fcntl.flock

    def tidy_in_between(fd: int, operation: int) -> None:
        if operation == fcntl.LOCK_SH:
            os.replace(cache / H1, cache / f".{H1[:12]}.removing-test")
            if written_again:
                write_out(H1)
        real_flock(fd, operation)

    monkeypatch.setattr(folder_lease.fcntl, "flock", tidy_in_between)
    assert lease(cache / H1) is None
    monkeypatch.setattr(folder_lease.fcntl, "flock", real_flock)
    assert lease(cache / H2) is not None
    assert lease(cache / ("0" * 64)) is None  # never written, or removed before it was opened


def test_a_project_not_opened_for_a_month_no_longer_keeps_its_version(cache: Path) -> None:
    start = 1_000_000_000.0
    tidy("host=old dbname=study", H2, now=start)
    write_out(H1, H3)
    assert tidy("host=db dbname=news", H1, now=start + FORGET_AFTER - 60) == [H3]
    assert tidy("host=db dbname=news", H1, now=start + FORGET_AFTER + 60) == [H2]
    tidy("host=old dbname=study", H2, now=start + FORGET_AFTER + 120)  # opened again
    assert present(cache) == {H1}  # written out again when its pre-fill next needs it


def test_what_a_crash_left_behind_goes_at_once_and_writes_in_progress_stay(cache: Path) -> None:
    for name in (".building-v4.k2j3", ".111111111111.x8d", f".{H3[:12]}.removing-1a2b"):
        (cache / name).mkdir()  # a build, a write-out and a removal whose process died
    writing = claim_new(cache, ".222222222222.")  # a write-out going on, held as they are
    building = claim_new(cache, ".building-v5.")  # a training of hours: its age says nothing
    (cache / "notes").mkdir()  # not ours to judge: neither a version nor a write in progress
    assert sorted(tidy("host=db dbname=news", H1)) == [
        ".111111111111.x8d", ".building-v4.k2j3", H2, H3]
    assert present(cache) == {H1, writing.folder.name, building.folder.name, "notes"}
    writing.release()
    assert tidy("host=db dbname=news", H1) == [writing.folder.name]
    assert present(cache) == {H1, building.folder.name, "notes"}
    building.release()


def test_an_unreadable_record_is_started_afresh(cache: Path) -> None:
    (cache.parent / "trained-named.json").write_text("{not json", encoding="utf-8")
    assert sorted(tidy("host=db dbname=news", H1)) == [H2, H3]
    write_out(H2)
    tidy("host=db dbname=survey", H2)
    assert present(cache) == {H1, H2}


def test_a_project_files_own_versions_are_never_tidied(cache: Path, project: Project) -> None:
    shelf = models.shelf(project)
    with shelf.building(1) as building:
        folder = shelf.keep(1, _built(building))
    models.use_version(project, 1)
    assert models.tidy_versions(project) == []
    held = models.lease_in_use(project)
    assert held is not None and held.folder == folder
    held.release()
    assert present(cache) == {H1, H2, H3}  # a file's version is beside it, not in the cache
    assert (folder / "training.json").exists()


def _built(folder: Path) -> Path:
    (folder / "training.json").write_text('{"version": 1}', encoding="utf-8")
    return folder
