"""J and K walk the article by sentence from the keyboard: each press selects the next (or
previous) sentence, or the stance whose evidence it is, so S, the same-again key, a polarity
key or H act on it without the mouse."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.gui.conftest import ARTICLE, popup, stored
from tests.gui.test_window_stances import SENTENCE

FIRST = "Russia rejects the U.S. blockade against Cuba."
LAST = "The ministers praised the strategic partnership."


def _selected(window) -> str:
    start, end = window.controller.offsets.span_to_python(*window.view.selection())
    return ARTICLE[start:end]


def test_j_and_k_step_through_the_sentences_and_s_marks_the_one_selected(qtbot,
                                                                           window) -> None:
    qtbot.keyClick(window.view, "j")
    assert _selected(window) == FIRST
    qtbot.keyClick(window.view, "j")
    assert _selected(window) == SENTENCE
    qtbot.keyClick(window.view, "j")
    assert _selected(window) == LAST
    qtbot.keyClick(window.view, "j")  # past the last: stays, and says so
    assert _selected(window) == LAST
    assert window.statusBar().currentMessage() == "No sentence after this one"
    qtbot.keyClick(window.view, "k")
    assert _selected(window) == SENTENCE
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", None)]


def test_stepping_onto_a_stance_selects_it_and_the_dot_repeats_it_on_the_next(qtbot,
                                                                              window) -> None:
    qtbot.keyClick(window.view, "j")
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "e")
    qtbot.keyClick(popup(qtbot), "z")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    qtbot.keyClick(window.view, "j")
    qtbot.keyClick(window.view, ".")  # the meeting: the same stance again
    qtbot.keyClick(window.view, "k")  # back onto the first stance: selected, so x changes it
    qtbot.keyClick(window.view, "x")
    assert stored(window.project_path)["stances"] == [
        (FIRST, "US embargo on Cuba", "neutral", None),
        (SENTENCE, "US embargo on Cuba", "against", None)]
