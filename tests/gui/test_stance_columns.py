"""The stance list beside the article gives target and holder the room to be read: at
1366×768 they were cut to "Russia–Cub…" and "Sergei L…" while the evidence, which the article
underlines, took as much. Now the evidence gives way (hidden when only a word would show,
quoted in every cell's tooltip) and the list never scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.ui.window_fit import panel_widths
from tests.gui.conftest import ARTICLE, click, drag, popup
from tests.gui.test_window_stances import SENTENCE, q

TARGET, HOLDER = "Russia–Cuba partnership", "Bruno Rodríguez"


def read_whole(view, column: int) -> bool:
    """Whether the first row's cell in ``column`` shows its text without eliding it."""
    index = view.model().index(0, column)
    text_room = view.visualRect(index).width() - 6  # Fusion's margins around a cell's text
    return (not view.horizontalHeader().isSectionHidden(column)
            and view.fontMetrics().horizontalAdvance(index.data()) <= text_room)


def test_target_and_holder_read_whole_at_1366_and_the_evidence_returns_when_wide(
        qtbot, window) -> None:
    start = ARTICLE.index(HOLDER)
    drag(qtbot, window.view, *q(window, start, start + len(HOLDER)))
    qtbot.keyClick(popup(qtbot), "1")  # PERSON
    click(qtbot, window.view, q(window, ARTICLE.index("Havana"))[0])
    qtbot.keyClick(window.view, "s")
    for key in ("p", "c", "1"):  # Russia–Cuba partnership, favor, the holder
        qtbot.keyClick(popup(qtbot), key)
    view = window.side.stance_view
    assert [view.model().index(0, c).data() for c in (1, 2, 3)] == [TARGET, "favor", HOLDER]

    window.resize(1366, 768)  # and the panels as a window opened at that size shares them
    splitter = window.side.parentWidget()
    qtbot.waitUntil(lambda: sum(splitter.sizes()) > 1300)
    splitter.setSizes(panel_widths(sum(splitter.sizes())))
    qtbot.waitUntil(lambda: read_whole(view, 1) and read_whole(view, 3))
    assert view.horizontalScrollBar().maximum() == 0
    assert view.horizontalHeader().isSectionHidden(0)  # it would have shown "Ser…"
    for column in (1, 3):  # the evidence is still a hover away
        tip = view.model().index(0, column).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == f"{view.model().index(0, column).data()}: {SENTENCE} (confirmed)"

    splitter.setSizes([200, 600, 560])  # a wide panel: room for evidence
    qtbot.waitUntil(lambda: not view.horizontalHeader().isSectionHidden(0))
    assert read_whole(view, 1) and read_whole(view, 3)
    assert view.horizontalScrollBar().maximum() == 0
