"""The holder popup offers only entities whose label can hold a stance (the schema's
``holder``): a date such as "Monday" is no one's stance."""

from __future__ import annotations

from tests.gui.conftest import ARTICLE, click, popup, stored
from tests.gui.test_window_stances import SENTENCE, label, q


def _shown(menu) -> list[str]:
    return [action.text().split("\t")[0] for action in menu.listed()]


def test_the_holder_popup_leaves_out_dates(qtbot, window) -> None:
    label(qtbot, window, "Sergei Lavrov", "1")
    label(qtbot, window, "Havana", "2")
    label(qtbot, window, "Monday", "9")  # DATE: holder = false in the shipped schema
    click(qtbot, window.view, q(window, ARTICLE.index("met"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    menu = popup(qtbot)
    assert _shown(menu) == ["No holder", "Sergei Lavrov  (PERSON)", "Havana  (GPE)"]
    qtbot.keyClick(menu, "2")
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", "Havana")]


def test_h_on_a_stance_with_only_a_date_inside_says_who_can_hold_it(qtbot, window) -> None:
    label(qtbot, window, "Monday", "9")
    click(qtbot, window.view, q(window, ARTICLE.index("met"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")  # no holder to choose: stored at once
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", None)]
    qtbot.keyClick(window.view, "h")
    assert window.statusBar().currentMessage() == (
        "No entity inside this stance's evidence can hold it (PERSON, GPE, ORG, NORP)")
