"""The holder popup offers only entities whose label can hold a stance (the schema's
``holder``): a date such as "Monday" is no one's stance. Those inside the evidence come
first, then the document's other names, so "he said" can be given to someone named before."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.core.edits import AddEntity
from gui.core.store import Project
from tests.gui.conftest import ARTICLE, add_docs, click, popup, stored
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
        "No entity in this document can hold a stance (PERSON, GPE, ORG, NORP)")


def test_a_sentence_naming_no_one_offers_the_names_before_it_people_first(qtbot, window) -> None:
    """"The ministers praised…" holds the stance of people named a sentence before: the
    popup offers them after the evidence's own (none here), people first."""
    label(qtbot, window, "Sergei Lavrov", "1")
    label(qtbot, window, "Havana", "2")
    click(qtbot, window.view, q(window, ARTICLE.index("praised"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    menu = popup(qtbot)
    assert _shown(menu) == ["No holder", "Sergei Lavrov  (PERSON) · earlier",
                            "Havana  (GPE) · earlier"]
    qtbot.keyClick(menu, "1")
    assert stored(window.project_path)["stances"] == [
        ("The ministers praised the strategic partnership.", "Russia–Cuba partnership", "favor",
         "Sergei Lavrov")]


def test_h_gives_a_stance_a_holder_named_in_another_sentence(qtbot, window) -> None:
    label(qtbot, window, "Sergei Lavrov", "1")
    click(qtbot, window.view, q(window, ARTICLE.index("praised"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    qtbot.keyClick(popup(qtbot), "0")  # no holder at first
    qtbot.keyClick(window.view, "h")
    menu = popup(qtbot)
    assert _shown(menu) == ["✓ No holder", "Sergei Lavrov  (PERSON) · earlier"]  # it has none
    qtbot.keyClick(menu, "1")
    assert stored(window.project_path)["stances"] == [
        ("The ministers praised the strategic partnership.", "Russia–Cuba partnership", "favor",
         "Sergei Lavrov")]
    qtbot.keyClick(window.view, "h")
    assert _shown(popup(qtbot)) == ["No holder", "✓ Sergei Lavrov  (PERSON) · earlier"]


def test_names_past_the_ninth_are_found_by_typing(qtbot, make_window, project_path) -> None:
    """Eleven names: the popup keys the nine likeliest (people first) and says how many more
    typing finds, as an article's every name would not fit a laptop screen."""
    people = ["Ana Ruiz", "Bo Lind", "Cy Moss", "Di Park", "Ed Shaw", "Flo Tate", "Gus Vane",
              "Hal West", "Ida Young", "Jo Zink"]
    text = ", ".join(people) + " and Havana met in Caracas. They agreed."
    doc_id = add_docs(project_path, [text])[0]
    with Project.open(project_path) as project:
        for name, label in [*((p, "PERSON") for p in people), ("Havana", "GPE")]:
            AddEntity(doc_id, "ana", text.index(name), text.index(name) + len(name),
                      label).apply(project)
    window = make_window()
    click(qtbot, window.view, window.controller.offsets.to_qt(text.index("agreed")))
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    menu = popup(qtbot)
    assert menu._heading.text() == "Who holds this stance? (type for 2 more)"
    assert _shown(menu)[1] == "Jo Zink  (PERSON) · earlier"  # the nearest person
    assert "Havana  (GPE) · earlier" not in _shown(menu)
    qtbot.keyClicks(menu, "hav")
    assert _shown(menu) == ["Havana  (GPE) · earlier"]
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert stored(window.project_path)["stances"] == [
        ("They agreed.", "Russia–Cuba partnership", "favor", "Havana")]
