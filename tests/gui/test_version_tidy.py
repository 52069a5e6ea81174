"""The tidy of trained versions no one needs (gui/ui/trained_status.py) runs behind the
window: opening it never waits on a slow disk or a distant server, the annotator's keys work
while it runs, and a tidy that fails (the server away) says nothing, as before."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.core.errors import ServerUnavailable
from gui.nlp import models
from tests.gui.conftest import ARTICLE
from tests.unit.test_crashed_builds import models_folder

TEXTS = [ARTICLE, "Second article about Moscow.", "Third one about Havana."]


class SlowTidy:
    """tidy_versions held until the test lets it go, as a slow disk or server would hold it;
    then the real one runs, or ``fails`` is raised."""

    def __init__(self, fails: Exception | None = None):
        self.fails = fails
        self.started, self.release = threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []
        self.real = models.tidy_versions

    def __call__(self, project) -> list[str]:
        self.threads.append(threading.current_thread())
        self.started.set()
        self.release.wait(30)
        self.release.clear()
        if self.fails is not None:
            raise self.fails
        return self.real(project)


@pytest.fixture
def slow_tidy(monkeypatch: pytest.MonkeyPatch) -> SlowTidy:
    slow = SlowTidy()
    monkeypatch.setattr(models, "tidy_versions", slow)
    return slow


def test_the_window_answers_keys_while_versions_are_tidied_behind_it(
        qtbot, make_window, project_path: Path, slow_tidy: SlowTidy) -> None:
    crashed = models_folder(project_path) / "v1.building"  # a training killed midway
    crashed.mkdir(parents=True)
    window = make_window(TEXTS)  # opened while the tidy still waits on the disk
    tidy = window.prefill_in_use.tidy
    assert slow_tidy.started.wait(10) and tidy.running
    first = window.current_doc
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc != first  # marked done and moved on, the tidy still going
    assert crashed.exists()

    with qtbot.waitSignal(tidy.finished, timeout=10_000) as finished:
        slow_tidy.release.set()
    assert finished.args == [["v1.building"]] and not crashed.exists()
    assert slow_tidy.threads[0] is not threading.main_thread()
    assert not tidy.running


def test_a_tidy_that_fails_says_nothing_and_the_window_goes_on(
        qtbot, make_window, slow_tidy: SlowTidy) -> None:
    slow_tidy.fails = ServerUnavailable("the server closed the connection")
    window = make_window(TEXTS)
    tidy = window.prefill_in_use.tidy
    assert slow_tidy.started.wait(10)
    with qtbot.waitSignal(tidy.finished, timeout=10_000) as finished:
        slow_tidy.release.set()
    assert finished.args == [[]]
    assert not any(isinstance(w, QMessageBox) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert window.statusBar().currentMessage() == ""
    assert window.prefill_in_use.isHidden()  # never trained: nothing to say, as before
    first = window.current_doc
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc != first


def test_tidies_asked_for_while_one_runs_make_one_more_and_end_once(
        qtbot, make_window, slow_tidy: SlowTidy) -> None:
    """Two "trained" notices during a slow tidy: one more tidy follows it (the first may have
    read the project before the switch), and ``finished`` is said once, after both."""
    window = make_window(TEXTS)
    tidy = window.prefill_in_use.tidy
    assert slow_tidy.started.wait(10)
    ended: list[list[str]] = []
    tidy.finished.connect(ended.append)
    tidy.start()  # as the notices would
    tidy.start()
    slow_tidy.started.clear()
    slow_tidy.release.set()
    qtbot.waitUntil(slow_tidy.started.is_set)  # the second run, once the first's end is in
    assert ended == [] and tidy.running
    with qtbot.waitSignal(tidy.finished, timeout=10_000):
        slow_tidy.release.set()
    assert len(slow_tidy.threads) == 2 and ended == [[]]
