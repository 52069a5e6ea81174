"""An article opens at its top, its first line below the page's margin: the window opened
with the article scrolled 12 pixels down (laid out in the view's first, tiny size, where the
cursor's line was scrolled into sight), the first line glued to the view's top edge."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import ARTICLE


def test_each_article_opens_at_its_top(qtbot, make_window) -> None:
    long = "\n".join([ARTICLE] * 30)
    window = make_window([long, long + " The end."])
    bar = window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() == 0
    bar.setValue(bar.maximum() // 2)  # read halfway down, then go on to the next one
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.title_label.text() == "Doc 1"
    assert bar.value() == 0
