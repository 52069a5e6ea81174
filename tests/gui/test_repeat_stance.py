"""The same-again key (.) gives the sentence at the cursor the target, polarity and holder of
the stance before it: an argument goes on over several sentences, each holding the stance."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import ARTICLE, click, popup, stored
from tests.gui.test_window_stances import SENTENCE, label, q

NEXT = "The ministers praised the strategic partnership."


def _stance_on_the_meeting(qtbot, window) -> None:
    label(qtbot, window, "Sergei Lavrov", "1")
    click(qtbot, window.view, q(window, ARTICLE.index("met"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    qtbot.keyClick(popup(qtbot), "1")  # Sergei Lavrov


def test_dot_repeats_the_stance_before_on_the_next_sentence_holder_and_all(qtbot,
                                                                           window) -> None:
    _stance_on_the_meeting(qtbot, window)
    click(qtbot, window.view, q(window, ARTICLE.index("praised"))[0])
    qtbot.keyClick(window.view, ".")
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", "Sergei Lavrov"),
        (NEXT, "Russia–Cuba partnership", "favor", "Sergei Lavrov")]
    qtbot.keyClick(window.view, "z")  # the repeated stance is selected: a polarity key mends it
    assert stored(window.project_path)["stances"][1] == (
        NEXT, "Russia–Cuba partnership", "against", "Sergei Lavrov")


def test_one_undo_takes_a_repeated_stance_back(qtbot, window) -> None:
    _stance_on_the_meeting(qtbot, window)
    click(qtbot, window.view, q(window, ARTICLE.index("praised"))[0])
    qtbot.keyClick(window.view, ".")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", "Sergei Lavrov")]


def test_dot_with_no_stance_before_says_so_and_stores_nothing(qtbot, window) -> None:
    _stance_on_the_meeting(qtbot, window)
    click(qtbot, window.view, q(window, ARTICLE.index("rejects"))[0])
    qtbot.keyClick(window.view, ".")
    assert window.statusBar().currentMessage() == (
        "No stance before this sentence to repeat: press S to make one")
    assert len(stored(window.project_path)["stances"]) == 1
