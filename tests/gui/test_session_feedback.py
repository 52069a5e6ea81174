"""What the window says and shows back during a session: the status bar after undo and redo,
and rows and margin notes that keep their places while the annotator works."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.core.store import Project
from tests.gui.conftest import ARTICLE, add_docs, drag, popup, stored, tooltip

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _label(qtbot, window, word: str, key: str) -> None:
    start = ARTICLE.index(word)
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + len(word)))
    qtbot.keyClick(popup(qtbot), key)


def test_the_status_bar_says_undone_and_redone(qtbot, window) -> None:
    _label(qtbot, window, "Havana", "2")
    bar = window.statusBar()
    assert bar.currentMessage() == "Saved: Add GPE"
    qtbot.keyClick(window.view, "z", CTRL)
    assert stored(window.project_path)["entities"] == []
    assert bar.currentMessage() == "Undone: Add GPE"
    qtbot.keyClick(window.view, "z", CTRL | SHIFT)
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    assert bar.currentMessage() == "Redone: Add GPE"


def test_two_suggested_stances_on_one_sentence_keep_their_order_after_an_edit(
        qtbot, make_window, project_path) -> None:
    (doc_id,) = add_docs(project_path, [ARTICLE])
    with Project.open(project_path) as project:
        end = ARTICLE.index("\n")
        for target in ("US embargo on Cuba", "Russia–Cuba partnership"):
            project.conn.execute(
                'INSERT INTO prefill_stances(document_id, start, "end", target, polarity, '
                "model, model_version) VALUES (?, 0, ?, ?, 'against', 'test', '1')",
                (doc_id, end, target))
    window = make_window()
    model = window.controller.stance_model

    def targets() -> list[str]:
        return [model.index(row, 1).data() for row in range(model.rowCount())]

    def gutter() -> list[str]:
        return [mark.detail for mark in window.view.stance_marks]

    before = (targets(), gutter())
    assert before[0] == ["US embargo on Cuba", "Russia–Cuba partnership"]
    _label(qtbot, window, "Havana", "2")  # the first edit copies the suggestions to the set
    assert stored(project_path)["entities"] == [("Havana", "GPE")]
    assert (targets(), gutter()) == before


def test_shift_arrows_do_not_carry_an_entity_into_the_next_paragraph(qtbot, window) -> None:
    _label(qtbot, window, "Cuba", "2")  # the last word of the first paragraph
    qtbot.keyClick(window.view, Qt.Key.Key_Right, SHIFT)
    assert stored(window.project_path)["entities"] == [("Cuba.", "GPE")]
    qtbot.keyClick(window.view, Qt.Key.Key_Right, SHIFT)  # "Sergei" is in the next paragraph
    assert stored(window.project_path)["entities"] == [("Cuba.", "GPE")]
    assert window.statusBar().currentMessage().startswith("An annotation stops at a line break")
    _label(qtbot, window, "Sergei", "1")
    qtbot.keyClick(window.view, Qt.Key.Key_Left, CTRL | SHIFT)  # its start, back up a line
    assert stored(window.project_path)["entities"][1] == ("Sergei", "PERSON")


def _choose_gain_by_keyboard(qtbot, window) -> None:
    box = window.doc_panel.order_box
    box.setFocus()
    while box.currentData() != "gain":
        qtbot.keyClick(box, Qt.Key.Key_Down)


def _gain_chosen_without_scores(qtbot, window, hint: str, scorer: str) -> None:
    """Choose "most to gain first" where nothing is scored: the status bar says why
    (``hint``), the tooltip names the model that would score (``scorer``), the list stays."""
    _choose_gain_by_keyboard(qtbot, window)
    assert window.statusBar().currentMessage().startswith(hint)
    assert scorer in tooltip(window.doc_panel.order_box)
    assert [window.documents.index(r, 0).data() for r in range(3)] == ["Doc 0", "Doc 1", "Doc 2"]


def test_most_to_gain_first_without_scores_says_why_the_list_stays(qtbot, window) -> None:
    # a new project's pre-fill asks the starter classifier, which scores as it pre-fills
    _gain_chosen_without_scores(
        qtbot, window, "The starter classifier has not scored these documents yet",
        "starter classifier")


def test_without_the_starter_most_to_gain_first_waits_for_training(
        qtbot, make_window, project_path) -> None:
    add_docs(project_path, [ARTICLE, "Second article about Moscow.", "Third one about Havana."])
    with Project.open(project_path) as project:
        project.set_setting("stance_starter", False)
    window = make_window()
    _gain_chosen_without_scores(
        qtbot, window, "No trained model has scored the documents yet", "trained model")


def test_the_order_tooltip_follows_a_setting_changed_while_the_window_is_open(
        qtbot, window, project_path) -> None:
    box = window.doc_panel.order_box
    assert "the starter classifier is least sure" in tooltip(box)
    with Project.open(project_path) as project:  # as `marginalia` in a terminal would
        project.set_setting("stance_starter", False)
    assert "the trained model is least sure" in tooltip(box)


def test_most_to_gain_first_with_scores_says_nothing(qtbot, window, project_path) -> None:
    with Project.open(project_path) as project:
        project.set_setting("trained_model", "x.models/v1")
        with project.transaction() as conn:
            conn.execute("INSERT INTO document_scores(document_id, model, score, computed_at) "
                         "VALUES (3, '\"x.models/v1\"', 0.9, '')")
    _choose_gain_by_keyboard(qtbot, window)
    assert window.statusBar().currentMessage() == ""
    assert window.documents.index(0, 0).data() == "Doc 2"
