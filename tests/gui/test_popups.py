"""The label and target popups filter as you type; their keys still pick at once when nothing
has been typed; Enter takes the first match; Esc cancels (README, keys in a popup)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import ARTICLE, drag, popup, stored

SENTENCE = "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."


def q(window, start: int, end: int) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end)


def listed(menu) -> list[str]:
    return [action.text().split("\t")[0] for action in menu.listed()]


def select_word(qtbot, window, word: str):
    start = ARTICLE.index(word)
    drag(qtbot, window.view, *q(window, start, start + len(word)))
    return popup(qtbot)


def test_typing_narrows_the_label_popup_and_enter_takes_the_first_match(qtbot, window) -> None:
    menu = select_word(qtbot, window, "Havana")
    assert len(listed(menu)) == 9
    qtbot.keyClicks(menu, "l")  # not a key: starts the filter (labels with a word in l…)
    assert listed(menu) == ["LOC", "LAW"]
    qtbot.keyClicks(menu, "a")
    assert listed(menu) == ["LAW"]
    qtbot.keyClick(menu, Qt.Key.Key_Backspace)
    assert listed(menu) == ["LOC", "LAW"]
    qtbot.keyClick(menu, Qt.Key.Key_Down)  # arrows move among the matches
    qtbot.keyClick(menu, Qt.Key.Key_Up)
    qtbot.keyClick(menu, Qt.Key.Key_Return)  # the first match
    assert stored(window.project_path)["entities"] == [("Havana", "LOC")]


def test_keys_pick_at_once_until_something_is_typed(qtbot, window) -> None:
    qtbot.keyClick(select_word(qtbot, window, "Havana"), "2")  # GPE's key, as before
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    menu = select_word(qtbot, window, "Monday")
    qtbot.keyClicks(menu, "da")  # now "9" would be typed, not DATE's key
    assert listed(menu) == ["DATE"]
    qtbot.keyClick(menu, Qt.Key.Key_Enter)
    assert ("Monday", "DATE") in stored(window.project_path)["entities"]


def test_escape_cancels_a_filtered_popup(qtbot, window) -> None:
    menu = select_word(qtbot, window, "Havana")
    qtbot.keyClicks(menu, "per")
    assert listed(menu) == ["PERSON"]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert stored(window.project_path)["entities"] == []


def test_the_target_popup_filters_by_words_then_polarity_by_key(qtbot, window) -> None:
    start = ARTICLE.index(SENTENCE)
    drag(qtbot, window.view, *q(window, start, start + len(SENTENCE)))
    qtbot.keyClick(popup(qtbot), Qt.Key.Key_Escape)
    qtbot.keyClick(window.view, "s")
    menu = popup(qtbot)
    qtbot.keyClicks(menu, "u")  # no target's key: the two US targets stay
    assert listed(menu) == ["US embargo on Cuba", "US–Cuba normalization"]
    qtbot.keyClick(menu, Qt.Key.Key_Backspace)
    assert len(listed(menu)) == 3
    qtbot.keyClicks(menu, "cuba")  # a word inside "US–Cuba" counts too
    assert len(listed(menu)) == 3
    qtbot.keyClicks(menu, " n")  # "n" is a key, but something is typed: it filters
    assert listed(menu) == ["US–Cuba normalization"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.keyClick(popup(qtbot), "c")  # favor, by its key
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "US–Cuba normalization", "favor", None)
    ]


def test_nothing_matching_keeps_the_popup_open_and_enter_does_nothing(qtbot, window) -> None:
    menu = select_word(qtbot, window, "Havana")
    qtbot.keyClicks(menu, "zzq")
    assert listed(menu) == []
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert QApplication.activePopupWidget() is menu
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    assert stored(window.project_path)["entities"] == []
