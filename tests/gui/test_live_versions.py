"""The trained version in use, followed by open windows: on a server the owner's switch reaches
every window live (status bar, "most to gain first" order, this user's cache) without touching
what the annotator did; the next pre-fill uses the new version, on a server or a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.core.store import Project
from gui.core.trained_cache import cache_folder
from gui.nlp import models
from tests.conftest import run_command
from tests.server.test_pg_team import as_person
from tests.unit.test_train import another_version, fill, tiny


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """This machine's cache of written-out server versions, empty."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return cache_folder()


def trained_twice(address: str | Path) -> dict[int, str]:
    """v1 trained and in use, v2 stored beside it; each version's content hash on a server."""
    with Project.open(address) as owner:
        fill(owner)
        tiny(owner, use=True)
        another_version(owner)
        if not isinstance(address, str):
            return {}
        return dict(owner.conn.execute("SELECT version, content_hash FROM trained_versions"))


def accept(qtbot, window) -> int:
    """Mark the open document done (Ctrl+Return, which moves on); returns that document."""
    done = window.current_doc
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return done


def prefill_from_the_menu(qtbot, window) -> object:
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    [action] = [a for a in tools.actions() if a.objectName() == "action:prefill"]
    action.trigger()
    [job] = window.files.jobs
    with qtbot.waitSignal(job.succeeded, timeout=180_000) as finished:
        pass
    return finished.args[0]


def tidied(*windows) -> list[object]:
    """Each window's tidy of versions no one needs (in the background) ending."""
    return [window.prefill_in_use.tidy.finished for window in windows]


def listed(window) -> list[int]:
    return [window.documents.doc_id_at(row) for row in range(window.documents.rowCount())]


def test_the_owners_switch_reaches_open_windows_on_a_server(
    qtbot, make_window, pg_project: str, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hashes = trained_twice(pg_project)
    for args in (("init", pg_project), ("add", pg_project, "ben")):
        code, _out, err = run_command(capsys, "team", *args)
        assert code == 0, err
    ben = make_window(None, "ben", path=as_person(pg_project, "ben"))  # a member
    ana = make_window(None, "ana", path=pg_project)  # the owner, annotating in a window
    for window in (ben, ana):
        assert window.prefill_in_use.text() == "Pre-fill: trained v1"
        assert not window.prefill_in_use.isHidden()
        qtbot.waitUntil(lambda w=window: not w.prefill_in_use.tidy.running)  # the opening's
    box = ben.doc_panel.order_box
    box.setCurrentIndex(box.findData("gain"))  # v1's least sure documents first
    assert listed(ben)[:3] != [1, 2, 3]
    finished = accept(qtbot, ben)
    reading, edits = ben.current_doc, ben.undo_stack.count()
    assert {p.name for p in cache.iterdir()} == {hashes[1]}  # the version named, no other

    with (qtbot.waitSignals([ben.prefill_in_use.changed, ana.prefill_in_use.changed,
                             *tidied(ben, ana)], timeout=10_000),
          Project.open(pg_project) as owner):
        models.use_version(owner, 2)  # Tools ▸ Train's "Use this version", elsewhere
    assert ben.prefill_in_use.text() == ana.prefill_in_use.text() == "Pre-fill: trained v2"
    assert "trained version v2" in ben.prefill_in_use.toolTip()
    assert listed(ben)[:3] == [1, 2, 3]  # v2 has scored nothing yet: the list followed
    assert ben.current_doc == reading  # still open, still selected, nothing undone
    assert ben.doc_panel.view.currentIndex().row() == ben.documents.row_of(reading)
    assert ben.undo_stack.count() == edits
    with Project.open(pg_project) as owner:
        assert owner.annotation_set(finished, "ben").status == "done"
    assert not (cache / hashes[1]).exists()  # no longer named: gone from this machine

    report = prefill_from_the_menu(qtbot, ana)  # the owner's next pre-fill, same window
    assert report.model == "en_marginalia_v2"
    assert {p.name for p in cache.iterdir()} == {hashes[2]}  # written out to be loaded
    with Project.open(pg_project) as owner:
        assert owner.annotation_set(finished, "ben").status == "done"

    dialog = ben.files.train()  # Tools ▸ Train…: a member reads the version in use there
    assert dialog.in_use.text() == "trained version v2"
    with (qtbot.waitSignals(tidied(ben, ana), timeout=10_000),
          qtbot.waitSignal(ben.prefill_in_use.changed, timeout=10_000) as removed):
        code, out, err = run_command(capsys, "train", pg_project, "--remove")
    assert code == 0 and "pre-fill now uses v1" in out, err
    assert removed.args == [1] and ben.prefill_in_use.text() == "Pre-fill: trained v1"
    assert dialog.in_use.text() == "trained version v1"
    dialog.reject()
    assert not (cache / hashes[2]).exists()  # removed: each window's tidy let it go


def test_a_second_window_on_a_file_prefills_with_the_version_switched_to(
    qtbot, make_window, project_path: Path
) -> None:
    """A file sends no notices (gui/core/live.py): the other window learns of the switch when
    it next reads the project, and its pre-fill reads the version in use when it starts."""
    trained_twice(project_path)
    ana = make_window(None, "ana")
    assert ana.prefill_in_use.text() == "Pre-fill: trained v1"
    with Project.open(project_path) as elsewhere:  # another window's Train dialog, or a command
        models.use_version(elsewhere, 2)
    with qtbot.waitSignal(ana.prefill_in_use.changed) as switched:
        report = prefill_from_the_menu(qtbot, ana)
    assert report.model == "en_marginalia_v2"
    assert switched.args == [2] and ana.prefill_in_use.text() == "Pre-fill: trained v2"


def test_a_project_never_trained_shows_no_version(qtbot, window) -> None:
    assert window.prefill_in_use.isHidden()
