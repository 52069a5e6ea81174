"""A label key on the exact span of an entity relabels it; another span still adds one."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from gui.core.store import Project
from tests.gui.conftest import ARTICLE, add_docs, drag, point_at, popup, stored


def q(window, start: int, end: int) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end)


def double_click(qtbot, window, python_position: int) -> None:
    view = window.view
    position = q(window, python_position, python_position)[0]
    view.show_span(position, position)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, position))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point_at(view, position))


def test_double_click_on_an_entity_then_a_label_key_relabels_it(qtbot, window) -> None:
    start = ARTICLE.index("Havana")
    double_click(qtbot, window, start + 2)
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    window.view.clear_selection()
    double_click(qtbot, window, start + 3)
    qtbot.keyClick(window.view, "3")
    assert stored(window.project_path)["entities"] == [("Havana", "ORG")]


def test_a_selection_snapping_to_an_entity_relabels_it_in_one_undo_step(qtbot, window) -> None:
    """A drag over part of "Lavrov" snaps to the entity "Lavrov": the popup's key relabels it
    (it added a second "Lavrov" over the first), the status bar says so, and one Ctrl+Z gives
    the old label back."""
    start = ARTICLE.index("Lavrov")
    drag(qtbot, window.view, *q(window, start, start + 6))
    qtbot.keyClick(popup(qtbot), "1")
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]
    depth = window.undo_stack.count()
    drag(qtbot, window.view, *q(window, start + 1, start + 4))  # "avr", snapped to "Lavrov"
    qtbot.keyClick(popup(qtbot), "3")
    assert stored(window.project_path)["entities"] == [("Lavrov", "ORG")]
    assert window.undo_stack.count() == depth + 1
    assert window.statusBar().currentMessage() == "Saved: Relabel as ORG"
    assert window.side.entity_view.model().rowCount() == 1
    qtbot.keyClick(window.view, "z", Qt.KeyboardModifier.ControlModifier)
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]


def test_a_different_span_over_an_entity_still_adds_an_overlapping_one(qtbot, window) -> None:
    start = ARTICLE.index("Sergei Lavrov")
    drag(qtbot, window.view, *q(window, start + 7, start + 13))
    qtbot.keyClick(popup(qtbot), "1")
    drag(qtbot, window.view, *q(window, start, start + 13))
    qtbot.keyClick(popup(qtbot), "1")
    assert sorted(stored(window.project_path)["entities"]) == [
        ("Lavrov", "PERSON"), ("Sergei Lavrov", "PERSON")]


def test_on_a_suggestion_its_own_label_confirms_it_and_another_relabels_it(
        qtbot, make_window, project_path) -> None:
    (doc,) = add_docs(project_path, [ARTICLE])
    start = ARTICLE.index("Lavrov")
    with Project.open(project_path) as project:
        project.conn.execute(
            'INSERT INTO prefill_entities(document_id, start, "end", label, model, '
            "model_version) VALUES (?, ?, ?, 'PERSON', 'test', '1')", (doc, start, start + 6))
    window = make_window()
    model = window.side.entity_view.model()
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, 2).data() == "suggested"
    drag(qtbot, window.view, *q(window, start + 1, start + 4))  # snapped onto the suggestion
    qtbot.keyClick(popup(qtbot), "1")  # its own label
    assert stored(window.project_path)["entities"] == [("Lavrov", "PERSON")]
    assert model.rowCount() == 1 and model.index(0, 2).data() == "confirmed"
    drag(qtbot, window.view, *q(window, start + 1, start + 4))
    qtbot.keyClick(popup(qtbot), "3")
    assert stored(window.project_path)["entities"] == [("Lavrov", "ORG")]


def test_an_entity_given_its_own_label_again_records_nothing(qtbot, window) -> None:
    """A confirmed entity double-clicked and given the label it has: no undo step, no
    transaction, no history row (it recorded an empty "Relabel as GPE" step)."""
    start = ARTICLE.index("Havana")
    double_click(qtbot, window, start + 2)
    qtbot.keyClick(popup(qtbot), "2")
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
    depth = window.undo_stack.count()
    watcher = sqlite3.connect(window.project_path)
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    history = watcher.execute("SELECT count(*) FROM history").fetchone()[0]
    window.view.clear_selection()
    double_click(qtbot, window, start + 3)
    qtbot.keyClick(window.view, "2")
    assert window.undo_stack.count() == depth
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version  # nothing committed
    assert watcher.execute("SELECT count(*) FROM history").fetchone()[0] == history
    assert window.statusBar().currentMessage() == "Already GPE: nothing to change"
    watcher.close()
    assert stored(window.project_path)["entities"] == [("Havana", "GPE")]
