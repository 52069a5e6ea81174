"""The stance margin's words fit it: a holder's name too long for the margin ends in "…", it is
not cut at the margin's left edge. The margin measured its lines in a font made from the
family's name alone while it painted them in the view's (serif) font, so "holder: UN General
Assembly" lost its first letter at 1366x768 and on every wider screen (the margin is fixed)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from tests.gui.conftest import click, drag, popup

ARTICLE = ("Russia rejects the U.S. blockade against Cuba.\n"
           "The UN General Assembly again condemned the embargo on Cuba.")


def inked_columns(image: QImage, left: int, right: int) -> list[int]:
    """The columns in [left, right) where anything differs from the margin's background."""
    background = QColor(image.pixelColor(0, 0))
    return [x for x in range(left, right)
            if any(image.pixelColor(x, y) != background for y in range(image.height()))]


def test_a_long_holder_is_elided_in_the_margin_not_cut_at_its_edge(qtbot, make_window) -> None:
    window = make_window([ARTICLE])
    offsets = window.controller.offsets
    start = ARTICLE.index("UN General Assembly")
    drag(qtbot, window.view, *offsets.span_to_qt(start, start + len("UN General Assembly")))
    qtbot.keyClick(popup(qtbot), "3")  # ORG
    click(qtbot, window.view, offsets.span_to_qt(ARTICLE.index("condemned"), 0)[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "e")  # the embargo
    qtbot.keyClick(popup(qtbot), "z")  # against
    qtbot.keyClick(popup(qtbot), "1")  # held by the Assembly
    [mark] = window.view.stance_marks
    assert mark.holder_text == "UN General Assembly"

    margin = window.view.gutter.grab().toImage()
    # The lines are painted right-aligned into [4, right edge): the first four columns hold
    # nothing, and a line that fits starts after the fifth; a cut one fills it.
    assert inked_columns(margin, 0, 5) == []
    assert inked_columns(margin, 5, margin.width())  # the words are there
