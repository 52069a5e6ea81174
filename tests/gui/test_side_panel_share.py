"""The side panel takes a share of a wide window: the article grows to a comfortable reading
width, the panel gets the rest (at 1920 pixels it stayed 420 wide, its stance list's evidence
cut to a few letters beside an article with empty margins). A width the user drags the panel
to is theirs: kept as the window grows and at the next start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QLabel

from gui.ui.window_fit import DRAGGED_SIDE, SIDE_PANEL
from tests.gui.conftest import ARTICLE


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """No dragged width from another test, and none left for the next."""
    QSettings().remove(DRAGGED_SIDE)
    yield
    QSettings().remove(DRAGGED_SIDE)


def _sizes(window) -> list[int]:
    return window.splitter.sizes()


def test_a_wide_window_gives_the_side_panel_what_the_article_does_not_need(
        qtbot, make_window, fresh_settings) -> None:
    window = make_window([ARTICLE])
    window.resize(1920, 1040)
    comfortable = window.view.comfortable_width()
    qtbot.waitUntil(lambda: _sizes(window)[2] > SIDE_PANEL[1] + 100)
    docs, article, side = _sizes(window)
    assert article == comfortable  # the whole reading column, and no wider
    assert docs + article + side == sum(_sizes(window))
    # the evidence column reads as more than a word
    evidence = window.side.stance_view
    assert not evidence.horizontalHeader().isSectionHidden(0)

    window.resize(1366, 740)  # a laptop: the panel gives its share back
    qtbot.waitUntil(lambda: _sizes(window)[2] <= SIDE_PANEL[1])
    assert _sizes(window)[1] >= 700


def _drag_handle(qtbot, window, dx: int) -> None:
    handle = window.splitter.handle(2)
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(handle, middle + QPoint(dx // 2, 0))
    qtbot.mouseMove(handle, middle + QPoint(dx, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle + QPoint(dx, 0))


def test_a_dragged_side_panel_keeps_its_width_as_the_window_grows_and_at_the_next_start(
        qtbot, make_window, fresh_settings) -> None:
    window = make_window([ARTICLE])
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: _sizes(window)[2] > 0 and sum(_sizes(window)) > 1500)
    before = _sizes(window)[2]
    _drag_handle(qtbot, window, -120)  # the panel 120 pixels wider, by hand
    dragged = _sizes(window)[2]
    assert dragged >= before + 100
    window.resize(1920, 1040)  # a share would now be wider still: the hand's width stays
    qtbot.waitUntil(lambda: sum(_sizes(window)) > 1850)
    qtbot.waitUntil(lambda: _sizes(window)[1] > 1000)  # shared again: the article took it
    assert _sizes(window)[2] == dragged

    again = make_window()  # the next start (the width was kept as it was dragged)
    again.resize(1920, 1040)
    qtbot.waitUntil(lambda: _sizes(again)[2] == dragged)
    assert _sizes(again)[1] > 1000


def test_on_a_wide_panel_the_legend_keeps_its_two_columns_together(
        qtbot, make_window, fresh_settings) -> None:
    """The second column of labels (6 FAC …) stood at the middle of the panel: on a wide
    one, far from the first, at its right edge."""
    window = make_window([ARTICLE])
    legend = window.side.legend
    if legend.folded:
        qtbot.mouseClick(legend.toggle, Qt.MouseButton.LeftButton)
    window.resize(1920, 1040)
    qtbot.waitUntil(lambda: _sizes(window)[2] > SIDE_PANEL[1] + 100)
    qtbot.waitUntil(lambda: legend.body.width() > 600)
    caps = {cap.text(): cap for cap in legend.findChildren(QLabel, "keyCap")}
    first, second = caps["1"], caps["6"]
    assert first.x() < second.x() < legend.body.width() * 0.4
