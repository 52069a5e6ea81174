"""The keys legend folds away (its header, or View ▸ Keys legend) and stays as it was left."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel

from gui.ui.legend import SETTING, folded_by_default


def test_the_legend_folds_by_its_header_and_by_a_key_and_is_remembered(
        qtbot, make_window) -> None:
    QSettings().remove(SETTING)
    window = make_window(["One article about Havana."])
    legend = window.side.legend
    action = window.actions_by_name["legend"]
    assert legend.body.isVisible() and action.isChecked()
    rows_before = window.side.entity_view.height()

    qtbot.mouseClick(legend.toggle, Qt.MouseButton.LeftButton)
    assert not legend.body.isVisible() and not action.isChecked()
    qtbot.waitUntil(lambda: window.side.entity_view.height() > rows_before + 100)

    qtbot.keyClick(window.view, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert legend.body.isVisible() and action.isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert legend.folded

    again = make_window()
    assert again.side.legend.folded and not again.side.legend.body.isVisible()
    assert not again.actions_by_name["legend"].isChecked()


def test_a_short_screen_starts_with_the_legend_folded() -> None:
    assert folded_by_default(768 - 40) and folded_by_default(720)
    assert not folded_by_default(1080 - 40)


def test_the_legend_names_the_sentence_and_same_again_keys(make_window) -> None:
    window = make_window(["One article about Havana."])
    shown = [label.text() for label in window.side.legend.body.findChildren(QLabel)]
    assert {"J", "K", "Next / previous sentence", ".",
            "Same stance again (as the one before)"} <= set(shown)
