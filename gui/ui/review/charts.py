"""Charts drawn with QPainter: bars for figures, a heat map for confusion, progress bars.

QtCharts is not part of PySide6-Essentials, and these three shapes are all the dashboard needs.
Each chart sizes itself to its rows, draws names and numbers as plain text, and shows a
figure that could not be computed as a grey "–" with its reason in the tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from gui.core.contrast import TEXT, readable

ROW = 22
PAD = 8
TITLE = 24
GOOD = QColor("#2a9d8f")
FAIR = QColor("#e9c46a")
POOR = QColor("#e76f51")
GRID = QColor("#c8c8c8")
MUTED = QColor("#8a8a8a")
SHARE = QColor("#3a86c8")  # a share that is neither good nor bad in itself


def figure_color(value: float) -> QColor:
    """Landis & Koch's bands, roughly: good from 0.8, fair from 0.667 (Krippendorff's floor)."""
    if value >= 0.8:
        return GOOD
    if value >= 0.667:
        return FAIR
    return POOR


@dataclass(frozen=True)
class Bar:
    name: str
    value: float | None
    note: str = ""  # the reason a figure is missing, or extra detail for the tooltip
    ci: tuple[float, float] | None = None  # a 95% interval, drawn as a whisker
    share: bool = False  # a plain share, not an agreement figure: drawn without judging colours


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setMinimumWidth(320)

    def _note(self, painter: QPainter, rect: QRectF, text: str) -> None:
        """A grey note ("nothing to show yet", a missing figure's reason) on the chart's own
        background, so the grid's lines stop at it instead of striking its letters, in a grey
        that reads as text on a light or a dark palette (MUTED alone was 3.1:1 and 4.2:1)."""
        text = QFontMetricsF(self.font()).elidedText(text, Qt.TextElideMode.ElideRight,
                                                     rect.width())
        bounds = painter.boundingRect(rect, Qt.AlignmentFlag.AlignVCenter, text)
        painter.fillRect(bounds.adjusted(-3, 0, 3, 0).toAlignedRect(),
                         self.palette().color(self.backgroundRole()))
        painter.setPen(self._muted())
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, text)

    def _muted(self) -> QColor:
        """MUTED as text on this chart's background (gui/core/contrast.py)."""
        background = self.palette().color(self.backgroundRole())
        return QColor(readable(MUTED.name(), background.name(), TEXT))

    def _title(self, painter: QPainter) -> None:
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().windowText().color())
        width = self.width() - 2 * PAD
        # Cut with "…" (its tooltip has it whole), not mid-letter at the chart's edge.
        title = QFontMetricsF(font).elidedText(self.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRectF(PAD, 0, width, TITLE),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        font.setBold(False)
        painter.setFont(font)


class BarChart(_Chart):
    """Horizontal bars on a -1..1 axis (agreement coefficients) or 0..1 (F1, ``floor=0``)."""

    def __init__(self, title: str, floor: float = -1.0, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.floor = floor
        self.bars: list[Bar] = []

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, TITLE + PAD + max(1, len(self.bars)) * ROW + 18)

    def _geometry(self) -> tuple[float, float]:
        metrics = QFontMetricsF(self.font())
        names = max((metrics.horizontalAdvance(b.name) for b in self.bars), default=40)
        left = PAD + min(names, self.width() * 0.42) + 8
        right = self.width() - PAD - metrics.horizontalAdvance("−0.000") - 8
        return left, max(left + 40, right)

    def _x(self, value: float, left: float, right: float) -> float:
        value = max(self.floor, min(1.0, value))
        return left + (value - self.floor) / (1.0 - self.floor) * (right - left)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._title(painter)
        left, right = self._geometry()
        top = TITLE + PAD
        bottom = top + max(1, len(self.bars)) * ROW
        # 0.667 and 0.8: Krippendorff's floors for tentative and firm conclusions.
        ticks = [self.floor, 0.0, 0.667, 0.8, 1.0] if self.floor < 0 else [0.0, 0.5, 0.8, 1.0]
        grid, muted = QPen(GRID, 1, Qt.PenStyle.DashLine), self._muted()
        for tick in ticks:
            x = self._x(tick, left, right)
            painter.setPen(grid)
            painter.drawLine(QPointF(x, top - 2), QPointF(x, bottom))
            if tick != 0.667:  # the scale's figures: text, not grid (they were 1.5:1)
                painter.setPen(muted)
                painter.drawText(QRectF(x - 20, bottom, 40, 16), Qt.AlignmentFlag.AlignCenter,
                                 f"{tick:g}")
        text_color = self.palette().windowText().color()
        metrics = QFontMetricsF(self.font())
        if not self.bars:
            self._note(painter, QRectF(left + 4, top, right - left, ROW), "nothing to show yet")
        for i, bar in enumerate(self.bars):
            y = top + i * ROW
            painter.setPen(text_color)
            name = metrics.elidedText(bar.name, Qt.TextElideMode.ElideMiddle, left - PAD - 8)
            painter.drawText(QRectF(PAD, y, left - PAD - 8, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
            if bar.value is None:  # the reason, cut with "…" (tooltip)
                self._note(painter, QRectF(left + 4, y, self.width() - PAD - left - 4, ROW),
                           "–  " + bar.note)
                continue
            zero = self._x(max(0.0, self.floor), left, right)
            end = self._x(bar.value, left, right)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SHARE if bar.share else figure_color(bar.value))
            painter.drawRoundedRect(QRectF(min(zero, end), y + 4, abs(end - zero) or 1, ROW - 8),
                                    2, 2)
            if bar.ci is not None:
                self._whisker(painter, bar.ci, y, left, right, text_color)
            painter.setPen(text_color)
            painter.drawText(QRectF(right + 6, y, self.width() - right - 6, ROW),
                             Qt.AlignmentFlag.AlignVCenter, f"{bar.value:.3f}")

    def _whisker(self, painter: QPainter, ci: tuple[float, float], y: float, left: float,
                 right: float, color: QColor) -> None:
        """The interval as a line across the bar with a cap at each end."""
        low, high = self._x(ci[0], left, right), self._x(ci[1], left, right)
        middle = y + ROW / 2
        painter.setPen(QPen(color, 1.5))
        painter.drawLine(QPointF(low, middle), QPointF(high, middle))
        for x in (low, high):
            painter.drawLine(QPointF(x, middle - 5), QPointF(x, middle + 5))

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            row = int((event.pos().y() - TITLE - PAD) // ROW)
            if event.pos().y() < TITLE:
                QToolTip.showText(event.globalPos(), self.title, self)
            elif 0 <= row < len(self.bars):
                bar = self.bars[row]
                value = "not computed" if bar.value is None else f"{bar.value:.4f}"
                if bar.ci is not None:
                    value += f", 95% interval {bar.ci[0]:.3f} to {bar.ci[1]:.3f}"
                QToolTip.showText(event.globalPos(),
                                  f"{bar.name}: {value}" + (f"\n{bar.note}" if bar.note else ""),
                                  self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class HeatMap(_Chart):
    """A confusion matrix: rows and columns are categories, cells shaded by count."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.categories: list[str] = []
        self.matrix: list[list[int]] = []

    def set_matrix(self, categories: list[str], matrix: list[list[int]]) -> None:
        keep = [i for i, _ in enumerate(categories)
                if any(matrix[i]) or any(row[i] for row in matrix)]
        self.categories = [categories[i] for i in keep]
        self.matrix = [[matrix[r][c] for c in keep] for r in keep]
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, TITLE + PAD + (len(self.categories) + 1) * ROW + PAD)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._title(painter)
        text_color = self.palette().windowText().color()
        if not self.categories:
            self._note(painter, QRectF(PAD, TITLE, self.width(), ROW), "nothing to show yet")
            return
        metrics = QFontMetricsF(self.font())
        left = PAD + max(metrics.horizontalAdvance(c) for c in self.categories) + 8
        n = len(self.categories)
        cell = max(24.0, min(64.0, (self.width() - left - PAD) / n))
        top = TITLE + PAD + ROW
        peak = max((max(row) for row in self.matrix), default=0) or 1
        for c, name in enumerate(self.categories):
            painter.setPen(text_color)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, cell - 2)
            painter.drawText(QRectF(left + c * cell, top - ROW, cell, ROW),
                             Qt.AlignmentFlag.AlignCenter, shown)
        for r, name in enumerate(self.categories):
            y = top + r * ROW
            painter.setPen(text_color)
            painter.drawText(QRectF(PAD, y, left - PAD - 8, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
            for c in range(n):
                count = self.matrix[r][c]
                shade = QColor(GOOD if r == c else POOR)
                shade.setAlphaF(0.08 + 0.85 * count / peak if count else 0.04)
                rect = QRectF(left + c * cell + 1, y + 1, cell - 2, ROW - 2)
                painter.fillRect(rect, shade)
                if count:
                    painter.setPen(text_color)
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))


class StackedChart(_Chart):
    """Rows of counts as stacked horizontal bars, each part in its colour, with a legend and
    a short summary at the right of each row. Whatever the parts leave of a row's total is
    drawn as the empty track (``rest``)."""

    def __init__(self, title: str, parts: tuple[tuple[str, QColor], ...],
                 summary: Callable[[dict[str, int]], str], rest: str = "",
                 parent: QWidget | None = None):
        super().__init__(title, parent)
        self.parts = parts
        self.summary = summary
        self.rest = rest
        self.rows: list[tuple[str, dict[str, int]]] = []

    def set_rows(self, rows: list[tuple[str, dict[str, int]]]) -> None:
        self.rows = list(rows)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, TITLE + PAD + max(1, len(self.rows)) * ROW + 18)

    def _total(self, counts: dict[str, int]) -> int:
        return sum(counts.values()) or 1

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._title(painter)
        text_color = self.palette().windowText().color()
        metrics = QFontMetricsF(self.font())
        left = PAD + min(max((metrics.horizontalAdvance(n) for n, _ in self.rows), default=40),
                         self.width() * 0.35) + 8
        summaries = [self.summary(counts) for _, counts in self.rows]
        right = self.width() - PAD - max((metrics.horizontalAdvance(t) for t in summaries),
                                         default=40) - 8
        top = TITLE + PAD
        track = QColor(GRID).lighter(115)
        if not self.rows:
            self._note(painter, QRectF(left, top, right - left, ROW), "nothing to show yet")
        for i, ((name, counts), summary) in enumerate(zip(self.rows, summaries, strict=True)):
            y = top + i * ROW
            total = self._total(counts)
            painter.setPen(text_color)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, left - PAD - 8)
            painter.drawText(QRectF(PAD, y, left - PAD - 8, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, shown)
            x = left
            painter.fillRect(QRectF(left, y + 4, right - left, ROW - 8), track)
            for part, color in self.parts:
                width = (right - left) * counts.get(part, 0) / total
                painter.fillRect(QRectF(x, y + 4, width, ROW - 8), color)
                x += width
            painter.drawText(QRectF(right + 6, y, self.width() - right, ROW),
                             Qt.AlignmentFlag.AlignVCenter, summary)
        legend_y = top + max(1, len(self.rows)) * ROW
        x = left
        legend = [*self.parts, *([(self.rest, track)] if self.rest else [])]
        for part, color in legend:
            painter.fillRect(QRectF(x, legend_y + 4, 10, 10), color)
            painter.setPen(text_color)
            label = part.replace("_", " ")
            painter.drawText(QPointF(x + 14, legend_y + 13), label)
            x += 24 + metrics.horizontalAdvance(label)

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            row = int((event.pos().y() - TITLE - PAD) // ROW)
            if 0 <= row < len(self.rows):
                name, counts = self.rows[row]
                parts = ", ".join(f"{part.replace('_', ' ')} {counts.get(part, 0)}"
                                  for part, _ in self.parts)
                QToolTip.showText(event.globalPos(), f"{name}: {parts}", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class ProgressChart(StackedChart):
    """Each annotator's documents as a stacked bar: done, in progress, flagged/skipped, to do."""

    PARTS = (("done", GOOD), ("in_progress", FAIR), ("flagged", POOR), ("skipped", MUTED))

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, self.PARTS, self._done, rest="todo", parent=parent)

    def _done(self, counts: dict[str, int]) -> str:
        return f"{counts.get('done', 0) / self._total(counts):.0%} done"


@dataclass(frozen=True)
class Column:
    name: str  # the period, under the column
    value: float
    note: str = ""  # the tooltip's detail


class ColumnChart(_Chart):
    """Vertical columns over time (e.g. corrections per document, week by week), the value
    on top of each; the last columns are kept when there are more than fit."""

    HEIGHT = 150

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.columns: list[Column] = []
        self.setFixedHeight(self.HEIGHT + TITLE + 2 * ROW)

    def set_columns(self, columns: list[Column]) -> None:
        self.columns = list(columns)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, self.HEIGHT + TITLE + 2 * ROW)

    def _layout(self) -> tuple[list[Column], float, float]:
        """The columns shown, the left edge and the width of one column."""
        metrics = QFontMetricsF(self.font())
        width = max(36.0, max((metrics.horizontalAdvance(c.name) for c in self.columns),
                              default=36.0) + 10)
        fit = max(1, int((self.width() - 2 * PAD) // width))
        return self.columns[-fit:], PAD, width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._title(painter)
        text_color = self.palette().windowText().color()
        top = TITLE + ROW
        base = top + self.HEIGHT
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(PAD, base), QPointF(self.width() - PAD, base))
        shown, left, width = self._layout()
        if not shown:
            self._note(painter, QRectF(PAD, top, self.width(), ROW), "nothing to show yet")
            return
        peak = max(c.value for c in shown) or 1.0
        for i, column in enumerate(shown):
            x = left + i * width
            height = self.HEIGHT * column.value / peak
            painter.fillRect(QRectF(x + 6, base - height, width - 12, height), FAIR)
            painter.setPen(text_color)
            painter.drawText(QRectF(x, base - height - ROW, width, ROW),
                             Qt.AlignmentFlag.AlignCenter, f"{column.value:.1f}")
            painter.drawText(QRectF(x, base, width, ROW), Qt.AlignmentFlag.AlignCenter,
                             column.name)

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            shown, left, width = self._layout()
            index = int((event.pos().x() - left) // width)
            if 0 <= index < len(shown):
                column = shown[index]
                QToolTip.showText(event.globalPos(), f"{column.name}: {column.value:.2f}"
                                  + (f"\n{column.note}" if column.note else ""), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
