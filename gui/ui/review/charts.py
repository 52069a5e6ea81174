"""Charts drawn with QPainter: bars for figures, a heat map for confusion, progress bars.

QtCharts is not part of PySide6-Essentials, and these three shapes are all the dashboard needs.
Each chart sizes itself to its rows, draws names and numbers as plain text, and shows a
figure that could not be computed as a grey "–" with its reason in the tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

ROW = 22
PAD = 8
TITLE = 24
GOOD = QColor("#2a9d8f")
FAIR = QColor("#e9c46a")
POOR = QColor("#e76f51")
GRID = QColor("#c8c8c8")
MUTED = QColor("#8a8a8a")


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


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setMinimumWidth(320)

    def _title(self, painter: QPainter) -> None:
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(QRectF(PAD, 0, self.width() - 2 * PAD, TITLE),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.title)
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
        painter.setPen(QPen(GRID, 1, Qt.PenStyle.DashLine))
        # 0.667 and 0.8: Krippendorff's floors for tentative and firm conclusions.
        ticks = [self.floor, 0.0, 0.667, 0.8, 1.0] if self.floor < 0 else [0.0, 0.5, 0.8, 1.0]
        for tick in ticks:
            x = self._x(tick, left, right)
            painter.drawLine(QPointF(x, top - 2), QPointF(x, bottom))
            if tick != 0.667:
                painter.drawText(QRectF(x - 20, bottom, 40, 16), Qt.AlignmentFlag.AlignCenter,
                                 f"{tick:g}")
        text_color = self.palette().windowText().color()
        metrics = QFontMetricsF(self.font())
        if not self.bars:
            painter.setPen(MUTED)
            painter.drawText(QRectF(left, top, right - left, ROW), Qt.AlignmentFlag.AlignVCenter,
                             "nothing to show yet")
        for i, bar in enumerate(self.bars):
            y = top + i * ROW
            painter.setPen(text_color)
            name = metrics.elidedText(bar.name, Qt.TextElideMode.ElideMiddle, left - PAD - 8)
            painter.drawText(QRectF(PAD, y, left - PAD - 8, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
            if bar.value is None:
                painter.setPen(MUTED)
                painter.drawText(QRectF(left + 4, y, right - left, ROW),
                                 Qt.AlignmentFlag.AlignVCenter, "–  " + bar.note)
                continue
            zero = self._x(max(0.0, self.floor), left, right)
            end = self._x(bar.value, left, right)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(figure_color(bar.value))
            painter.drawRoundedRect(QRectF(min(zero, end), y + 4, abs(end - zero) or 1, ROW - 8),
                                    2, 2)
            painter.setPen(text_color)
            painter.drawText(QRectF(right + 6, y, self.width() - right - 6, ROW),
                             Qt.AlignmentFlag.AlignVCenter, f"{bar.value:.3f}")

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            row = int((event.position().y() - TITLE - PAD) // ROW)
            if 0 <= row < len(self.bars):
                bar = self.bars[row]
                value = "not computed" if bar.value is None else f"{bar.value:.4f}"
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
            painter.setPen(MUTED)
            painter.drawText(QRectF(PAD, TITLE, self.width(), ROW), Qt.AlignmentFlag.AlignVCenter,
                             "nothing to show yet")
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


class ProgressChart(_Chart):
    """Each annotator's documents as a stacked bar: done, in progress, flagged/skipped, to do."""

    PARTS = (("done", GOOD), ("in_progress", FAIR), ("flagged", POOR), ("skipped", MUTED))

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.rows: list[tuple[str, dict[str, int]]] = []

    def set_rows(self, rows: list[tuple[str, dict[str, int]]]) -> None:
        self.rows = list(rows)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, TITLE + PAD + max(1, len(self.rows)) * ROW + 18)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self._title(painter)
        text_color = self.palette().windowText().color()
        metrics = QFontMetricsF(self.font())
        left = PAD + max((metrics.horizontalAdvance(n) for n, _ in self.rows), default=40) + 8
        right = self.width() - PAD - metrics.horizontalAdvance("100% done") - 8
        top = TITLE + PAD
        for i, (name, counts) in enumerate(self.rows):
            y = top + i * ROW
            total = sum(counts.values()) or 1
            painter.setPen(text_color)
            painter.drawText(QRectF(PAD, y, left - PAD - 8, ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
            x = left
            painter.fillRect(QRectF(left, y + 4, right - left, ROW - 8), QColor(GRID).lighter(115))
            for part, color in self.PARTS:
                width = (right - left) * counts.get(part, 0) / total
                painter.fillRect(QRectF(x, y + 4, width, ROW - 8), color)
                x += width
            painter.drawText(QRectF(right + 6, y, self.width() - right, ROW),
                             Qt.AlignmentFlag.AlignVCenter,
                             f"{counts.get('done', 0) / total:.0%} done")
        legend_y = top + max(1, len(self.rows)) * ROW
        x = left
        for part, color in (*self.PARTS, ("todo", QColor(GRID).lighter(115))):
            painter.fillRect(QRectF(x, legend_y + 4, 10, 10), color)
            painter.setPen(text_color)
            label = part.replace("_", " ")
            painter.drawText(QPointF(x + 14, legend_y + 13), label)
            x += 24 + metrics.horizontalAdvance(label)
