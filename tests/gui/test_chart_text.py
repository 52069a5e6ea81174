"""A dashboard chart too narrow for its title or a missing figure's reason cuts them with "…"
and shows them whole under the mouse: they used to be cut mid-word at the chart's edge
("13 frames matched, 1 unmat") with nothing to read the rest from."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from gui.ui.review.charts import (
    PAD,
    ROW,
    TITLE,
    Bar,
    BarChart,
    Column,
    ColumnChart,
    ProgressChart,
)
from tests.gui.test_review_dark import _dark_palette, contrast

TITLE_TEXT = ("Stance frames (holder, target, polarity, evidence): 13 frames matched, "
              "1 unmatched")
REASON = "no stance units: no annotator marked a stance on US–Cuba normalization"


def test_a_long_title_and_reason_are_whole_under_the_mouse(qtbot) -> None:
    chart = BarChart(TITLE_TEXT)
    qtbot.addWidget(chart)
    chart.set_bars([Bar("US–Cuba normalization · nominal", None, REASON)])
    chart.resize(320, chart.sizeHint().height())
    chart.show()
    qtbot.waitExposed(chart)
    chart.grab()  # paints, eliding both
    _hover(chart, QPoint(PAD + 20, TITLE // 2))
    assert QToolTip.text() == TITLE_TEXT
    _hover(chart, QPoint(chart.width() - 20, TITLE + PAD + ROW // 2))
    assert REASON in QToolTip.text()


def _hover(widget, point: QPoint) -> None:
    """What Qt sends a widget once the mouse has rested on ``point`` (the offscreen platform
    starts no tooltip timer for a moved mouse)."""
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point,
                                              widget.mapToGlobal(point)))


def test_progress_and_column_charts_answer_the_mouse_with_their_figures(qtbot) -> None:
    # Every chart's tooltip read QHelpEvent.position(), which PySide's QHelpEvent lacks: the
    # mouse resting on any bar raised an AttributeError instead of saying its figure.
    progress = ProgressChart("Progress")
    qtbot.addWidget(progress)
    progress.set_rows([("ana", {"done": 3, "in_progress": 1, "todo": 2})])
    columns = ColumnChart("Corrections per document")
    qtbot.addWidget(columns)
    columns.set_columns([Column("week 1", 4.5, "12 documents")])
    for chart in (progress, columns):
        chart.resize(420, chart.sizeHint().height())
        chart.show()
        qtbot.waitExposed(chart)
    _hover(progress, QPoint(progress.width() // 2, TITLE + PAD + ROW // 2))
    assert QToolTip.text().startswith("ana: done 3")
    _hover(columns, QPoint(PAD + 10, TITLE + columns.HEIGHT // 2))  # the first column
    assert QToolTip.text() == "week 1: 4.50\n12 documents"


def _note_band(chart) -> tuple[QImage, list[int]]:
    """The chart's first row as an image, and the rows of its text (from the top of the
    letters' line to its baseline)."""
    image = chart.grab().toImage()
    metrics = chart.fontMetrics()
    top = TITLE + PAD + (ROW - metrics.height()) // 2
    return image, list(range(top, top + metrics.ascent()))


def test_a_missing_figures_reason_reads_clear_of_the_grid_in_both_palettes(qtbot) -> None:
    """The grid's dashed lines ran through "– no stance units: …" and "nothing to show yet",
    and their grey was 3.1:1 on the light window (4.2:1 on the dark one)."""
    app = QApplication.instance()
    light = app.palette()
    try:
        for palette in (light, _dark_palette()):
            app.setPalette(palette)
            for bars in ([Bar("US–Cuba normalization · nominal", None, REASON)], []):
                chart = BarChart("Krippendorff's alpha per target")
                qtbot.addWidget(chart)
                chart.set_bars(bars)
                chart.resize(640, chart.sizeHint().height())
                chart.show()
                qtbot.waitExposed(chart)
                image, rows = _note_band(chart)
                background = chart.palette().color(chart.backgroundRole())
                left, right = chart._geometry()
                for tick in (0.8, 1.0) if bars else ():  # the dashed lines stop at the reason
                    x = round(chart._x(tick, left, right))
                    above_letters = rows[:2]  # (a line's top, over its capitals)
                    assert all(image.pixelColor(column, y) == background
                               for column in (x - 1, x, x + 1) for y in above_letters), tick
                ink = max(contrast(image.pixelColor(x, y), background)
                          for x in range(int(left), int(right)) for y in rows)
                assert ink >= 4.5
    finally:
        app.setPalette(light)


def test_the_scales_figures_read_as_text_in_both_palettes(qtbot) -> None:
    """The figures under a chart (0, 0.8, 1…) were drawn in the grid's light grey:
    1.5:1 on the light window."""
    app = QApplication.instance()
    light = app.palette()
    try:
        for palette in (light, _dark_palette()):
            app.setPalette(palette)
            chart = BarChart("Each annotator against the pre-fill")
            qtbot.addWidget(chart)
            chart.set_bars([Bar("ana · entities vs pre-fill (F1)", 0.74)])
            chart.resize(640, chart.sizeHint().height())
            chart.show()
            qtbot.waitExposed(chart)
            image = chart.grab().toImage()
            background = chart.palette().color(chart.backgroundRole())
            scale_top = TITLE + PAD + ROW  # the figures' line, under the one bar
            left, right = chart._geometry()
            for tick in (0.0, 0.8, 1.0):
                x = round(chart._x(tick, left, right))
                figure = max(contrast(image.pixelColor(column, y), background)
                             for column in range(x - 8, x + 8)
                             for y in range(scale_top + 2, scale_top + 15))
                assert figure >= 4.4, tick  # 4.5:1 drawn, less a little antialiasing
    finally:
        app.setPalette(light)
