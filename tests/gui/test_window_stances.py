"""Stances and document steps by keys on the real window, checked in the project file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QTableWidget

from gui.core.store import Project
from tests.gui.conftest import ARTICLE, click, drag, popup, stored, when_modal

SENTENCE = "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."


def q(window, start: int, end: int = 0) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end or start)


def label(qtbot, window, word: str, key: str) -> None:
    start = ARTICLE.index(word)
    drag(qtbot, window.view, *q(window, start, start + len(word)))
    qtbot.keyClick(popup(qtbot), key)


def test_click_a_sentence_then_stance_target_polarity_and_holder_by_keys(qtbot, window) -> None:
    label(qtbot, window, "Sergei Lavrov", "1")
    click(qtbot, window.view, q(window, ARTICLE.index("Havana"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    qtbot.keyClick(popup(qtbot), "1")
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", "Sergei Lavrov")
    ]
    assert window.side.stance_view.currentIndex().row() == 0
    assert window.view.textCursor().selectedText() == SENTENCE
    # Change it by keys while it is selected: polarity, target, then clear the holder.
    qtbot.keyClick(window.view, "x")
    qtbot.keyClick(window.view, "e")
    qtbot.keyClick(window.view, "h")
    qtbot.keyClick(popup(qtbot), "0")
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "US embargo on Cuba", "neutral", None)
    ]
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored(window.project_path)["stances"] == []
    for _ in range(4):
        qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "favor", "Sergei Lavrov")
    ]


def test_target_key_on_a_selection_starts_a_stance_with_that_target(qtbot, window) -> None:
    clause = "Russia rejects the U.S. blockade"
    drag(qtbot, window.view, *q(window, 0, len(clause)))
    qtbot.keyClick(popup(qtbot), Qt.Key.Key_Escape)
    qtbot.keyClick(window.view, "e")
    qtbot.keyClick(popup(qtbot), "z")
    assert stored(window.project_path)["stances"] == [
        (clause, "US embargo on Cuba", "against", None)
    ]


def test_accept_skip_flag_and_next_previous(qtbot, window) -> None:
    view = window.view
    first = window.current_doc
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["status"] == "done"
    assert window.current_doc != first
    second = window.current_doc
    qtbot.keyClick(view, "k", Qt.KeyboardModifier.ControlModifier)
    third = window.current_doc
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_doc == second
    qtbot.keyClick(view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc == third
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_doc == first

    def answer(dialog: QInputDialog) -> None:
        dialog.setTextValue("garbled <i>text</i>")
        dialog.accept()

    when_modal(QInputDialog, answer)
    qtbot.keyClick(view, "f", Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    with Project.open(window.project_path) as project:
        statuses = [project.annotation_set(d, "ana") for d in project.document_ids()]
    assert [(s.status, s.note) for s in statuses] == [
        ("flagged", "garbled <i>text</i>"), ("skipped", ""), ("todo", "")]
    assert "garbled <i>text</i>" in window.meta_label.text()
    assert window.doc_panel.progress_label.text().endswith("0 / 3 done")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(view, "z", Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["status"] == "done"
    assert window.doc_panel.progress_label.text().endswith("1 / 3 done")


def test_document_filter_and_status_filter(qtbot, window) -> None:
    panel = window.doc_panel
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, "f", Qt.KeyboardModifier.ControlModifier)
    assert panel.filter_box.hasFocus()
    qtbot.keyClicks(panel.filter_box, "Havana")
    qtbot.keyClick(panel.filter_box, Qt.Key.Key_Return)
    titles = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert titles == ["Doc 0", "Doc 2"]
    panel.filter_box.clear()
    panel.status_box.setCurrentIndex(panel.status_box.findData("done"))
    titles = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert titles == ["Doc 0"]


def test_keys_dialog_lists_every_key(qtbot, window) -> None:
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "keysDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableWidget, "keysTable")
    keys = {table.item(row, 1).text() for row in range(table.rowCount())}
    assert {"Ctrl+Return or Ctrl+Enter", "1", "S", "E", "Z", "F1", "Ctrl+Z"} <= keys


def test_the_same_evidence_and_target_again_updates_the_stance(qtbot, window) -> None:
    click(qtbot, window.view, q(window, ARTICLE.index("Havana"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "c")
    click(qtbot, window.view, q(window, ARTICLE.index("Monday"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "p")
    qtbot.keyClick(popup(qtbot), "z")
    assert stored(window.project_path)["stances"] == [
        (SENTENCE, "Russia–Cuba partnership", "against", None)
    ]


def test_the_holder_is_joined_to_its_evidence_by_a_line(qtbot, window) -> None:
    """A dotted line in the stance's colour runs from the bar in the gutter to the holder's box,
    on the holder's line; a stance without a holder draws none."""
    from PySide6.QtGui import QColor

    from gui.core import edits
    from gui.ui.article_view import holder_line_y

    start = ARTICLE.index(SENTENCE)
    holder = ARTICLE.index("Bruno Rodríguez")
    with Project.open(window.project_path) as project:
        for edit in (
            edits.AddEntity(window.current_doc, "ana", holder, holder + 15, "PERSON"),
            edits.AddStance(window.current_doc, "ana", start, start + len(SENTENCE),
                            "Russia–Cuba partnership", "favor", (holder, holder + 15)),
        ):
            edit.apply(project)
    window.controller.refresh()
    view = window.view
    color = QColor(window.project.schema.polarity_color("favor"))

    def stance_coloured_between_bar_and_holder() -> int:
        box = view._rects(*q(window, holder, holder + 15))[0].translated(-view._scroll_offset())
        image = view.viewport().grab().toImage()
        y = round(holder_line_y(box))
        return sum(
            1 for x in range(0, int(box.left()) - 3)
            if any(abs(image.pixelColor(x, y + dy).hue() - color.hue()) < 12
                   and image.pixelColor(x, y + dy).saturation() > 60 for dy in (-1, 0, 1))
        )

    qtbot.waitUntil(lambda: stance_coloured_between_bar_and_holder() > 20)
    # Without the holder, the same place holds no such line.
    stance = window.controller.aset.stances[0]
    with Project.open(window.project_path) as project:
        edits.ChangeStance(window.current_doc, "ana", stance.id, {"holder": None}).apply(project)
    window.controller.refresh()
    qtbot.waitUntil(lambda: stance_coloured_between_bar_and_holder() == 0)
